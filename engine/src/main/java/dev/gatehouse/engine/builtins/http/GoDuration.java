package dev.gatehouse.engine.builtins.http;

import java.math.BigDecimal;

/** Go's time.ParseDuration for the {@code timeout} option ("500ms", "1m30s", "2h"). */
final class GoDuration {
  private GoDuration() {}

  static long parseNanos(String s) {
    String orig = s;
    boolean neg = s.startsWith("-");
    if (s.startsWith("-") || s.startsWith("+")) {
      s = s.substring(1);
    }
    if (s.equals("0")) {
      return 0;
    }
    if (s.isEmpty()) {
      throw new IllegalArgumentException("time: invalid duration \"" + orig + "\"");
    }
    BigDecimal total = BigDecimal.ZERO;
    int i = 0;
    while (i < s.length()) {
      int start = i;
      while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
        i++;
      }
      String num = s.substring(start, i);
      if (num.isEmpty() || num.equals(".")) {
        throw new IllegalArgumentException("time: invalid duration \"" + orig + "\"");
      }
      int u = i;
      while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
        i++;
      }
      long mult = switch (s.substring(u, i)) {
        case "ns" -> 1L;
        case "us", "µs", "μs" -> 1_000L;
        case "ms" -> 1_000_000L;
        case "s" -> 1_000_000_000L;
        case "m" -> 60_000_000_000L;
        case "h" -> 3_600_000_000_000L;
        case "" -> throw new IllegalArgumentException("time: missing unit in duration \"" + orig + "\"");
        default -> throw new IllegalArgumentException(
            "time: unknown unit \"" + s.substring(u, i) + "\" in duration \"" + orig + "\"");
      };
      total = total.add(new BigDecimal(num.endsWith(".") ? num + "0" : num.startsWith(".") ? "0" + num : num)
          .multiply(BigDecimal.valueOf(mult)));
    }
    long ns = total.longValue();
    return neg ? -ns : ns;
  }
}
