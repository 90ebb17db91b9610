package dev.gatehouse.injector.config;

import java.time.Duration;

/** Go-style duration text ({@code 500ms}, {@code 2s}, {@code 1m30s}) as Kubernetes users write it. */
public final class Durations {
  private Durations() {}

  /** @throws IllegalArgumentException naming the offending text */
  public static Duration parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("empty duration");
    }
    String s = text.trim();
    if (s.equals("0")) {
      return Duration.ZERO;
    }
    Duration total = Duration.ZERO;
    int i = 0;
    while (i < s.length()) {
      int start = i;
      while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
        i++;
      }
      if (start == i) {
        throw new IllegalArgumentException("invalid duration \"" + text + "\" (expected e.g. 500ms, 2s, 1m30s)");
      }
      double amount;
      try {
        amount = Double.parseDouble(s.substring(start, i));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("invalid duration \"" + text + "\"");
      }
      int unitStart = i;
      while (i < s.length() && Character.isLetter(s.charAt(i))) {
        i++;
      }
      long nanosPerUnit = switch (s.substring(unitStart, i)) {
        case "ns" -> 1L;
        case "us", "µs" -> 1_000L;
        case "ms" -> 1_000_000L;
        case "s" -> 1_000_000_000L;
        case "m" -> 60_000_000_000L;
        case "h" -> 3_600_000_000_000L;
        default -> throw new IllegalArgumentException("invalid duration \"" + text
            + "\": unit must be one of ns, us, ms, s, m, h");
      };
      total = total.plusNanos(Math.round(amount * nanosPerUnit));
    }
    return total;
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
