package dev.gatehouse.engine.test;

import dev.gatehouse.engine.ast.RegoVersion;
import java.time.Duration;
import java.util.regex.Pattern;

/** How to run tests: a filter on {@code package.name}, a per-test timeout, the Rego version. */
public record TestOptions(Pattern run, Duration timeout, RegoVersion version, boolean coverage) {
  public static TestOptions defaults() {
    return new TestOptions(null, Duration.ofSeconds(5), RegoVersion.V1, false);
  }
}
