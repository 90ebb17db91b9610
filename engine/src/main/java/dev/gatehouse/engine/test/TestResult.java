package dev.gatehouse.engine.test;

import dev.gatehouse.engine.EvalListener;
import dev.gatehouse.engine.ast.Location;
import java.util.List;
import java.util.Map;

/**
 * One Rego test. {@code error} is null unless evaluation failed with an error. A parameterized
 * test ({@code test_x[name] if ...}) is one result whose {@code subResults} map each case key
 * (as text) to whether that case failed. {@code failures} lists the expressions of the test's
 * body that failed, for verbose reports (empty unless traced). {@code errorDetail} is the first
 * error's code, message and location when the test errored. {@code failedLine} is the test's last
 * failed expression with the values it saw (only with {@link TestOptions#varValues()}),
 * {@code notes} the test's {@code trace()} notes (with {@link TestOptions#notes()}), and
 * {@code bench} the benchmark of a passing test (with {@link TestOptions#bench()}).
 */
public record TestResult(String packageName, String name, String file, int row, boolean fail, boolean skip,
    String error, long durationNanos, String output, Map<String, Boolean> subResults, List<FailedExpr> failures,
    dev.gatehouse.engine.RegoError errorDetail, FailedLine failedLine, List<Note> notes, Bench.Result bench,
    List<Step> steps) {

  /**
   * One step of a failed test's evaluation, for {@code --explain full}: opa's {@code Eval},
   * {@code Redo} or {@code Fail} event of an expression of the test's body, in the order they
   * happened (expressions of rules the test reaches are not recorded).
   */
  public record Step(String op, Location location) {}

  /** An expression of the test body that produced no solution: where, and its source line. */
  public record FailedExpr(String file, int row, String text) {}

  /** The last expression that failed and the values it saw (see EvalListener.Seen). */
  public record FailedLine(Location location, List<EvalListener.Seen> seen) {
    public FailedLine {
      seen = List.copyOf(seen);
    }
  }

  /** A {@code trace(note)} call's note and where it was made. */
  public record Note(Location location, String message) {}

  public TestResult {
    subResults = subResults == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(subResults));
    failures = failures == null ? List.of() : List.copyOf(failures);
    notes = notes == null ? List.of() : List.copyOf(notes);
    steps = steps == null ? List.of() : List.copyOf(steps);
  }

  public TestResult(String packageName, String name, String file, int row, boolean fail, boolean skip, String error,
      long durationNanos, String output, Map<String, Boolean> subResults, List<FailedExpr> failures,
      dev.gatehouse.engine.RegoError errorDetail, FailedLine failedLine, List<Note> notes, Bench.Result bench) {
    this(packageName, name, file, row, fail, skip, error, durationNanos, output, subResults, failures, errorDetail,
        failedLine, notes, bench, null);
  }

  public TestResult(String packageName, String name, String file, int row, boolean fail, boolean skip, String error,
      long durationNanos, String output, Map<String, Boolean> subResults, List<FailedExpr> failures,
      dev.gatehouse.engine.RegoError errorDetail) {
    this(packageName, name, file, row, fail, skip, error, durationNanos, output, subResults, failures, errorDetail,
        null, null, null);
  }

  public TestResult(String packageName, String name, String file, int row, boolean fail, boolean skip, String error,
      long durationNanos, String output) {
    this(packageName, name, file, row, fail, skip, error, durationNanos, output, null, null, null);
  }

  public TestResult(String packageName, String name, String file, int row, boolean fail, boolean skip, String error,
      long durationNanos, String output, Map<String, Boolean> subResults, List<FailedExpr> failures) {
    this(packageName, name, file, row, fail, skip, error, durationNanos, output, subResults, failures, null);
  }

  /** This result with its failure values, notes and benchmark. */
  TestResult with(FailedLine line, List<Note> notes, Bench.Result bench) {
    return new TestResult(packageName, name, file, row, fail, skip, error, durationNanos, output, subResults, failures,
        errorDetail, line, notes, bench, steps);
  }

  /** This result with the steps of its evaluation. */
  TestResult withSteps(List<Step> steps) {
    return new TestResult(packageName, name, file, row, fail, skip, error, durationNanos, output, subResults, failures,
        errorDetail, failedLine, notes, bench, steps);
  }

  public boolean passed() {
    return !fail && !skip && error == null;
  }

  /** {@code data.pkg.name}, as opa prints it. */
  public String fullName() {
    return packageName + "." + name;
  }
}
