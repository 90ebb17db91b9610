package dev.gatehouse.cli;

import dev.gatehouse.engine.EvalOptions;
import dev.gatehouse.engine.Policy;
import dev.gatehouse.engine.PreparedQuery;
import dev.gatehouse.engine.RegoException;
import dev.gatehouse.engine.ast.RegoVersion;
import dev.gatehouse.engine.value.Json;
import dev.gatehouse.engine.value.Value;
import dev.gatehouse.engine.value.ValueFormatException;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gatehouse bench}: times a query the way {@code opa bench} does — prepare once, then
 * evaluate in a loop sized like Go's benchmark loop (grown until it lasts at least a second) —
 * after a warm-up that lets the JIT compile the evaluator (opa needs none; a JVM does: the first
 * thousands of evaluations run several times slower). Prints opa bench's JSON
 * ({@code N}, {@code T}, {@code Bytes}, {@code MemAllocs}, {@code MemBytes}, {@code Extra} with the
 * eval-time histogram) or its pretty table.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Benchmark a Rego query, with opa bench's flags and output shapes.", "",
        "  gatehouse bench -d policy.rego -d data.json -i input.json data.authz.allow",
        "  gatehouse bench -b bundle.tar.gz -i input.json --format json --count 3 data.authz.allow", "",
        "MemBytes is measured per thread by the JVM; MemAllocs is 0 (the JVM does not count allocations)."})
final class BenchCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = {"-d", "--data"}, paramLabel = "PATH", description = "Rego, JSON or YAML file or directory to load (repeatable).")
  List<Path> data = new ArrayList<>();

  @Option(names = {"-b", "--bundle"}, paramLabel = "BUNDLE", description = "Bundle directory or .tar.gz to load (repeatable).")
  List<Path> bundles = new ArrayList<>();

  @Option(names = {"-i", "--input"}, paramLabel = "FILE", description = "Input document file (JSON or YAML).")
  Path input;

  @Option(names = "--count", defaultValue = "1", description = "Number of times to repeat the benchmark (default 1).")
  int count;

  @Option(names = "--benchmem", defaultValue = "true", arity = "0..1", fallbackValue = "true",
      description = "Report memory allocated per evaluation (default true).")
  boolean benchmem;

  @Option(names = {"-f", "--format"}, defaultValue = "pretty", paramLabel = "FORMAT",
      description = "Output format: pretty (default) or json.")
  String format;

  @Option(names = "--warmup", defaultValue = "5s", paramLabel = "DURATION", converter = GoDuration.class,
      description = "Evaluate for this long before measuring, so the JIT has compiled the evaluator (default 5s).")
  Duration warmup;

  @Option(names = "--benchtime", defaultValue = "1s", paramLabel = "DURATION", converter = GoDuration.class,
      description = "Run the measured loop for at least this long (default 1s, as Go's benchmarks).")
  Duration benchtime;

  @Option(names = "--v0-compatible", description = "Parse modules and the query as Rego v0.")
  boolean v0;

  @Option(names = "--no-index", description = "Evaluate with data indexes off (plain iteration), for comparison.")
  boolean noIndex;

  @Parameters(index = "0", paramLabel = "QUERY", description = "The query, e.g. data.authz.allow")
  String query;

  /** One benchmark run: Go's testing.BenchmarkResult plus the eval-time histogram opa adds. */
  record Result(long n, long totalNanos, long memBytes, Map<String, Double> extra) {}

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!List.of("json", "pretty").contains(format)) {
      err.println("error: invalid argument \"" + format + "\" for \"-f, --format\" flag: must be one of json, pretty");
      return 1;
    }
    if (count < 1) {
      err.println("error: --count must be at least 1");
      return 1;
    }
    PreparedQuery prepared;
    EvalOptions options;
    try {
      Policy policy = Inputs.load(data, bundles, v0 ? RegoVersion.V0 : RegoVersion.V1).builder()
          .indexing(!noIndex).compile();
      prepared = policy.prepare(query);
      options = EvalOptions.builder().input(readInput()).build();
      prepared.eval(options); // errors surface before timing, as opa bench's first run
    } catch (RegoException e) {
      Errors.print(err, e.errors());
      return 2;
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      return 2;
    }
    warm(prepared, options, warmup.toNanos());
    for (int i = 0; i < count; i++) {
      Result r = measure(prepared, options);
      out.println(format.equals("json") ? json(r) : pretty(r));
      out.flush();
    }
    return 0;
  }

  private Value readInput() {
    if (input == null) {
      return null;
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(input);
    } catch (IOException e) {
      throw new IllegalArgumentException("unable to read input: " + e.getMessage());
    }
    try {
      return Json.parseInput(bytes);
    } catch (ValueFormatException notJson) {
      try {
        return Json.parseYaml(new String(bytes, StandardCharsets.UTF_8));
      } catch (ValueFormatException notYaml) {
        throw new IllegalArgumentException("unable to parse input: " + input + ": " + notYaml.getMessage());
      }
    }
  }

  /** Evaluates until {@code nanos} have passed (the warm-up). */
  private static void warm(PreparedQuery q, EvalOptions o, long nanos) {
    long start = System.nanoTime();
    while (System.nanoTime() - start < nanos) {
      q.eval(o);
    }
  }

  /** Go's benchmark loop: grow N (at most 100× per round, with 20% headroom) until a run lasts benchtime. */
  private Result measure(PreparedQuery q, EvalOptions o) {
    long target = benchtime.toNanos();
    long n = 1;
    while (true) {
      long[] samples = new long[(int) Math.min(n, 10_000_000)];
      long bytesBefore = allocatedBytes();
      long start = System.nanoTime();
      for (long i = 0; i < n; i++) {
        long t0 = System.nanoTime();
        q.eval(o);
        if (i < samples.length) {
          samples[(int) i] = System.nanoTime() - t0;
        }
      }
      long elapsed = System.nanoTime() - start;
      long bytes = allocatedBytes() - bytesBefore;
      if (elapsed >= target || n >= 1_000_000_000L) {
        return new Result(n, elapsed, benchmem ? Math.max(bytes, 0) : 0, histogram(samples));
      }
      long perOp = Math.max(elapsed / n, 1);
      long next = target * 6 / 5 / perOp;
      n = Math.max(Math.min(next, n * 100), n + 1);
    }
  }

  private static long allocatedBytes() {
    var bean = ManagementFactory.getThreadMXBean();
    if (bean instanceof com.sun.management.ThreadMXBean sun && sun.isThreadAllocatedMemorySupported()) {
      return sun.getThreadAllocatedBytes(Thread.currentThread().getId());
    }
    return 0;
  }

  /** opa's eval-time histogram keys, percentiles interpolated as go-metrics computes them. */
  static Map<String, Double> histogram(long[] samples) {
    long[] s = samples.clone();
    Arrays.sort(s);
    String p = "histogram_timer_rego_query_eval_ns_";
    Map<String, Double> m = new LinkedHashMap<>();
    for (double q : new double[] {0.75, 0.9, 0.95, 0.99, 0.999, 0.9999}) {
      String label = new java.math.BigDecimal(Double.toString(q * 100)).stripTrailingZeros().toPlainString() + "%";
      m.put(p + label, percentile(s, q));
    }
    double mean = 0;
    for (long v : s) {
      mean += v;
    }
    mean = s.length == 0 ? 0 : mean / s.length;
    double var = 0;
    for (long v : s) {
      var += (v - mean) * (v - mean);
    }
    m.put(p + "count", (double) s.length);
    m.put(p + "max", s.length == 0 ? 0 : (double) s[s.length - 1]);
    m.put(p + "mean", mean);
    m.put(p + "median", percentile(s, 0.5));
    m.put(p + "min", s.length == 0 ? 0 : (double) s[0]);
    m.put(p + "stddev", s.length == 0 ? 0 : Math.sqrt(var / s.length));
    return m;
  }

  private static double percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    double pos = p * (sorted.length + 1);
    if (pos < 1) {
      return sorted[0];
    }
    if (pos >= sorted.length) {
      return sorted[sorted.length - 1];
    }
    double lower = sorted[(int) pos - 1];
    double upper = sorted[(int) pos];
    return lower + (pos - Math.floor(pos)) * (upper - lower);
  }

  static String json(Result r) {
    StringBuilder sb = new StringBuilder("{\n");
    sb.append("  \"N\": ").append(r.n()).append(",\n");
    sb.append("  \"T\": ").append(r.totalNanos()).append(",\n");
    sb.append("  \"Bytes\": 0,\n");
    sb.append("  \"MemAllocs\": 0,\n");
    sb.append("  \"MemBytes\": ").append(r.memBytes()).append(",\n");
    sb.append("  \"Extra\": {\n");
    int i = 0;
    for (Map.Entry<String, Double> e : r.extra().entrySet()) {
      sb.append("    ").append(Json.quote(e.getKey())).append(": ").append(number(e.getValue()));
      sb.append(++i < r.extra().size() ? ",\n" : "\n");
    }
    return sb.append("  }\n}").toString();
  }

  private static String number(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }

  /** opa bench's pretty output: a two-column box table without a header. */
  static String pretty(Result r) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"samples", Long.toString(r.n())});
    rows.add(new String[] {"ns/op", Long.toString(r.totalNanos() / r.n())});
    rows.add(new String[] {"B/op", Long.toString(r.memBytes() / r.n())});
    rows.add(new String[] {"allocs/op", "0"});
    r.extra().forEach((k, v) -> rows.add(new String[] {k, Long.toString(Math.round(v))}));
    int w0 = 0;
    int w1 = 0;
    for (String[] row : rows) {
      w0 = Math.max(w0, row[0].length());
      w1 = Math.max(w1, row[1].length());
    }
    StringBuilder sb = new StringBuilder();
    sb.append('┌').append("─".repeat(w0 + 2)).append('┬').append("─".repeat(w1 + 2)).append("┐\n");
    for (String[] row : rows) {
      sb.append("│ ").append(row[0]).append(" ".repeat(w0 - row[0].length())).append(" │ ")
          .append(" ".repeat(w1 - row[1].length())).append(row[1]).append(" │\n");
    }
    sb.append('└').append("─".repeat(w0 + 2)).append('┴').append("─".repeat(w1 + 2)).append('┘');
    return sb.toString();
  }
}
