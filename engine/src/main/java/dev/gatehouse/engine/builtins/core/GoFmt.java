package dev.gatehouse.engine.builtins.core;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;

/**
 * Go's fmt.Sprintf for the argument kinds OPA's sprintf passes: int64 / big.Int (Long,
 * BigInteger), float64 (Double), string (String; also composite values rendered as Rego text).
 */
final class GoFmt {
  private GoFmt() {}

  static String sprintf(String format, List<Object> args) {
    StringBuilder out = new StringBuilder();
    int argi = 0;
    int n = format.length();
    for (int i = 0; i < n; i++) {
      char c = format.charAt(i);
      if (c != '%') {
        out.append(c);
        continue;
      }
      if (i + 1 >= n) {
        out.append("%!(NOVERB)");
        break;
      }
      // flags
      boolean minus = false;
      boolean plus = false;
      boolean zero = false;
      boolean space = false;
      boolean sharp = false;
      int j = i + 1;
      for (; j < n; j++) {
        char f = format.charAt(j);
        if (f == '-') {
          minus = true;
        } else if (f == '+') {
          plus = true;
        } else if (f == '0') {
          zero = true;
        } else if (f == ' ') {
          space = true;
        } else if (f == '#') {
          sharp = true;
        } else {
          break;
        }
      }
      int width = -1;
      int start = j;
      while (j < n && Character.isDigit(format.charAt(j))) {
        j++;
      }
      if (j > start) {
        width = Integer.parseInt(format.substring(start, j));
      }
      int prec = -1;
      if (j < n && format.charAt(j) == '.') {
        j++;
        int ps = j;
        while (j < n && Character.isDigit(format.charAt(j))) {
          j++;
        }
        prec = j > ps ? Integer.parseInt(format.substring(ps, j)) : 0;
      }
      if (j >= n) {
        out.append("%!(NOVERB)");
        break;
      }
      char verb = format.charAt(j);
      i = j;
      if (verb == '%') {
        out.append('%');
        continue;
      }
      if (argi >= args.size()) {
        out.append("%!").append(verb).append("(MISSING)");
        continue;
      }
      Object arg = args.get(argi++);
      String s = format(verb, arg, prec, plus, space, sharp);
      out.append(pad(s, width, minus, zero && !minus && isNumeric(arg, verb)));
    }
    if (argi < args.size()) {
      out.append("%!(EXTRA ");
      for (int k = argi; k < args.size(); k++) {
        if (k > argi) {
          out.append(", ");
        }
        Object a = args.get(k);
        out.append(typeName(a)).append('=').append(format('v', a, -1, false, false, false));
      }
      out.append(')');
    }
    return out.toString();
  }

  private static boolean isNumeric(Object arg, char verb) {
    return (arg instanceof Long || arg instanceof BigInteger || arg instanceof Double) && verb != 's' && verb != 'q';
  }

  private static String pad(String s, int width, boolean left, boolean zero) {
    int len = s.codePointCount(0, s.length());
    if (width <= len) {
      return s;
    }
    String fill = (zero ? "0" : " ").repeat(width - len);
    if (left) {
      return s + fill;
    }
    if (zero && (s.startsWith("-") || s.startsWith("+"))) {
      return s.charAt(0) + fill + s.substring(1);
    }
    return fill + s;
  }

  private static String typeName(Object a) {
    if (a instanceof Long) {
      return "int64";
    }
    if (a instanceof BigInteger) {
      return "*big.Int";
    }
    if (a instanceof Double) {
      return "float64";
    }
    return "string";
  }

  private static String bad(char verb, Object a) {
    return "%!" + verb + "(" + typeName(a) + "=" + format('v', a, -1, false, false, false) + ")";
  }

  private static String format(char verb, Object a, int prec, boolean plus, boolean space, boolean sharp) {
    if (a instanceof String s) {
      switch (verb) {
        case 'v':
        case 's':
          return prec >= 0 && prec < s.codePointCount(0, s.length()) ? s.substring(0, s.offsetByCodePoints(0, prec)) : s;
        case 'q':
          return goQuote(s);
        case 'x':
        case 'X': {
          StringBuilder sb = new StringBuilder();
          for (byte b : s.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            sb.append(String.format(verb == 'x' ? "%02x" : "%02X", b & 0xFF));
          }
          return sb.toString();
        }
        case 'T':
          return "string";
        default:
          return bad(verb, a);
      }
    }
    if (a instanceof Long || a instanceof BigInteger) {
      BigInteger v = a instanceof Long l ? BigInteger.valueOf(l) : (BigInteger) a;
      String sign = v.signum() < 0 ? "-" : plus ? "+" : space ? " " : "";
      BigInteger abs = v.abs();
      switch (verb) {
        case 'v':
        case 'd':
          return sign + abs.toString();
        case 'x':
          return sign + (sharp ? "0x" : "") + abs.toString(16);
        case 'X':
          return sign + (sharp ? "0X" : "") + abs.toString(16).toUpperCase();
        case 'o':
          return sign + (sharp ? "0" : "") + abs.toString(8);
        case 'b':
          return sign + abs.toString(2);
        case 'c':
          return new String(Character.toChars(v.intValue()));
        case 'T':
          return a instanceof Long ? "int64" : "*big.Int";
        case 'e':
        case 'f':
        case 'g':
        case 'E':
        case 'F':
        case 'G':
          if (a instanceof BigInteger) {
            return format(verb, v.doubleValue(), prec, plus, space, sharp);
          }
          return bad(verb, a);
        default:
          return bad(verb, a);
      }
    }
    if (a instanceof Double d) {
      String sign = (d < 0 || (d == 0 && 1 / d < 0)) ? "-" : plus ? "+" : space ? " " : "";
      double abs = Math.abs(d);
      switch (verb) {
        case 'v':
        case 'g':
          return sign + goG(abs, prec);
        case 'G':
          return sign + goG(abs, prec).toUpperCase();
        case 'f':
        case 'F':
          return sign + new BigDecimal(abs).setScale(prec < 0 ? 6 : prec, java.math.RoundingMode.HALF_EVEN).toPlainString();
        case 'e':
        case 'E': {
          String e = goE(abs, prec < 0 ? 6 : prec);
          return sign + (verb == 'E' ? e.toUpperCase() : e);
        }
        case 'T':
          return "float64";
        default:
          return bad(verb, a);
      }
    }
    return bad(verb, a);
  }

  /** %e: d.dddddde±dd with the given precision. */
  private static String goE(double abs, int prec) {
    String s = String.format("%." + prec + "e", abs);
    // Java prints e+00 / e-05 like Go: two-digit minimum exponent
    return s;
  }

  /** %g / %v of a float64: shortest digits; exponent form when exp < -4 or exp >= the precision (6 when shortest). */
  static String goG(double abs, int prec) {
    if (Double.isInfinite(abs)) {
      return "+Inf";
    }
    if (Double.isNaN(abs)) {
      return "NaN";
    }
    if (abs == 0) {
      return "0";
    }
    BigDecimal bd;
    if (prec < 0) {
      bd = new BigDecimal(Double.toString(abs)).stripTrailingZeros();
    } else {
      bd = new BigDecimal(abs).round(new java.math.MathContext(Math.max(prec, 1), java.math.RoundingMode.HALF_EVEN)).stripTrailingZeros();
    }
    String digits = bd.unscaledValue().toString();
    int exp = digits.length() - 1 - bd.scale();
    int eprec = prec < 0 ? 6 : Math.max(prec, 1);
    if (exp < -4 || exp >= eprec) {
      StringBuilder sb = new StringBuilder().append(digits.charAt(0));
      if (digits.length() > 1) {
        sb.append('.').append(digits, 1, digits.length());
      }
      sb.append('e').append(exp < 0 ? '-' : '+');
      int ae = Math.abs(exp);
      if (ae < 10) {
        sb.append('0');
      }
      return sb.append(ae).toString();
    }
    return bd.toPlainString();
  }

  /** strconv.Quote. */
  static String goQuote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      switch (cp) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case 7 -> sb.append("\\a");
        case 8 -> sb.append("\\b");
        case 12 -> sb.append("\\f");
        case 11 -> sb.append("\\v");
        default -> {
          if (cp < 0x20 || cp == 0x7f) {
            sb.append(String.format("\\x%02x", cp));
          } else {
            sb.appendCodePoint(cp);
          }
        }
      }
    }
    return sb.append('"').toString();
  }
}
