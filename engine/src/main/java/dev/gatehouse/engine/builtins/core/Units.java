package dev.gatehouse.engine.builtins.core;

import dev.gatehouse.engine.builtins.BuiltinException;
import dev.gatehouse.engine.value.NumberValue;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * units.parse (SI and binary suffixes; "m" is milli, taken as the float64 0.001 as OPA does) and
 * units.parse_bytes (case-insensitive, optional "b"), with OPA's error messages.
 */
final class Units {
  private static final int MAX_EXPONENT_DIGITS = 6;
  /** The exact value of the float64 nearest 0.001. */
  private static final BigDecimal MILLI = new BigDecimal(0.001);

  private Units() {}

  static NumberValue parse(String raw) {
    String s = raw.replace("\"", "");
    if (s.contains(" ")) {
      throw error("units.parse", "spaces not allowed in resource strings");
    }
    String[] nu = split(s, "units.parse");
    String num = nu[0];
    String unit = nu[1];
    if (num.isEmpty()) {
      throw error("units.parse", "no amount provided");
    }
    if (unit.length() > 1) {
      unit = unit.charAt(0) + unit.substring(1).toLowerCase(Locale.ROOT);
    }
    BigDecimal mult = switch (unit) {
      case "m" -> MILLI;
      case "" -> BigDecimal.ONE;
      case "k", "K" -> BigDecimal.valueOf(1000);
      case "ki", "Ki" -> BigDecimal.valueOf(1024);
      case "M" -> BigDecimal.valueOf(1_000_000);
      case "mi", "Mi" -> BigDecimal.valueOf(1L << 20);
      case "g", "G" -> BigDecimal.valueOf(1_000_000_000L);
      case "gi", "Gi" -> BigDecimal.valueOf(1L << 30);
      case "t", "T" -> BigDecimal.valueOf(1_000_000_000_000L);
      case "ti", "Ti" -> BigDecimal.valueOf(1L << 40);
      case "p", "P" -> BigDecimal.valueOf(1_000_000_000_000_000L);
      case "pi", "Pi" -> BigDecimal.valueOf(1L << 50);
      case "e", "E" -> BigDecimal.valueOf(1_000_000_000_000_000_000L);
      case "ei", "Ei" -> BigDecimal.valueOf(1L << 60);
      default -> throw error("units.parse", "unit " + unit + " not recognized");
    };
    BigDecimal amount = rational(num);
    if (amount == null) {
      throw error("units.parse", "could not parse amount to a number");
    }
    BigDecimal r = amount.multiply(mult);
    if (r.signum() == 0 || r.stripTrailingZeros().scale() <= 0) {
      return Arith.intToNumber(r.toBigInteger());
    }
    // big.Rat's FloatString(10): ten decimals, halves rounded away from zero
    return NumberValue.parse(r.setScale(10, RoundingMode.HALF_UP).toPlainString());
  }

  static NumberValue parseBytes(String raw) {
    String s = raw.toLowerCase(Locale.ROOT).replace("\"", "");
    if (s.contains(" ")) {
      throw error("units.parse_bytes", "spaces not allowed in resource strings");
    }
    String[] nu = split(s, "units.parse_bytes");
    String num = nu[0];
    String unit = nu[1];
    if (num.isEmpty()) {
      throw error("units.parse_bytes", "no byte amount provided");
    }
    long mult = switch (unit) {
      case "" -> 1L;
      case "kb", "k" -> 1000L;
      case "kib", "ki" -> 1L << 10;
      case "mb", "m" -> 1_000_000L;
      case "mib", "mi" -> 1L << 20;
      case "gb", "g" -> 1_000_000_000L;
      case "gib", "gi" -> 1L << 30;
      case "tb", "t" -> 1_000_000_000_000L;
      case "tib", "ti" -> 1L << 40;
      case "pb", "p" -> 1_000_000_000_000_000L;
      case "pib", "pi" -> 1L << 50;
      case "eb", "e" -> 1_000_000_000_000_000_000L;
      case "eib", "ei" -> 1L << 60;
      default -> throw error("units.parse_bytes", "byte unit " + unit + " not recognized");
    };
    BigDecimal amount = floatString(num);
    if (amount == null) {
      throw error("units.parse_bytes", "could not parse byte amount to a number");
    }
    // a 64-bit big.Float product, truncated to an integer
    BigDecimal product = Arith.round64(amount.multiply(BigDecimal.valueOf(mult)));
    return Arith.intToNumber(product.setScale(0, RoundingMode.DOWN).toBigInteger());
  }

  /** OPA's extractNumAndUnit: the number (digits, '.', exponents) and the rest. */
  private static String[] split(String s, String fn) {
    int first = -1;
    for (int i = 0; i < s.length(); i++) {
      char r = s.charAt(i);
      boolean isNum = Character.isDigit(r) || r == '.';
      if (!isNum && r != 'e' && r != 'E' && r != '+' && r != '-') {
        first = i;
        break;
      }
      if (r == 'e' || r == 'E') {
        if (i == s.length() - 1 || (!Character.isDigit(s.charAt(i + 1)) && s.charAt(i + 1) != '+' && s.charAt(i + 1) != '-')) {
          first = i;
          break;
        }
        if (i + 1 < s.length() && (s.charAt(i + 1) == '+' || s.charAt(i + 1) == '-')) {
          i++;
        }
        int start = i + 1;
        int end = start;
        while (end < s.length() && Character.isDigit(s.charAt(end))) {
          end++;
        }
        if (end - start > MAX_EXPONENT_DIGITS) {
          throw error(fn, "exponent too large");
        }
      }
    }
    if (first == -1) {
      return new String[] {s, ""};
    }
    return new String[] {s.substring(0, first), s.substring(first)};
  }

  /** big.Rat's SetString for decimal text: sign, digits, fraction, exponent. */
  private static BigDecimal rational(String s) {
    if (!s.matches("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?")) {
      return null;
    }
    return new BigDecimal(s.startsWith("+") ? s.substring(1) : s);
  }

  /** big.Float's SetString (64-bit precision) for decimal text. */
  private static BigDecimal floatString(String s) {
    BigDecimal d = rational(s);
    return d == null ? null : Arith.round64(d);
  }

  private static BuiltinException error(String fn, String msg) {
    return BuiltinException.error(fn + ": " + msg);
  }
}
