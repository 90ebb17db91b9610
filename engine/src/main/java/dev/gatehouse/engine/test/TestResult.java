package dev.gatehouse.engine.test;

import java.util.List;
import java.util.Map;

/**
 * One Rego test. {@code error} is null unless evaluation failed with an error. A parameterized
 * test ({@code test_x[name] if ...}) is one result whose {@code subResults} map each case key
 * (as text) to whether that case failed. {@code failures} lists the expressions of the test's
 * body that failed, for verbose reports (empty unless traced). {@code errorDetail} is the first
 * error's code, message and location when the test errored.
 */
public record TestResult(String packageName, String name, String file, int row, boolean fail, boolean skip,
    String error, long durationNanos, String output, Map<String, Boolean> subResults, List<FailedExpr> failures,
    dev.gatehouse.engine.RegoError errorDetail) {

  /** An expression of the test body that produced no solution: where, and its source line. */
  public record FailedExpr(String file, int row, String text) {}

  public TestResult {
    subResults = subResults == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(subResults));
    failures = failures == null ? List.of() : List.copyOf(failures);
  }

  public TestResult(String packageName, String name, String file, int row, boolean fail, boolean skip, String error,
      long durationNanos, String output) {
    this(packageName, name, file, row, fail, skip, error, durationNanos, output, null, null, null);
  }

  public TestResult(String packageName, String name, String file, int row, boolean fail, boolean skip, String error,
      long durationNanos, String output, Map<String, Boolean> subResults, List<FailedExpr> failures) {
    this(packageName, name, file, row, fail, skip, error, durationNanos, output, subResults, failures, null);
  }

  public boolean passed() {
    return !fail && !skip && error == null;
  }

  /** {@code data.pkg.name}, as opa prints it. */
  public String fullName() {
    return packageName + "." + name;
  }
}
