package dev.gatehouse.cli;

import dev.gatehouse.engine.RegoException;
import dev.gatehouse.engine.ast.RegoVersion;
import dev.gatehouse.engine.test.TestOptions;
import dev.gatehouse.engine.test.TestResult;
import dev.gatehouse.engine.test.TestRunner;
import dev.gatehouse.engine.value.Json;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gatehouse test}: run Rego tests like {@code opa test}. */
@Command(name = "test", mixinStandardHelpOptions = true,
    description = "Run Rego tests (test_* rules; todo_* rules are skipped), like opa test. "
        + "Exit 0 when all pass, 2 on failures/errors/skips, 1 when the policies do not load or compile.")
final class TestCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = {"-v", "--verbose"}, description = "Print every test, with its print() output.")
  boolean verbose;

  @Option(names = {"-f", "--format"}, defaultValue = "pretty", description = "Output format: pretty or json.")
  String format;

  @Option(names = {"-r", "--run"}, description = "Run only tests whose package.name matches this regular expression.")
  String run;

  @Option(names = {"-t", "--timeout"}, defaultValue = "5s", description = "Timeout per test, e.g. 5s, 500ms.")
  String timeout;

  @Option(names = {"-z", "--exit-zero-on-skipped"}, description = "Exit 0 even when tests were skipped.")
  boolean exitZeroOnSkipped;

  @Option(names = "--v0-compatible", description = "Parse modules as Rego v0.")
  boolean v0;

  @Parameters(arity = "1..*", paramLabel = "PATH", description = "Files or directories holding policies, tests and data.")
  List<Path> paths;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<TestResult> results;
    try {
      TestOptions opts = new TestOptions(run == null ? null : Pattern.compile(run), parseDuration(timeout),
          v0 ? RegoVersion.V0 : RegoVersion.V1, false);
      results = TestRunner.run(paths, opts);
    } catch (RegoException e) {
      Errors.print(err, e);
      return 1;
    }
    results.sort(Comparator.comparing(TestResult::file).thenComparingInt(TestResult::row).thenComparing(TestResult::name));
    if (format.equals("json")) {
      out.println(json(results));
    } else {
      pretty(out, results);
    }
    out.flush();
    boolean failed = results.stream().anyMatch(r -> r.fail() || r.error() != null);
    boolean skipped = results.stream().anyMatch(TestResult::skip);
    return failed || (skipped && !exitZeroOnSkipped) ? 2 : 0;
  }

  static Duration parseDuration(String s) {
    if (s.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
    }
    if (s.endsWith("s")) {
      return Duration.ofMillis((long) (Double.parseDouble(s.substring(0, s.length() - 1)) * 1000));
    }
    if (s.endsWith("m")) {
      return Duration.ofMinutes(Long.parseLong(s.substring(0, s.length() - 1)));
    }
    throw new CommandLine.ParameterException(new CommandLine(new TestCommand()), "invalid timeout: " + s);
  }

  private void pretty(PrintWriter out, List<TestResult> results) {
    int pass = 0;
    int fail = 0;
    int error = 0;
    int skip = 0;
    String lastFile = null;
    for (TestResult r : results) {
      String status = r.skip() ? "SKIPPED" : r.error() != null ? "ERROR" : r.fail() ? "FAIL" : "PASS";
      switch (status) {
        case "PASS" -> pass++;
        case "FAIL" -> fail++;
        case "ERROR" -> error++;
        default -> skip++;
      }
      if (verbose || !status.equals("PASS")) {
        if (!r.file().equals(lastFile)) {
          out.println(r.file() + ":");
          lastFile = r.file();
        }
        out.printf("%s.%s: %s (%s)%n", r.packageName(), r.name(), status, duration(r.durationNanos()));
        if (r.error() != null) {
          out.println("  " + r.error().replace("\n", "\n  "));
        }
        if (verbose && !r.output().isEmpty()) {
          out.println();
          for (String line : r.output().split("\n")) {
            out.println("  " + line);
          }
          out.println();
        }
      }
    }
    if (fail + error + skip > 0 || verbose) {
      out.println("-".repeat(80));
    }
    int total = results.size();
    if (pass > 0 || total == 0) {
      out.printf("PASS: %d/%d%n", pass, total);
    }
    if (fail > 0) {
      out.printf("FAIL: %d/%d%n", fail, total);
    }
    if (skip > 0) {
      out.printf("SKIPPED: %d/%d%n", skip, total);
    }
    if (error > 0) {
      out.printf("ERROR: %d/%d%n", error, total);
    }
  }

  private static String duration(long nanos) {
    if (nanos < 1_000) {
      return nanos + "ns";
    }
    if (nanos < 1_000_000) {
      return String.format("%.3fµs", nanos / 1e3);
    }
    if (nanos < 1_000_000_000) {
      return String.format("%.3fms", nanos / 1e6);
    }
    return String.format("%.3fs", nanos / 1e9);
  }

  /** opa test -f json: one object per test with location, package, name, fail/skip/error, duration. */
  static String json(List<TestResult> results) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < results.size(); i++) {
      TestResult r = results.get(i);
      sb.append(i == 0 ? "\n" : ",\n");
      sb.append("  {\n    \"location\": {\n      \"file\": ").append(Json.quote(r.file()))
          .append(",\n      \"row\": ").append(r.row()).append(",\n      \"col\": 1\n    },\n")
          .append("    \"package\": ").append(Json.quote(r.packageName())).append(",\n")
          .append("    \"name\": ").append(Json.quote(r.name())).append(",\n");
      if (r.fail()) {
        sb.append("    \"fail\": true,\n");
      }
      if (r.skip()) {
        sb.append("    \"skip\": true,\n");
      }
      if (r.error() != null) {
        sb.append("    \"error\": {\n      \"message\": ").append(Json.quote(r.error())).append("\n    },\n");
      }
      if (!r.output().isEmpty()) {
        sb.append("    \"output\": ").append(Json.quote(java.util.Base64.getEncoder().encodeToString(
            r.output().getBytes(java.nio.charset.StandardCharsets.UTF_8)))).append(",\n");
      }
      sb.append("    \"duration\": ").append(r.durationNanos()).append("\n  }");
    }
    return sb.append(results.isEmpty() ? "]" : "\n]").toString();
  }
}
