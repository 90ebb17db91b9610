package dev.gatehouse.cli;

import dev.gatehouse.engine.EvalOptions;
import dev.gatehouse.engine.Policy;
import dev.gatehouse.engine.QueryResult;
import dev.gatehouse.engine.RegoException;
import dev.gatehouse.engine.ast.RegoVersion;
import dev.gatehouse.engine.load.Loader;
import dev.gatehouse.engine.value.ArrayValue;
import dev.gatehouse.engine.value.Json;
import dev.gatehouse.engine.value.NumberValue;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import dev.gatehouse.engine.value.ValueFormatException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gatehouse eval}: evaluate a query like {@code opa eval}. */
@Command(name = "eval", mixinStandardHelpOptions = true,
    description = "Evaluate a Rego query and print the result (same flags and output shapes as opa eval).")
final class EvalCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = {"-d", "--data"}, description = "Rego, JSON or YAML file or directory to load (repeatable).")
  List<Path> data = new ArrayList<>();

  @Option(names = {"-b", "--bundle"}, description = "Bundle directory to load (repeatable).")
  List<Path> bundles = new ArrayList<>();

  @Option(names = {"-i", "--input"}, description = "Input document file (JSON or YAML).")
  Path input;

  @Option(names = "--stdin-input", description = "Read the input document from standard input.")
  boolean stdinInput;

  @Option(names = {"-f", "--format"}, defaultValue = "json", description = "Output format: json, pretty, raw, values, bindings.")
  String format;

  @Option(names = "--fail", description = "Exit 1 when the result is undefined.")
  boolean fail;

  @Option(names = "--fail-defined", description = "Exit 1 when the result is defined.")
  boolean failDefined;

  @Option(names = "--v0-compatible", description = "Parse modules and the query as Rego v0.")
  boolean v0;

  @Option(names = "--strict-builtin-errors", description = "Treat builtin errors as fatal.")
  boolean strictBuiltinErrors;

  @Parameters(index = "0", paramLabel = "QUERY", description = "The query, e.g. data.authz.allow")
  String query;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    RegoVersion version = v0 ? RegoVersion.V0 : RegoVersion.V1;
    List<QueryResult> results;
    try {
      List<Path> paths = new ArrayList<>(data);
      paths.addAll(bundles);
      Policy policy = Loader.load(paths).toBuilder(version).compile();
      Value in = readInput();
      results = policy.prepare(query).eval(EvalOptions.builder().input(in).strictBuiltinErrors(strictBuiltinErrors)
          .printHook((loc, msg) -> {
            err.println(msg);
            err.flush();
          }).build());
    } catch (RegoException e) {
      Errors.print(err, e);
      return 1;
    } catch (ValueFormatException e) {
      err.println("error: input: " + e.line() + ":" + e.column() + ": " + e.getMessage());
      return 1;
    } catch (IOException e) {
      err.println("error: " + e.getMessage());
      return 1;
    }
    print(out, results);
    out.flush();
    if (fail && results.isEmpty()) {
      return 1;
    }
    if (failDefined && !results.isEmpty()) {
      return 1;
    }
    return 0;
  }

  private Value readInput() throws IOException {
    String text = null;
    String name = "";
    if (stdinInput) {
      text = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
    } else if (input != null) {
      text = Files.readString(input);
      name = input.getFileName().toString();
    }
    if (text == null) {
      return null;
    }
    return name.endsWith(".yaml") || name.endsWith(".yml") ? Json.parseYaml(text) : Json.parse(text);
  }

  private void print(PrintWriter out, List<QueryResult> results) {
    switch (format) {
      case "raw": {
        for (QueryResult r : results) {
          for (QueryResult.ExpressionValue e : r.expressions()) {
            Value v = e.value();
            out.println(v instanceof StringValue s ? s.value() : Json.write(v));
          }
        }
        return;
      }
      case "values": {
        List<Value> vs = new ArrayList<>();
        for (QueryResult r : results) {
          for (QueryResult.ExpressionValue e : r.expressions()) {
            vs.add(e.value());
          }
        }
        out.println(Json.writeIndented(ArrayValue.of(vs), "  "));
        return;
      }
      case "bindings": {
        List<Value> vs = new ArrayList<>();
        for (QueryResult r : results) {
          vs.add(bindings(r));
        }
        out.println(Json.writeIndented(ArrayValue.of(vs), "  "));
        return;
      }
      case "pretty": {
        if (results.isEmpty()) {
          out.println("undefined");
        } else if (results.size() == 1 && results.get(0).bindings().isEmpty() && results.get(0).expressions().size() == 1) {
          out.println(Json.writeIndented(results.get(0).value(), "  "));
        } else {
          List<Value> vs = new ArrayList<>();
          for (QueryResult r : results) {
            vs.add(r.bindings().isEmpty() ? r.value() : bindings(r));
          }
          out.println(Json.writeIndented(ArrayValue.of(vs), "  "));
        }
        return;
      }
      default:
        out.println(toJson(results));
    }
  }

  private static Value bindings(QueryResult r) {
    ObjectValue.Builder b = ObjectValue.builder();
    r.bindings().forEach(b::put);
    return b.build();
  }

  /**
   * The JSON of {@code opa eval -f json}, byte for byte: Go prints struct fields in declaration
   * order (value, text, location; expressions, bindings), so this is written out explicitly.
   */
  static String toJson(List<QueryResult> results) {
    if (results.isEmpty()) {
      return "{}";
    }
    StringBuilder sb = new StringBuilder("{\n  \"result\": [\n");
    for (int i = 0; i < results.size(); i++) {
      QueryResult r = results.get(i);
      sb.append("    {\n      \"expressions\": [\n");
      for (int j = 0; j < r.expressions().size(); j++) {
        QueryResult.ExpressionValue e = r.expressions().get(j);
        sb.append("        {\n          \"value\": ").append(indent(e.value(), "          "))
            .append(",\n          \"text\": ").append(Json.quote(e.text()))
            .append(",\n          \"location\": {\n            \"row\": ").append(e.location().row())
            .append(",\n            \"col\": ").append(e.location().col()).append("\n          }\n        }");
        sb.append(j + 1 < r.expressions().size() ? ",\n" : "\n");
      }
      sb.append("      ]");
      if (!r.bindings().isEmpty()) {
        sb.append(",\n      \"bindings\": ").append(indent(bindings(r), "      "));
      }
      sb.append("\n    }").append(i + 1 < results.size() ? ",\n" : "\n");
    }
    return sb.append("  ]\n}").toString();
  }

  private static String indent(Value v, String prefix) {
    return Json.writeIndented(v, "  ").replace("\n", "\n" + prefix);
  }
}
