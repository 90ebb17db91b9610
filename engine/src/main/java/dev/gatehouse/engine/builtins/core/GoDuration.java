package dev.gatehouse.engine.builtins.core;

import dev.gatehouse.engine.builtins.BuiltinException;

/**
 * Go's time.ParseDuration, plus OPA's extension: days, weeks and years ({@code d}, {@code w},
 * {@code y}, as 24, 168 and 8760 hours), with the same error messages.
 */
public final class GoDuration {
  private GoDuration() {}

  /** OPA's parseExtendedDuration. */
  static long parseExtended(String s) {
    if (s.isEmpty()) {
      throw invalid(s);
    }
    if (s.indexOf('d') < 0 && s.indexOf('w') < 0 && s.indexOf('y') < 0) {
      return parse(s);
    }
    // [-+]? ( [0-9.]+ ( ms | us | µs | ns | [a-z] ) )+
    StringBuilder rewritten = new StringBuilder();
    int i = 0;
    if (s.charAt(0) == '-' || s.charAt(0) == '+') {
      rewritten.append(s.charAt(0));
      i = 1;
    }
    if (i >= s.length()) {
      throw invalid(s);
    }
    while (i < s.length()) {
      int start = i;
      while (i < s.length() && (Character.isDigit(s.charAt(i)) && s.charAt(i) < 128 || s.charAt(i) == '.')) {
        i++;
      }
      if (i == start) {
        throw invalid(s);
      }
      String digits = s.substring(start, i);
      String unit;
      if (s.startsWith("ms", i) || s.startsWith("us", i) || s.startsWith("µs", i) || s.startsWith("ns", i)) {
        unit = s.substring(i, i + 2);
      } else if (i < s.length() && s.charAt(i) >= 'a' && s.charAt(i) <= 'z') {
        unit = s.substring(i, i + 1);
      } else {
        throw invalid(s);
      }
      i += unit.length();
      int coeff = switch (unit) {
        case "d" -> 24;
        case "w" -> 7 * 24;
        case "y" -> 365 * 24;
        default -> 0;
      };
      if (coeff == 0) {
        rewritten.append(digits).append(unit);
        continue;
      }
      double val;
      try {
        if (!digits.matches("[0-9]*\\.?[0-9]*") || digits.equals(".")) {
          throw new NumberFormatException();
        }
        val = Double.parseDouble(digits);
      } catch (NumberFormatException e) {
        throw invalid(s);
      }
      rewritten.append(GoFloat.format(val * coeff, 'f', -1)).append('h');
    }
    try {
      return parse(rewritten.toString());
    } catch (BuiltinException e) {
      String msg = e.getMessage();
      int sp = msg.lastIndexOf(' ');
      if (sp >= 0) {
        msg = msg.substring(0, sp);
      }
      throw BuiltinException.error(msg + " " + GoFmt.goQuote(s));
    }
  }

  private static BuiltinException invalid(String orig) {
    return BuiltinException.error("time: invalid duration " + GoFmt.goQuote(orig));
  }

  private static long unit(String u) {
    return switch (u) {
      case "ns" -> 1L;
      case "us", "\u00b5s", "\u03bcs" -> 1_000L;
      case "ms" -> 1_000_000L;
      case "s" -> 1_000_000_000L;
      case "m" -> 60_000_000_000L;
      case "h" -> 3_600_000_000_000L;
      default -> -1;
    };
  }

  /**
   * Go's time.ParseDuration, in nanoseconds: what opa's flags, OPA's http.send timeout and
   * Kubernetes-style configuration take ({@code 500ms}, {@code 1.5s}, {@code 2m30s}).
   *
   * @throws BuiltinException with Go's message ({@code time: invalid duration "x"})
   */
  public static long parse(String orig) {
    String s = orig;
    boolean neg = false;
    if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
      neg = s.charAt(0) == '-';
      s = s.substring(1);
    }
    if (s.equals("0")) {
      return 0;
    }
    if (s.isEmpty()) {
      throw invalid(orig);
    }
    // d holds the magnitude as an unsigned 64-bit value
    long d = 0;
    int i = 0;
    while (i < s.length()) {
      char c0 = s.charAt(i);
      if (!(c0 == '.' || (c0 >= '0' && c0 <= '9'))) {
        throw invalid(orig);
      }
      // leading integer
      long v = 0;
      int start = i;
      while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        if (Long.compareUnsigned(v, Long.divideUnsigned(1L << 63, 10)) > 0) {
          throw invalid(orig);
        }
        v = v * 10 + (s.charAt(i) - '0');
        if (Long.compareUnsigned(v, 1L << 63) > 0) {
          throw invalid(orig);
        }
        i++;
      }
      boolean pre = i != start;
      long f = 0;
      double scale = 1;
      boolean post = false;
      if (i < s.length() && s.charAt(i) == '.') {
        i++;
        int fs = i;
        boolean overflow = false;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
          if (!overflow) {
            if (Long.compareUnsigned(f, Long.divideUnsigned(Long.MAX_VALUE, 10)) > 0) {
              overflow = true;
            } else {
              long y = f * 10 + (s.charAt(i) - '0');
              if (y < 0) {
                overflow = true;
              } else {
                f = y;
                scale *= 10;
              }
            }
          }
          i++;
        }
        post = i != fs;
      }
      if (!pre && !post) {
        throw invalid(orig);
      }
      int us = i;
      while (i < s.length() && s.charAt(i) != '.' && !(s.charAt(i) >= '0' && s.charAt(i) <= '9')) {
        i++;
      }
      if (us == i) {
        throw BuiltinException.error("time: missing unit in duration " + GoFmt.goQuote(orig));
      }
      String u = s.substring(us, i);
      long unit = unit(u);
      if (unit < 0) {
        throw BuiltinException.error("time: unknown unit " + GoFmt.goQuote(u) + " in duration " + GoFmt.goQuote(orig));
      }
      if (Long.compareUnsigned(v, Long.divideUnsigned(1L << 63, unit)) > 0) {
        throw invalid(orig);
      }
      v *= unit;
      if (f > 0) {
        double add = (double) f * ((double) unit / scale);
        v += (long) add;
        if (Long.compareUnsigned(v, 1L << 63) > 0) {
          throw invalid(orig);
        }
      }
      d += v;
      if (Long.compareUnsigned(d, 1L << 63) > 0) {
        throw invalid(orig);
      }
    }
    if (neg) {
      return -d;
    }
    if (Long.compareUnsigned(d, Long.MAX_VALUE) > 0) {
      throw invalid(orig);
    }
    return d;
  }
}
