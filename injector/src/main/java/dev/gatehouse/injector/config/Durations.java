package dev.gatehouse.injector.config;

import dev.gatehouse.engine.builtins.core.GoDuration;
import java.time.Duration;

/** Go-style duration text ({@code 500ms}, {@code 2s}, {@code 1m30s}) as Kubernetes users write it. */
public final class Durations {
  private Durations() {}

  /** Go's time.ParseDuration (the engine's parser). @throws IllegalArgumentException naming the offending text */
  public static Duration parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("empty duration");
    }
    try {
      return Duration.ofNanos(GoDuration.parse(text.trim()));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(e.getMessage() + " (expected e.g. 500ms, 2s, 1m30s)", e);
    }
  }

  /** The shortest Go-style text for a duration (for logs and the effective config). */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms % 1000 == 0) {
      return (ms / 1000) + "s";
    }
    return ms + "ms";
  }
}
