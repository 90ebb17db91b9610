package dev.gatehouse.engine.test;

import dev.gatehouse.engine.ast.RegoVersion;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * How to run tests: a filter on {@code data.pkg.name} (a regular expression, searched as
 * {@code opa test --run} does), a per-test timeout, the Rego version, whether to collect
 * coverage, whether to record which expressions failed (for {@code -v} reports), and whether
 * builtin errors fail a test as errors ({@code strictBuiltinErrors}), and how many tests run at
 * once ({@code parallel}; 0 for one per core). {@code varValues} records the values a test's last
 * failed expression saw ({@code opa test --var-values}); {@code notes} records {@code trace()}
 * notes ({@code --explain notes}); {@code bench} benchmarks each passing test
 * ({@link Bench}).
 */
public record TestOptions(Pattern run, Duration timeout, RegoVersion version, boolean coverage,
    boolean traceFailures, boolean strictBuiltinErrors, int parallel, boolean varValues, boolean notes,
    boolean bench) {

  public TestOptions(Pattern run, Duration timeout, RegoVersion version, boolean coverage,
      boolean traceFailures, boolean strictBuiltinErrors, int parallel) {
    this(run, timeout, version, coverage, traceFailures, strictBuiltinErrors, parallel, false, false, false);
  }

  public TestOptions(Pattern run, Duration timeout, RegoVersion version, boolean coverage,
      boolean traceFailures, boolean strictBuiltinErrors) {
    this(run, timeout, version, coverage, traceFailures, strictBuiltinErrors, 0);
  }

  public TestOptions(Pattern run, Duration timeout, RegoVersion version, boolean coverage) {
    this(run, timeout, version, coverage, false, false);
  }

  /** The same options with at most {@code n} tests running at once (0: one per core, as opa's -p). */
  public TestOptions withParallel(int n) {
    return new TestOptions(run, timeout, version, coverage, traceFailures, strictBuiltinErrors, n, varValues, notes,
        bench);
  }

  /** The same options with failure values, trace notes and benchmarks as given. */
  public TestOptions withReports(boolean varValues, boolean notes, boolean bench) {
    return new TestOptions(run, timeout, version, coverage, traceFailures, strictBuiltinErrors, parallel, varValues,
        notes, bench);
  }

  public static TestOptions defaults() {
    return new TestOptions(null, Duration.ofSeconds(5), RegoVersion.V1, false);
  }
}
