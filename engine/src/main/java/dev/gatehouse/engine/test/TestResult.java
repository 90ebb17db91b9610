package dev.gatehouse.engine.test;

/**
 * One Rego test (or one case of a parameterized test). {@code name} includes the case key for
 * parameterized tests ({@code test_x["case one"]}); {@code error} is null unless evaluation failed.
 */
public record TestResult(String packageName, String name, String file, int row, boolean fail, boolean skip,
    String error, long durationNanos, String output) {
  public boolean passed() {
    return !fail && !skip && error == null;
  }
}
