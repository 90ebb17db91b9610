package dev.gatehouse.cli;

import dev.gatehouse.engine.RegoException;
import dev.gatehouse.engine.ast.RegoVersion;
import dev.gatehouse.engine.test.Coverage;
import dev.gatehouse.engine.test.TestOptions;
import dev.gatehouse.engine.test.TestResult;
import dev.gatehouse.engine.test.TestRunner;
import dev.gatehouse.engine.value.Json;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gatehouse test}: run Rego tests like {@code opa test}. */
@Command(name = "test", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Run Rego tests like opa test: rules named test_* pass when true (each body of one on its own: test_x, test_x#01, ...); todo_test_* rules are skipped;"
        + " test_x[name] rules report one sub-result per case. Tests run in parallel.", "",
        "  gatehouse test policies/", "  gatehouse test -v --run 'jit' policies/",
        "  gatehouse test --coverage --threshold 80 policies/", "",
        "Exit codes: 0 all passed; 2 when a test failed, errored or was skipped (unless -z),"
            + " or coverage is below --threshold; 1 when the policies do not load or compile."})
final class TestCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = {"-v", "--verbose"}, description = "Print every test, and for failures the expressions that failed.")
  boolean verbose;

  @Option(names = {"-f", "--format"}, defaultValue = "pretty",
      description = "Output format: pretty (default), json, or gobench (with --bench: Go's benchmark format).")
  String format;

  @Option(names = "--var-values", description = "For each failed test, show its last failed expression and the values it saw.")
  boolean varValues;

  @Option(names = "--explain", paramLabel = "MODE",
      description = "Explain failed tests (implies -v): fails (default), full, notes (trace() notes only) or debug.")
  String explain;

  @Option(names = "--bench", description = "Benchmark each passing test (Go's ns/op, B/op) instead of reporting it as passed.")
  boolean bench;

  @Option(names = "--benchmem", arity = "0..1", defaultValue = "true", fallbackValue = "true",
      description = "With --bench, report memory allocated per run (default true).")
  boolean benchmem;

  @Option(names = "--count", defaultValue = "1", paramLabel = "N",
      description = "Run the tests N times, each run with its own report (default 1).")
  int count;

  @Option(names = "--sort", defaultValue = "none", paramLabel = "ORDER",
      description = "Order of the JSON report: none (default) or duration (longest first).")
  String sort;

  @Option(names = {"-r", "--run"}, paramLabel = "REGEX", description = "Run only tests whose data.pkg.name matches this regular expression.")
  String run;

  @Option(names = {"-t", "--timeout"}, defaultValue = "5s", paramLabel = "DURATION", converter = GoDuration.class,
      description = "Timeout per test, e.g. 500ms, 5s (default 5s; 0 for none).")
  Duration timeout;

  @Option(names = {"-c", "--coverage"}, description = "Print a coverage report (opa's JSON) instead of the test results.")
  boolean coverage;

  @Option(names = "--threshold", paramLabel = "PERCENT", defaultValue = "0",
      description = "With --coverage, exit 2 when coverage is below this percentage.")
  double threshold;

  @Option(names = {"-z", "--exit-zero-on-skipped"}, description = "Exit 0 even when tests were skipped (todo_test_*).")
  boolean exitZeroOnSkipped;

  @Option(names = "--v0-compatible", description = "Parse modules as Rego v0.")
  boolean v0;

  @Option(names = "--strict-builtin-errors", description = "A builtin error makes the test an ERROR instead of undefined.")
  boolean strictBuiltinErrors;

  @Option(names = {"-b", "--bundle"}, description = "Load the paths as bundle files or directories.")
  boolean bundleMode;

  @Option(names = "--ignore", split = ",", paramLabel = "GLOB",
      description = "File and directory names to skip while loading (e.g. '.*' skips hidden files); repeatable.")
  List<String> ignore = new java.util.ArrayList<>();

  @Option(names = {"-p", "--parallel"}, paramLabel = "N", description = "How many tests run at once (default: one per core; 0 too).")
  int parallel;

  @Option(names = "--fail-on-empty", description = "Exit 1 (\"no tests were run\") when no test ran.")
  boolean failOnEmpty;

  @Option(names = {"-m", "--max-errors"}, paramLabel = "N", defaultValue = "10",
      description = "Compile errors to report before stopping (default 10; 0 or less for all).")
  int maxErrors;

  @Parameters(arity = "1..*", paramLabel = "PATH", description = "Files or directories holding policies, tests and data.")
  List<Path> paths;

  @Override
  public Integer call() {
    int rc = 0;
    for (int i = 0; i < Math.max(1, count); i++) { // as opa: each repeat is run and reported in full
      rc = Math.max(rc, once());
      if (rc == 1) {
        break;
      }
    }
    return rc;
  }

  private int once() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!format.equals("pretty") && !format.equals("json") && !format.equals("gobench")) {
      err.println("error: invalid argument \"" + format + "\" for \"-f, --format\" flag: must be one of pretty, json, gobench");
      return 1;
    }
    if (explain != null && !List.of("fails", "full", "notes", "debug").contains(explain)) {
      err.println("error: invalid argument \"" + explain + "\" for \"--explain\" flag: must be one of fails, full, notes, debug");
      return 1;
    }
    if (!sort.equals("none") && !sort.equals("duration")) {
      err.println("error: invalid argument \"" + sort + "\" for \"--sort\" flag: must be one of none, duration");
      return 1;
    }
    if (explain != null) {
      verbose = true; // as opa: an explanation is printed in verbose mode
    }
    Pattern filter;
    try {
      filter = run == null ? null : Pattern.compile(run);
    } catch (PatternSyntaxException e) {
      err.println("error: invalid --run regular expression: " + e.getDescription());
      return 1;
    }
    TestRunner.Run result;
    Inputs.Result in;
    try {
      RegoVersion version = v0 ? RegoVersion.V0 : RegoVersion.V1;
      TestOptions opts = new TestOptions(filter, timeout.isZero() ? null : timeout, version,
          coverage, verbose, strictBuiltinErrors, Math.max(parallel, 0))
          .withReports(varValues, !bench && explain != null && !explain.equals("fails"), bench);
      List<Path> none = List.of();
      in = Inputs.load(bundleMode ? none : paths, bundleMode ? paths : none, version, ignore);
      result = TestRunner.execute(in.builder(), in.sources(), opts);
    } catch (RegoException e) {
      Errors.printLoaded(err, Errors.limit(e.errors(), maxErrors));
      return 1;
    }
    List<TestResult> results = result.results();
    if (results.isEmpty() && failOnEmpty) {
      if (format.equals("json")) {
        out.println(json(results));
        out.flush();
      }
      err.println("no tests were run");
      err.flush();
      return 1;
    }
    boolean failed = results.stream().anyMatch(r -> r.fail() || r.error() != null);
    boolean skipped = results.stream().anyMatch(TestResult::skip);
    if (coverage && !failed) {
      Coverage.Report report = result.coverage();
      out.println(coverageJson(report));
      out.flush();
      if (report.percent() < threshold) {
        err.printf("Code coverage threshold not met: got %.2f instead of %.2f%n", report.percent(), threshold);
        err.flush();
        return 2;
      }
      return 0;
    }
    if (format.equals("json")) {
      List<TestResult> report = results;
      if (sort.equals("duration")) {
        report = new java.util.ArrayList<>(results);
        report.sort(java.util.Comparator.comparingLong(TestResult::durationNanos).reversed());
      }
      out.println(json(report));
    } else {
      lines = new java.util.LinkedHashMap<>();
      in.sources().forEach((f, s) -> lines.put(f, s.split("\n", -1)));
      modules = new java.util.HashMap<>();
      for (dev.gatehouse.engine.ast.Module m : result.modules()) {
        modules.put(m.file(), m);
      }
      pretty(out, results);
    }
    out.flush();
    return failed || (skipped && !exitZeroOnSkipped) ? 2 : 0;
  }

  private Map<String, String[]> lines = Map.of();
  private Map<String, dev.gatehouse.engine.ast.Module> modules = Map.of();

  private void pretty(PrintWriter out, List<TestResult> results) {
    int pass = 0;
    int fail = 0;
    int error = 0;
    int skip = 0;
    boolean dirty = false;
    String lastFile = null;
    for (TestResult r : results) {
      if (r.skip()) {
        skip++;
      } else if (r.error() != null) {
        error++;
      } else if (!r.subResults().isEmpty()) {
        for (boolean f : r.subResults().values()) {
          if (f) {
            fail++;
          } else {
            pass++;
          }
        }
      } else if (r.fail()) {
        fail++;
      } else {
        pass++;
      }
      if (r.passed() && bench && r.bench() != null) {
        dirty = true;
        out.println(benchLine(r));
      } else if (verbose || !r.passed()) {
        if (lastFile != null && !lastFile.equals(r.file())) {
          out.println();
        }
        out.println(r.file() + ":" + r.row() + ":");
        lastFile = r.file();
        dirty = true;
        out.println(headline(r));
        for (Map.Entry<String, Boolean> s : r.subResults().entrySet()) {
          if (s.getValue() || verbose) {
            out.println("  " + s.getKey() + ": " + (s.getValue() ? "FAIL" : "PASS"));
          }
        }
        if (!r.output().isEmpty()) {
          out.println();
          out.println("  " + r.output().strip().replace("\n", "\n  "));
          out.println();
        }
      }
      if (r.error() != null) {
        out.println("  " + r.error().replace("\n", "\n  "));
      }
    }
    if (fail > 0 && (verbose || varValues)) {
      hr(out);
      out.println("FAILURES");
      hr(out);
      for (TestResult r : results) {
        if (!r.fail()) {
          continue;
        }
        out.println(headline(r));
        if (verbose) {
          out.println();
          if (!bench) { // opa's benchmarks run untraced: their failures have an empty explanation
            TestFailureReport.trace(out, r, explain, varValues, lines, modules);
          }
        }
        if (varValues && r.subResults().isEmpty()) {
          out.println();
          TestFailureReport.varValues(out, r, lines, modules);
        }
        for (Map.Entry<String, Boolean> s : r.subResults().entrySet()) {
          if (s.getValue()) {
            out.println();
            out.println("  " + s.getKey() + ": FAIL");
          }
        }
        out.println();
      }
    }
    if (dirty) {
      hr(out);
    }
    int total = pass + fail + skip + error;
    if (pass > 0) {
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

  /**
   * A benchmark line as opa prints it (Go's testing.BenchmarkResult): name, iterations (%8d),
   * ns/op and opa's timer_rego_query_eval_ns/op (Go's prettyPrint widths), and with --benchmem
   * B/op (%8d). The JVM does not count allocations, so allocs/op is left out.
   */
  private String benchLine(TestResult r) {
    dev.gatehouse.engine.test.Bench.Result b = r.bench();
    String name = r.fullName();
    if (format.equals("gobench")) {
      StringBuilder camel = new StringBuilder("Benchmark");
      for (String part : name.replace('_', '.').split("\\.")) {
        if (!part.isEmpty()) {
          camel.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
      }
      name = camel.toString();
    }
    StringBuilder sb = new StringBuilder(name).append('\t').append(String.format("%8d", b.n()))
        .append('\t').append(goPretty(b.nsPerOp(), "ns/op"))
        .append('\t').append(goPretty(b.evalNsPerOp(), "timer_rego_query_eval_ns/op"));
    if (benchmem) {
      sb.append('\t').append(String.format("%8d B/op", b.bytesPerOp()));
    }
    return sb.toString();
  }

  /** Go's testing prettyPrint: the width and precision depend on the magnitude. */
  static String goPretty(double x, String unit) {
    double y = Math.abs(x);
    String f;
    if (y == 0 || y >= 999.95) {
      f = "%10.0f %s";
    } else if (y >= 99.995) {
      f = "%12.1f %s";
    } else if (y >= 9.9995) {
      f = "%13.2f %s";
    } else if (y >= 0.99995) {
      f = "%14.3f %s";
    } else if (y >= 0.099995) {
      f = "%15.4f %s";
    } else if (y >= 0.0099995) {
      f = "%16.5f %s";
    } else if (y >= 0.00099995) {
      f = "%17.6f %s";
    } else {
      f = "%18.7f %s";
    }
    return String.format(java.util.Locale.ROOT, f, x, unit);
  }

  private static void hr(PrintWriter out) {
    out.println("-".repeat(80));
  }

  private static String headline(TestResult r) {
    String outcome = r.skip() ? "SKIPPED" : r.error() != null ? "ERROR" : r.fail() ? "FAIL" : "PASS";
    return r.fullName() + ": " + outcome + (r.skip() ? "" : " (" + goDuration(r.durationNanos()) + ")");
  }

  /** Go's time.Duration.String(): the largest unit that keeps the integer part non-zero, full precision. */
  static String goDuration(long nanos) {
    if (nanos == 0) {
      return "0s";
    }
    if (nanos < 1_000) {
      return nanos + "ns";
    }
    if (nanos < 1_000_000) {
      return decimal(nanos, 1_000) + "µs";
    }
    if (nanos < 1_000_000_000) {
      return decimal(nanos, 1_000_000) + "ms";
    }
    long secs = nanos / 1_000_000_000L;
    String frac = decimal(nanos % 60_000_000_000L, 1_000_000_000L) + "s";
    if (secs < 60) {
      return frac;
    }
    long mins = secs / 60;
    return (mins >= 60 ? mins / 60 + "h" + mins % 60 + "m" : mins + "m") + frac;
  }

  private static String decimal(long v, long unit) {
    long whole = v / unit;
    long rest = v % unit;
    if (rest == 0) {
      return Long.toString(whole);
    }
    String digits = String.format("%0" + (Long.toString(unit).length() - 1) + "d", rest).replaceAll("0+$", "");
    return whole + "." + digits;
  }

  /** opa test -f json: fields in Go's order (location, package, name, fail, error, skip, duration, output, sub_results). */
  String json(List<TestResult> results) {
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
      if (r.error() != null) {
        dev.gatehouse.engine.RegoError e = r.errorDetail();
        if (e == null) {
          sb.append("    \"error\": {\n      \"message\": ").append(Json.quote(r.error())).append("\n    },\n");
        } else { // topdown.Error's fields, as opa marshals it
          sb.append("    \"error\": {\n      \"code\": ").append(Json.quote(e.code()))
              .append(",\n      \"message\": ").append(Json.quote(e.message()));
          if (e.location() != null && e.location() != dev.gatehouse.engine.ast.Location.NONE) {
            sb.append(",\n      \"location\": {\n        \"file\": ").append(Json.quote(e.location().file()))
                .append(",\n        \"row\": ").append(e.location().row())
                .append(",\n        \"col\": ").append(e.location().col()).append("\n      }");
          }
          sb.append("\n    },\n");
        }
      }
      if (r.skip()) {
        sb.append("    \"skip\": true,\n");
      }
      sb.append("    \"duration\": ").append(r.durationNanos());
      if (!r.output().isEmpty()) {
        sb.append(",\n    \"output\": ").append(Json.quote(Base64.getEncoder().encodeToString(
            r.output().getBytes(StandardCharsets.UTF_8))));
      }
      if (r.bench() != null || (bench && r.fail())) { // Go's testing.BenchmarkResult fields
        dev.gatehouse.engine.test.Bench.Result b = r.bench();
        sb.append(",\n    \"benchmark_result\": {\n      \"N\": ").append(b == null ? 0 : b.n())
            .append(",\n      \"T\": ").append(b == null ? 0 : b.totalNanos())
            .append(",\n      \"Bytes\": 0,\n      \"MemAllocs\": ").append(b == null ? 0 : Math.max(0, b.memAllocs()))
            .append(",\n      \"MemBytes\": ").append(b == null ? 0 : b.memBytes())
            .append(",\n      \"Extra\": ").append(b == null ? "null" : "{\n        \"timer_rego_query_eval_ns/op\": "
                + b.evalNsPerOp() + "\n      }")
            .append("\n    }");
      }
      if (!r.subResults().isEmpty()) {
        sb.append(",\n    \"sub_results\": {");
        int j = 0;
        for (Map.Entry<String, Boolean> s : new java.util.TreeMap<>(r.subResults()).entrySet()) {
          sb.append(j++ == 0 ? "\n" : ",\n");
          sb.append("      ").append(Json.quote(s.getKey())).append(": {\n        \"name\": ").append(Json.quote(s.getKey()));
          if (s.getValue()) {
            sb.append(",\n        \"fail\": true");
          }
          sb.append("\n      }");
        }
        sb.append("\n    }");
      }
      sb.append("\n  }");
    }
    return sb.append(results.isEmpty() ? "]" : "\n]").toString();
  }

  /** opa's coverage report JSON; ranges carry their start column but no end column. */
  static String coverageJson(Coverage.Report report) {
    StringBuilder sb = new StringBuilder("{\n  \"files\": {");
    int i = 0;
    for (Map.Entry<String, Coverage.FileReport> f : report.files().entrySet()) {
      sb.append(i++ == 0 ? "\n" : ",\n").append("    ").append(Json.quote(f.getKey())).append(": {");
      Coverage.FileReport fr = f.getValue();
      boolean any = false;
      if (!fr.covered().isEmpty()) {
        sb.append("\n      \"covered\": ").append(ranges(fr.covered()));
        any = true;
      }
      if (!fr.notCovered().isEmpty()) {
        sb.append(any ? ",\n" : "\n").append("      \"not_covered\": ").append(ranges(fr.notCovered()));
        any = true;
      }
      if (fr.coveredLines() > 0) {
        sb.append(any ? ",\n" : "\n").append("      \"covered_lines\": ").append(fr.coveredLines());
        any = true;
      }
      if (fr.notCoveredLines() > 0) {
        sb.append(any ? ",\n" : "\n").append("      \"not_covered_lines\": ").append(fr.notCoveredLines());
        any = true;
      }
      if (fr.percent() != 0) {
        sb.append(any ? ",\n" : "\n").append("      \"coverage\": ").append(goFloat(fr.percent()));
        any = true;
      }
      sb.append(any ? "\n    }" : "}");
    }
    sb.append(i == 0 ? "},\n" : "\n  },\n");
    sb.append("  \"covered_lines\": ").append(report.coveredLines()).append(",\n")
        .append("  \"not_covered_lines\": ").append(report.notCoveredLines()).append(",\n")
        .append("  \"coverage\": ").append(goFloat(report.percent())).append("\n}");
    return sb.toString();
  }

  private static String ranges(java.util.SortedSet<Coverage.Range> rs) {
    StringBuilder sb = new StringBuilder("[");
    int i = 0;
    for (Coverage.Range r : rs) {
      sb.append(i++ == 0 ? "\n" : ",\n").append("        {\n          \"start\": {\n            \"row\": ").append(r.startRow());
      if (r.startCol() > 0) {
        sb.append(",\n            \"col\": ").append(r.startCol());
      }
      sb.append("\n          },\n          \"end\": {\n            \"row\": ").append(r.endRow()).append("\n          }\n        }");
    }
    return sb.append("\n      ]").toString();
  }

  private static String goFloat(double d) {
    if (d == Math.rint(d)) {
      return Long.toString((long) d);
    }
    return Double.toString(d);
  }
}
