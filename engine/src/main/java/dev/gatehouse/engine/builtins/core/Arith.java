package dev.gatehouse.engine.builtins.core;

import dev.gatehouse.engine.builtins.BuiltinException;
import dev.gatehouse.engine.value.NumberValue;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * OPA's number semantics. Operands in the int32 window use machine arithmetic; other integers
 * (including integral literals such as {@code 1.0} or {@code 1e30}) are exact for +, -, *, %;
 * everything else is a Go {@code big.Float} with a 64-bit mantissa, rounded to nearest even
 * after every operation and printed with the fewest digits that identify it ({@code %g}, or plain
 * digits when the value is an integer).
 */
public final class Arith {
  private static final MathContext WORK = new MathContext(60, RoundingMode.HALF_EVEN);
  private static final BigDecimal HALF = new BigDecimal("0.5");

  private Arith() {}

  /** True when OPA takes its int32 fast path for this operand. */
  private static boolean small(NumberValue n) {
    if (!n.isIntLiteral()) {
      return false;
    }
    long v = n.longValue();
    return v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE;
  }

  /** Integer literal text (no fraction or exponent), as Go's strconv.ParseInt accepts. */
  static boolean isPlain(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '.' || c == 'e' || c == 'E') {
        return false;
      }
    }
    return true;
  }

  /** The operand as an exact integer (OPA's NumberToInt: integer text, or an integral decimal/exponent form). */
  static BigInteger exactInt(NumberValue n) {
    return n.isInteger() ? n.bigIntegerValue() : null;
  }

  public static NumberValue plus(NumberValue a, NumberValue b) {
    if (small(a) && small(b)) {
      long x = a.longValue();
      long y = b.longValue();
      return NumberValue.of(x + y);
    }
    BigInteger bx = exactInt(a);
    BigInteger by = exactInt(b);
    if (bx != null && by != null) {
      return intToNumber(bx.add(by));
    }
    return floatToNumber(round64(toFloat(a).add(toFloat(b))));
  }

  public static NumberValue minus(NumberValue a, NumberValue b) {
    if (small(a) && small(b)) {
      long x = a.longValue();
      long y = b.longValue();
      return NumberValue.of(x - y);
    }
    BigInteger bx = exactInt(a);
    BigInteger by = exactInt(b);
    if (bx != null && by != null) {
      return intToNumber(bx.subtract(by));
    }
    return floatToNumber(round64(toFloat(a).subtract(toFloat(b))));
  }

  public static NumberValue mul(NumberValue a, NumberValue b) {
    if (small(a) && small(b)) {
      long x = a.longValue();
      long y = b.longValue();
      return NumberValue.of(x * y);
    }
    BigInteger bx = exactInt(a);
    BigInteger by = exactInt(b);
    if (bx != null && by != null) {
      return intToNumber(bx.multiply(by));
    }
    return signedZero(floatToNumber(round64(toFloat(a).multiply(toFloat(b)))), a, b);
  }

  private static final NumberValue NEGATIVE_ZERO = NumberValue.parse("-0");

  /** big.Float keeps the sign of a zero product or quotient: 0 / -5 is -0 in OPA. */
  private static NumberValue signedZero(NumberValue r, NumberValue a, NumberValue b) {
    if (r.signum() == 0 && (a.signum() < 0 || b.signum() < 0) && !(a.signum() < 0 && b.signum() < 0)) {
      return NEGATIVE_ZERO;
    }
    return r;
  }

  /** Division: exact only for small integers that divide evenly; otherwise a float quotient. */
  public static NumberValue div(NumberValue a, NumberValue b) {
    if (small(a) && small(b)) {
      long x = a.longValue();
      long y = b.longValue();
      if (y == 0) {
        throw BuiltinException.error("divide by zero");
      }
      if (x != 0 && x % y == 0) {
        return NumberValue.of(x / y);
      }
    }
    BigDecimal fy = toFloat(b);
    if (fy.signum() == 0) {
      throw BuiltinException.error("divide by zero");
    }
    return signedZero(floatToNumber(round64(toFloat(a).divide(fy, WORK))), a, b);
  }

  /** Remainder with the sign of the dividend; integers only. */
  public static NumberValue rem(NumberValue a, NumberValue b) {
    if (small(a) && small(b)) {
      long x = a.longValue();
      long y = b.longValue();
      if (y == 0) {
        throw BuiltinException.error("modulo by zero");
      }
      return NumberValue.of(x % y);
    }
    BigInteger bx = exactInt(a);
    BigInteger by = exactInt(b);
    if (bx != null && by != null) {
      if (by.signum() == 0) {
        throw BuiltinException.error("modulo by zero");
      }
      return intToNumber(bx.remainder(by));
    }
    throw BuiltinException.error("modulo on floating-point number");
  }

  public static NumberValue abs(NumberValue a) {
    if (small(a)) {
      return NumberValue.of(Math.abs(a.longValue()));
    }
    return floatToNumber(toFloat(a).abs());
  }

  /**
   * Rounds half away from zero, as OPA adds or subtracts 0.5 (in float precision) and truncates;
   * like ceil and floor, the result is the exact integer, however large.
   */
  public static NumberValue round(NumberValue a) {
    if (small(a)) {
      return NumberValue.of(a.longValue());
    }
    BigDecimal f = toFloat(a);
    BigDecimal shifted = round64(f.signum() < 0 ? f.subtract(HALF) : f.add(HALF));
    return intToNumber(shifted.setScale(0, RoundingMode.DOWN).toBigInteger());
  }

  public static NumberValue ceil(NumberValue a) {
    if (small(a)) {
      return NumberValue.of(a.longValue());
    }
    // OPA truncates toward zero and adds one unless the truncation is negative or exact, so
    // values in (-1, 0) ceil to 1
    BigDecimal f = toFloat(a);
    BigInteger t = f.setScale(0, RoundingMode.DOWN).toBigInteger();
    if (t.signum() < 0 || new BigDecimal(t).compareTo(f) == 0) {
      return intToNumber(t);
    }
    return intToNumber(t.add(BigInteger.ONE));
  }

  public static NumberValue floor(NumberValue a) {
    if (small(a)) {
      return NumberValue.of(a.longValue());
    }
    // OPA truncates toward zero and subtracts one only from a negative inexact truncation, so
    // values in (-1, 0) floor to 0
    BigDecimal f = toFloat(a);
    BigInteger t = f.setScale(0, RoundingMode.DOWN).toBigInteger();
    if (t.signum() >= 0 || new BigDecimal(t).compareTo(f) == 0) {
      return intToNumber(t);
    }
    return intToNumber(t.subtract(BigInteger.ONE));
  }

  /** An integer result, printed in full (OPA's IntToNumber). */
  static NumberValue intToNumber(BigInteger i) {
    if (i.bitLength() < 64) {
      return NumberValue.of(i.longValue());
    }
    return NumberValue.parse(i.toString());
  }

  /** The number as a Go big.Float of 64-bit precision (exact decimal of the rounded binary value). */
  static BigDecimal toFloat(NumberValue n) {
    if (n.isLong()) {
      return BigDecimal.valueOf(n.longValue()); // every long fits a 64-bit mantissa exactly
    }
    return round64(n.bigDecimalValue());
  }

  /** Rounds an exact value to a 64-bit binary mantissa (ties to even), as an exact decimal. */
  static BigDecimal round64(BigDecimal x) {
    return roundBits(x, 64);
  }

  /**
   * Rounds an exact value to a binary mantissa of {@code bits} bits (ties to even), as an exact
   * decimal: Go's big.Float of that precision (53 is float64's mantissa with an unbounded exponent).
   */
  static BigDecimal roundBits(BigDecimal x, int bits) {
    int sign = x.signum();
    if (sign == 0) {
      return BigDecimal.ZERO;
    }
    BigDecimal ax = x.abs();
    if (ax.scale() == 0 && ax.unscaledValue().bitLength() <= bits) {
      return x; // an integer of at most that many bits is its own float
    }
    BigInteger top = BigInteger.ONE.shiftLeft(bits);
    BigInteger half = BigInteger.ONE.shiftLeft(bits - 1);
    int e = estimateLog2(ax) - (bits - 1);
    BigInteger m;
    while (true) {
      BigDecimal scaled = e >= 0 ? ax.divide(new BigDecimal(BigInteger.ONE.shiftLeft(e)), WORK)
          : ax.multiply(new BigDecimal(BigInteger.ONE.shiftLeft(-e)));
      BigDecimal rounded = scaled.setScale(0, RoundingMode.HALF_EVEN);
      m = rounded.toBigInteger();
      if (m.compareTo(top) >= 0) {
        e++;
      } else if (m.compareTo(half) < 0) {
        e--;
      } else {
        break;
      }
    }
    BigDecimal v = new BigDecimal(m);
    v = e >= 0 ? v.multiply(new BigDecimal(BigInteger.ONE.shiftLeft(e))) : v.divide(new BigDecimal(BigInteger.ONE.shiftLeft(-e)));
    return sign < 0 ? v.negate() : v;
  }

  private static int estimateLog2(BigDecimal ax) {
    double d = ax.doubleValue();
    if (d > 0 && !Double.isInfinite(d)) {
      return Math.getExponent(d);
    }
    // outside double range: log2(ax) ≈ (digits before the point) * log2(10)
    return (int) Math.floor((ax.precision() - ax.scale() - 1) * 3.321928094887362);
  }

  /** OPA's FloatToNumber: integers as plain digits, others as Go's shortest %g (64-bit precision). */
  static NumberValue floatToNumber(BigDecimal bin) {
    return floatToNumber(bin, 64);
  }

  /** The same for a big.Float of {@code bits} bits of precision. */
  static NumberValue floatToNumber(BigDecimal bin, int bits) {
    if (bin.signum() == 0) {
      return NumberValue.ZERO;
    }
    BigDecimal shortest = shortestDigits(bin, bits);
    if (bin.stripTrailingZeros().scale() <= 0) {
      BigInteger i = shortest.setScale(0, RoundingMode.UNNECESSARY).toBigInteger();
      return intToNumber(i);
    }
    return NumberValue.parse(formatG(shortest));
  }

  /** The decimal with the fewest significant digits that rounds back to the same 64-bit float. */
  private static BigDecimal shortestDigits(BigDecimal bin, int bits) {
    int max = bin.precision();
    for (int p = 1; p < max; p++) {
      BigDecimal d = bin.round(new MathContext(p, RoundingMode.HALF_EVEN));
      if (roundBits(d, bits).compareTo(bin) == 0) {
        return d;
      }
    }
    return bin;
  }

  /** Go's %g with shortest digits: exponent form when the exponent is < -4 or >= 6. */
  static String formatG(BigDecimal d) {
    BigDecimal s = d.stripTrailingZeros();
    String digits = s.unscaledValue().abs().toString();
    int exp = digits.length() - 1 - s.scale();
    String sign = s.signum() < 0 ? "-" : "";
    if (exp < -4 || exp >= 6) {
      StringBuilder sb = new StringBuilder(sign).append(digits.charAt(0));
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
    return sign + s.abs().toPlainString();
  }
}
