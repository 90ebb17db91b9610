package dev.gatehouse.cli;

import dev.gatehouse.engine.EvalOptions;
import dev.gatehouse.engine.Policy;
import dev.gatehouse.engine.QueryResult;
import dev.gatehouse.engine.RegoError;
import dev.gatehouse.engine.RegoException;
import dev.gatehouse.engine.ast.RegoVersion;
import dev.gatehouse.engine.value.ArrayValue;
import dev.gatehouse.engine.value.BooleanValue;
import dev.gatehouse.engine.value.Json;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import dev.gatehouse.engine.value.ValueFormatException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gatehouse eval}: evaluate a query like {@code opa eval}. */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Evaluate a Rego query and print the result, with opa eval's flags and output shapes.", "",
        "  gatehouse eval -d policy.rego -i input.json data.authz.allow",
        "  gatehouse eval -b bundle.tar.gz --fail 'data.authz.allow == true'", "",
        "-d loads every .rego, .json and .yaml file under a path (data files are placed at their directory's path);"
            + " -b loads a bundle (directory or .tar.gz: only data.json/data.yaml files, .manifest roots enforced).", "",
        "Exit codes: 0 ok; 1 with --fail when the result is undefined (or --fail-defined when defined),"
            + " or for bad flags; 2 on load, parse, compile or evaluation errors (as opa)."})
final class EvalCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = {"-d", "--data"}, paramLabel = "PATH", description = "Rego, JSON or YAML file or directory to load (repeatable).")
  List<Path> data = new ArrayList<>();

  @Option(names = {"-b", "--bundle"}, paramLabel = "BUNDLE", description = "Bundle directory or .tar.gz to load (repeatable).")
  List<Path> bundles = new ArrayList<>();

  @Option(names = {"-i", "--input"}, paramLabel = "FILE", description = "Input document file (JSON or YAML).")
  Path input;

  @Option(names = {"-I", "--stdin-input"}, description = "Read the input document from standard input.")
  boolean stdinInput;

  @Option(names = {"-f", "--format"}, defaultValue = "json", paramLabel = "FORMAT",
      description = "Output format: json (default), values, bindings, pretty, raw.")
  String format;

  @Option(names = "--fail", description = "Exit 1 when the result is undefined or empty.")
  boolean fail;

  @Option(names = "--fail-defined", description = "Exit 1 when the result is defined.")
  boolean failDefined;

  @Option(names = "--v0-compatible", description = "Parse modules and the query as Rego v0.")
  boolean v0;

  @Option(names = {"-S", "--strict"}, description = "Enable compiler strict mode.")
  boolean strict;

  @Option(names = "--strict-builtin-errors", description = "Treat the first builtin error as fatal.")
  boolean strictBuiltinErrors;

  @Option(names = "--timeout", paramLabel = "DURATION", converter = GoDuration.class,
      description = "Evaluation timeout, e.g. 500ms, 5s (default: unlimited).")
  Duration timeout;

  @Option(names = "--pretty-limit", defaultValue = "80", description = "Truncate pretty table cells longer than this (default 80).")
  int prettyLimit;

  @Option(names = "--profile", description = "Profile the evaluation: own time, evaluations and redos per expression,"
      + " and which data index an expression used (json: a \"profile\" array; pretty: a table after the result).")
  boolean profile;

  @Option(names = "--profile-limit", defaultValue = "10", description = "Show at most this many profile rows (default 10; 0: all).")
  int profileLimit;

  @Parameters(index = "0", paramLabel = "QUERY", description = "The query, e.g. data.authz.allow")
  String query;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!List.of("json", "values", "bindings", "pretty", "raw").contains(format)) {
      err.println("error: invalid argument \"" + format + "\" for \"-f, --format\" flag: must be one of json, values, bindings, pretty, raw");
      return 1;
    }
    if (stdinInput && input != null) {
      err.println("error: specify --input or --stdin-input, not both");
      return 1;
    }
    RegoVersion version = v0 ? RegoVersion.V0 : RegoVersion.V1;
    List<QueryResult> results;
    EvalProfile profiler = profile ? new EvalProfile() : null;
    try {
      Policy policy = Inputs.load(data, bundles, version).builder().strict(strict).compile();
      Value in = readInput();
      results = policy.prepare(query).eval(EvalOptions.builder().input(in).strictBuiltinErrors(strictBuiltinErrors)
          .timeout(timeout == null || timeout.isZero() ? null : timeout)
          .listener(profiler)
          .printHook((loc, msg) -> {
            err.println(msg);
            err.flush();
          }).build());
    } catch (RegoException e) {
      return error(out, err, e.errors());
    } catch (InputException e) {
      // As opa: input that cannot be read is a plain line on stderr, whatever the output format.
      err.println(e.getMessage());
      err.flush();
      return 2;
    }
    if (profiler != null && format.equals("json")) {
      String json = toJson(results);
      String body = json.equals("{}") ? "{\n" : json.substring(0, json.length() - 2) + ",\n";
      out.println(body + "  \"profile\": " + profiler.json(profileLimit) + "\n}");
    } else {
      print(out, results);
      if (profiler != null) {
        out.print(profiler.table(profileLimit));
      }
    }
    out.flush();
    if (fail && results.isEmpty()) {
      return 1;
    }
    if (failDefined && !results.isEmpty()) {
      return 1;
    }
    return 0;
  }

  /** opa prints errors as JSON on stdout for -f json, else as text on stderr; either way exit 2. */
  private int error(PrintWriter out, PrintWriter err, List<RegoError> errors) {
    if (format.equals("json")) {
      out.println(Errors.json(errors));
      out.flush();
    } else {
      Errors.print(err, errors);
    }
    return 2;
  }

  /** Input that cannot be read or parsed, with opa's message. */
  private static final class InputException extends RuntimeException {
    InputException(String message) {
      super(message);
    }
  }

  private Value readInput() {
    byte[] bytes;
    String name = "";
    try {
      if (stdinInput) {
        bytes = System.in.readAllBytes();
      } else if (input != null) {
        bytes = Files.readAllBytes(input);
        name = input.getFileName().toString();
      } else {
        return null;
      }
    } catch (NoSuchFileException e) {
      throw new InputException("open " + e.getFile() + ": no such file or directory");
    } catch (IOException e) {
      throw new InputException("unable to read input: " + e.getMessage());
    }
    String where = input == null ? "stdin" : input.toString();
    try {
      return Json.parseInput(bytes);
    } catch (ValueFormatException notJson) {
      if (name.endsWith(".json")) {
        throw new InputException("unable to parse input: " + where + ":" + notJson.line() + ":" + notJson.column()
            + ": " + notJson.getMessage());
      }
      try { // like opa: JSON when it is JSON, else YAML
        return Json.parseYaml(new String(bytes, StandardCharsets.UTF_8));
      } catch (ValueFormatException notYaml) {
        throw new InputException("unable to parse input: " + where + ": " + notYaml.getMessage());
      }
    }
  }

  private void print(PrintWriter out, List<QueryResult> results) {
    switch (format) {
      case "raw" -> {
        for (QueryResult r : results) {
          StringBuilder line = new StringBuilder();
          for (QueryResult.ExpressionValue e : r.expressions()) {
            if (line.length() > 0) {
              line.append(' ');
            }
            line.append(e.value() instanceof StringValue s ? s.value() : Json.write(e.value()));
          }
          out.println(line);
        }
      }
      case "values" -> {
        for (QueryResult r : results) {
          out.println(Json.writeIndented(ArrayValue.of(r.expressions().stream().map(QueryResult.ExpressionValue::value)
              .toList()), "  "));
        }
      }
      case "bindings" -> {
        for (QueryResult r : results) {
          out.println(Json.writeIndented(bindings(r), "  "));
        }
      }
      case "pretty" -> pretty(out, results);
      default -> out.println(toJson(results));
    }
  }

  /** opa's pretty output: a lone value as indented JSON, otherwise a table of bindings and values. */
  private void pretty(PrintWriter out, List<QueryResult> results) {
    if (results.isEmpty()) {
      out.println("undefined");
      return;
    }
    QueryResult first = results.get(0);
    if (results.size() == 1 && first.bindings().isEmpty()
        && (first.expressions().size() == 1 || first.expressions().stream().allMatch(e -> e.value() instanceof BooleanValue))) {
      out.println(Json.writeIndented(first.value(), "  "));
      return;
    }
    List<String> header = new ArrayList<>();
    List<Integer> exprColumns = new ArrayList<>();
    List<String> vars = new ArrayList<>(new TreeSet<>(first.bindings().keySet()));
    header.addAll(vars);
    for (int i = 0; i < first.expressions().size(); i++) {
      if (!(first.expressions().get(i).value() instanceof BooleanValue) || first.bindings().isEmpty()) {
        exprColumns.add(i);
        header.add(first.expressions().get(i).text());
      }
    }
    List<List<String>> rows = new ArrayList<>();
    for (QueryResult r : results) {
      List<String> row = new ArrayList<>();
      for (String v : vars) {
        row.add(limit(r.bindings().get(v) == null ? "null" : Json.write(r.bindings().get(v))));
      }
      for (int i : exprColumns) {
        row.add(limit(i < r.expressions().size() ? Json.write(r.expressions().get(i).value()) : "null"));
      }
      rows.add(row);
    }
    out.print(Table.render(header, rows));
  }

  private String limit(String s) {
    return prettyLimit > 0 && s.length() > prettyLimit ? s.substring(0, prettyLimit) + "..." : s;
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
