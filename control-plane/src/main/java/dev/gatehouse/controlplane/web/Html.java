package dev.gatehouse.controlplane.web;

import java.time.Duration;
import java.time.Instant;

/**
 * HTML building with one escaping rule: every piece of data goes through {@link #esc} (text and
 * attribute values alike, since both are always double-quoted), and nothing else writes data into
 * markup. Pages are plain strings built with {@link StringBuilder}; there is no template engine and
 * no inline script or style, so the Content-Security-Policy can forbid both.
 */
final class Html {
  private Html() {}

  /** Escapes text for element content and double-quoted attribute values. */
  static String esc(Object o) {
    if (o == null) {
      return "";
    }
    String s = String.valueOf(o);
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  /** "1h 5m left", "in 3m", "ended" — for people, relative to {@code now}. */
  static String left(Instant now, Instant until) {
    if (until == null) {
      return "";
    }
    Duration d = Duration.between(now, until);
    if (d.isNegative() || d.isZero()) {
      return "ended";
    }
    return human(d) + " left";
  }

  static String human(Duration d) {
    long s = Math.max(0, d.getSeconds());
    long h = s / 3600;
    long m = (s % 3600) / 60;
    if (h > 0) {
      return h + "h " + m + "m";
    }
    if (m > 0) {
      return m + "m";
    }
    return s + "s";
  }
}
