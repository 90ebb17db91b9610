package dev.gatehouse.cli;

import java.time.Duration;
import picocli.CommandLine;

/** Go's time.ParseDuration format ({@code 300ms}, {@code 1.5s}, {@code 2m30s}, {@code 1h}), as opa's flags take. */
final class GoDuration implements CommandLine.ITypeConverter<Duration> {
  @Override
  public Duration convert(String s) {
    return parse(s);
  }

  static Duration parse(String s) {
    String t = s.trim();
    if (t.equals("0")) {
      return Duration.ZERO;
    }
    if (t.isEmpty()) {
      throw new CommandLine.TypeConversionException("invalid duration \"" + s + "\"");
    }
    double nanos = 0;
    int i = 0;
    while (i < t.length()) {
      int start = i;
      while (i < t.length() && (Character.isDigit(t.charAt(i)) || t.charAt(i) == '.')) {
        i++;
      }
      if (start == i) {
        throw new CommandLine.TypeConversionException("invalid duration \"" + s + "\" (e.g. 500ms, 5s, 1m30s)");
      }
      double n = Double.parseDouble(t.substring(start, i));
      int u = i;
      while (i < t.length() && !Character.isDigit(t.charAt(i)) && t.charAt(i) != '.') {
        i++;
      }
      double scale = switch (t.substring(u, i)) {
        case "ns" -> 1;
        case "us", "µs" -> 1e3;
        case "ms" -> 1e6;
        case "s" -> 1e9;
        case "m" -> 60e9;
        case "h" -> 3600e9;
        default -> throw new CommandLine.TypeConversionException("invalid duration \"" + s
            + "\": unknown unit \"" + t.substring(u, i) + "\" (use ns, us, ms, s, m, h)");
      };
      nanos += n * scale;
    }
    return Duration.ofNanos((long) nanos);
  }
}
