package dev.gatehouse.engine.test;

import dev.gatehouse.engine.EvalOptions;
import dev.gatehouse.engine.Policy;
import dev.gatehouse.engine.QueryResult;
import dev.gatehouse.engine.RegoException;
import dev.gatehouse.engine.ast.Location;
import dev.gatehouse.engine.ast.RegoVersion;
import dev.gatehouse.engine.ast.Module;
import dev.gatehouse.engine.ast.Rule;
import dev.gatehouse.engine.ast.Scalar;
import dev.gatehouse.engine.load.Loaded;
import dev.gatehouse.engine.load.Loader;
import dev.gatehouse.engine.value.BooleanValue;
import dev.gatehouse.engine.value.Json;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Runs Rego tests with {@code opa test}'s semantics: every rule named {@code test_*} in any package
 * is a test that passes when it evaluates to true, each body of it separately (the second is
 * {@code test_x#01}, see {@link DuplicateTests}); {@code todo_test_*} rules are skipped; a test whose
 * head has a variable key ({@code test_x[name] if ...}) is one test with a sub-result per key.
 * Tests run in parallel (across the cores) against one compiled, thread-safe policy.
 */
public final class TestRunner {
  private TestRunner() {}

  /** Results in file, row, name order, and the coverage report when asked for. */
  /** The results, the coverage report (null unless asked for) and the modules as parsed (for reports). */
  public record Run(List<TestResult> results, Coverage.Report coverage, List<Module> modules) {}

  /** Loads, compiles and runs the tests under the paths; compile errors throw RegoException. */
  public static List<TestResult> run(List<Path> paths, TestOptions options) {
    return execute(paths, options).results();
  }

  public static Run execute(List<Path> paths, TestOptions options) {
    Loaded loaded = Loader.load(paths);
    dev.gatehouse.engine.Rego.Builder b = dev.gatehouse.engine.Rego.builder().regoVersion(options.version())
        .data(loaded.data());
    loaded.modules().forEach(b::module);
    return execute(b, loaded.modules(), options);
  }

  /**
   * Compiles the builder's modules and data (files, bundles) for testing, as opa test does:
   * parameterized tests instrumented, duplicate tests numbered apart; then runs the tests.
   * {@code sources} (file → text) lets failure reports quote the failing line.
   */
  public static Run execute(dev.gatehouse.engine.Rego.Builder b, Map<String, String> sources, TestOptions options) {
    for (Map.Entry<String, String> m : b.modules().entrySet()) {
      RegoVersion v = b.moduleVersions().getOrDefault(m.getKey(), b.regoVersion());
      m.setValue(TestCases.instrument(m.getKey(), m.getValue(), v));
    }
    b.builtin(TestCases.builtin()).stage(DuplicateTests::rename);
    if (options.notes()) {
      b.builtin(Notes.builtin());
    }
    return execute(b.compile(), sources, options);
  }

  public static List<TestResult> run(Policy policy, TestOptions options) {
    return execute(policy, Map.of(), options).results();
  }

  private record Candidate(String pkg, String name, String file, int row, int endRow, boolean todo,
      boolean parameterized) {}

  /** {@code sources} (file → text) lets failure reports quote the failing line; may be empty. */
  public static Run execute(Policy policy, Map<String, String> sources, TestOptions options) {
    List<Candidate> found = new ArrayList<>();
    for (Module m : policy.modules()) {
      String pkg = m.pkg().path().toString();
      List<Rule> rules = new ArrayList<>(m.rules());
      rules.sort(Comparator.comparingInt(r -> r.location().row()));
      for (int i = 0; i < rules.size(); i++) {
        Rule r = rules.get(i);
        String name = r.head().name();
        boolean test = name.startsWith("test_");
        boolean todo = name.startsWith("todo_test_"); // opa skips these; other todo_ rules are not tests
        if (!test && !todo || r.head().isFunction()) {
          continue;
        }
        boolean parameterized = r.head().ref().size() > 1
            && !(r.head().ref().get(1) instanceof Scalar s && s.value() instanceof StringValue);
        String key = pkg + "." + name;
        if (options.run() != null && !options.run().matcher(key).find()) {
          continue;
        }
        int end = i + 1 < rules.size() ? rules.get(i + 1).location().row() : Integer.MAX_VALUE;
        // one test per rule: duplicate bodies of a test were renamed apart (DuplicateTests); each
        // body of a todo_test_ rule is reported as skipped, as opa does
        found.add(new Candidate(pkg, name, m.file(), r.location().row(), end, todo, parameterized));
      }
    }
    Coverage coverage = options.coverage() ? new Coverage() : null;
    Map<String, String[]> lines = new LinkedHashMap<>();
    sources.forEach((f, s) -> lines.put(f, s.split("\n", -1)));
    java.util.concurrent.Callable<List<TestResult>> all = () -> found.parallelStream()
        .map(c -> runOne(policy, c, options, coverage, lines))
        .sorted(Comparator.comparing(TestResult::file).thenComparingInt(TestResult::row).thenComparing(TestResult::name))
        .collect(Collectors.toList());
    List<TestResult> results;
    if (options.bench()) { // one at a time: benchmarks running side by side would time each other
      results = new ArrayList<>();
      for (Candidate c : found) {
        results.add(bench(policy, c, options, coverage, lines));
      }
      results.sort(Comparator.comparing(TestResult::file).thenComparingInt(TestResult::row)
          .thenComparing(TestResult::name));
    } else if (options.parallel() <= 0) {
      results = call(all);
    } else { // a pool of that many workers bounds how many tests run at once
      java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(options.parallel());
      try {
        results = pool.submit(all).join();
      } finally {
        pool.shutdown();
      }
    }
    return new Run(results, coverage == null ? null : coverage.report(policy.modules(), sources), policy.modules());
  }

  /** Runs the test and, when it passed, benchmarks it. */
  private static TestResult bench(Policy policy, Candidate c, TestOptions options, Coverage coverage,
      Map<String, String[]> lines) {
    TestResult r = runOne(policy, c, options, coverage, lines);
    if (!r.passed() || c.parameterized()) {
      return r;
    }
    String query = c.pkg() + "[" + Json.quote(c.name()) + "]";
    EvalOptions eo = EvalOptions.builder().timeout(options.timeout())
        .strictBuiltinErrors(options.strictBuiltinErrors()).printHook((loc, msg) -> {}).build();
    return r.with(r.failedLine(), r.notes(), Bench.run(policy.prepare(query), eo));
  }

  private static TestResult runOne(Policy policy, Candidate c, TestOptions options, Coverage coverage,
      Map<String, String[]> lines) {
    Notes.start();
    TestResult.FailedLine[] last = {null};
    TestResult r = runTraced(policy, c, options, coverage, lines, last);
    List<TestResult.Note> notes = Notes.finish();
    return r.passed() && notes.isEmpty() ? r : r.with(r.passed() ? null : last[0], notes, null);
  }

  private static TestResult runTraced(Policy policy, Candidate c, TestOptions options, Coverage coverage,
      Map<String, String[]> lines, TestResult.FailedLine[] last) {
    if (c.todo()) {
      return new TestResult(c.pkg(), c.name(), c.file(), c.row(), false, true, null, 0, "");
    }
    StringBuilder output = new StringBuilder();
    List<Location> failed = new ArrayList<>();
    // the explanation's steps (--explain full/debug): expressions of the test's own body
    List<TestResult.Step> steps = options.notes() ? new ArrayList<>() : null;
    EvalOptions.Builder eo = EvalOptions.builder()
        .timeout(options.timeout())
        .strictBuiltinErrors(options.strictBuiltinErrors())
        .printHook((loc, msg) -> {
          synchronized (output) {
            output.append(msg).append('\n');
          }
        });
    if (coverage != null || options.traceFailures() || options.varValues() || steps != null) {
      eo.listener(new dev.gatehouse.engine.EvalListener() {
        @Override
        public boolean wantsFailedValues() {
          return options.varValues();
        }

        @Override
        public void failed(Location loc, List<Seen> seen) {
          // opa reports the last expression that failed below the test's query (the trace's
          // last Fail event not of the query itself); the test's own body fails last
          synchronized (last) {
            last[0] = new TestResult.FailedLine(loc, seen);
          }
        }

        private boolean inBody(Location loc) {
          return loc != null && c.file().equals(loc.file()) && loc.row() >= c.row() && loc.row() < c.endRow();
        }

        private void step(String op, Location loc) {
          if (steps != null && inBody(loc)) {
            synchronized (steps) {
              steps.add(new TestResult.Step(op, loc));
            }
          }
        }

        @Override
        public void attempt(Location loc) {
          step("Eval", loc);
        }

        @Override
        public void redo(Location loc) {
          step("Redo", loc);
        }

        @Override
        public void evaluated(Location loc, boolean ok) {
          if (coverage != null) {
            coverage.record(loc, ok);
          }
          if (!ok) {
            step("Fail", loc);
          }
          if (!ok && options.traceFailures() && loc != null && c.file().equals(loc.file()) && loc.row() >= c.row()
              && loc.row() < c.endRow()) {
            synchronized (failed) {
              failed.add(loc);
            }
          }
        }

        @Override
        public void ruleProduced(Location loc) {
          if (coverage != null) {
            coverage.ruleProduced(loc);
          }
        }
      });
    }
    long start = System.nanoTime();
    TestCases.start();
    try {
      String query = c.pkg() + "[" + Json.quote(c.name()) + "]";
      List<QueryResult> rs = policy.prepare(query).eval(eo.build());
      long took = System.nanoTime() - start;
      java.util.Set<String> reached = TestCases.finish();
      if (c.parameterized()) {
        Map<String, Boolean> subs = new LinkedHashMap<>();
        if (!rs.isEmpty() && rs.get(0).value() instanceof ObjectValue cases) {
          for (Value k : cases.keys()) {
            subs.put(TestCases.keyText(k), !BooleanValue.TRUE.equals(cases.get(k)));
          }
        }
        for (String k : reached) {
          subs.putIfAbsent(k, true); // reached the case but never defined it: that case failed
        }
        subs = new java.util.TreeMap<>(subs);
        boolean fail = subs.isEmpty() || subs.containsValue(true);
        return withSteps(new TestResult(c.pkg(), c.name(), c.file(), c.row(), fail, false, null, took,
            output.toString(), subs, fail ? failedExprs(failed, lines) : null), steps);
      }
      boolean pass = !rs.isEmpty() && BooleanValue.TRUE.equals(rs.get(0).value());
      return withSteps(new TestResult(c.pkg(), c.name(), c.file(), c.row(), !pass, false, null, took,
          output.toString(), null, pass ? null : failedExprs(failed, lines)), steps);
    } catch (RegoException e) {
      TestCases.finish();
      return new TestResult(c.pkg(), c.name(), c.file(), c.row(), false, false, e.getMessage(),
          System.nanoTime() - start, output.toString(), null, null, e.errors().isEmpty() ? null : e.errors().get(0));
    }
  }

  /** A failed result keeps its steps (a passing one is not explained). */
  private static TestResult withSteps(TestResult r, List<TestResult.Step> steps) {
    if (steps == null || !r.fail()) {
      return r;
    }
    synchronized (steps) {
      return r.withSteps(new ArrayList<>(steps));
    }
  }

  private static <T> T call(java.util.concurrent.Callable<T> c) {
    try {
      return c.call();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The distinct failed rows of the test body, in order, with their source line when known. */
  private static List<TestResult.FailedExpr> failedExprs(List<Location> failed, Map<String, String[]> lines) {
    Map<String, TestResult.FailedExpr> out = new LinkedHashMap<>();
    List<Location> sorted;
    synchronized (failed) {
      sorted = new ArrayList<>(failed);
    }
    sorted.sort(Comparator.comparingInt(Location::row));
    for (Location l : sorted) {
      String[] src = lines.get(l.file());
      String text = src != null && l.row() - 1 < src.length ? src[l.row() - 1].strip() : "";
      out.putIfAbsent(l.file() + ":" + l.row(), new TestResult.FailedExpr(l.file(), l.row(), text));
    }
    return new ArrayList<>(out.values());
  }
}
