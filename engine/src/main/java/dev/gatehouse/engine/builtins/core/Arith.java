package dev.gatehouse.engine.builtins.core;

import dev.gatehouse.engine.value.NumberValue;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * OPA's number semantics: integers are exact (big.Int); anything else is a big.Float with a 64-bit
 * mantissa, printed as Go's shortest {@code %g} (or as an integer when the rounded value is one).
 */
public final class Arith {
  private static final MathContext WORK = new MathContext(60, RoundingMode.HALF_EVEN);
  private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);
  private static final BigInteger TWO_63 = BigInteger.ONE.shiftLeft(63);

  private Arith() {}

  public static NumberValue plus(NumberValue a, NumberValue b) {
    if (a.isLong() && b.isLong()) {
      long x = a.longValue();
      long y = b.longValue();
      long r = x + y;
      if (((x ^ r) & (y ^ r)) >= 0) {
        return NumberValue.of(r);
      }
    }
    if (a.isInteger() && b.isInteger()) {
      return NumberValue.of(a.bigIntegerValue().add(b.bigIntegerValue()));
    }
    return fromExact(a.bigDecimalValue().add(b.bigDecimalValue()));
  }

  public static NumberValue minus(NumberValue a, NumberValue b) {
    if (a.isLong() && b.isLong()) {
      long x = a.longValue();
      long y = b.longValue();
      long r = x - y;
      if (((x ^ y) & (x ^ r)) >= 0) {
        return NumberValue.of(r);
      }
    }
    if (a.isInteger() && b.isInteger()) {
      return NumberValue.of(a.bigIntegerValue().subtract(b.bigIntegerValue()));
    }
    return fromExact(a.bigDecimalValue().subtract(b.bigDecimalValue()));
  }

  public static NumberValue mul(NumberValue a, NumberValue b) {
    if (a.isLong() && b.isLong()) {
      long x = a.longValue();
      long y = b.longValue();
      long hi = Math.multiplyHigh(x, y);
      long lo = x * y;
      if ((hi == 0 && lo >= 0) || (hi == -1 && lo < 0)) {
        return NumberValue.of(lo);
      }
    }
    if (a.isInteger() && b.isInteger()) {
      return NumberValue.of(a.bigIntegerValue().multiply(b.bigIntegerValue()));
    }
    return fromExact(a.bigDecimalValue().multiply(b.bigDecimalValue()));
  }

  /** Division; throws ArithmeticException("divide by zero") for a zero divisor. */
  public static NumberValue div(NumberValue a, NumberValue b) {
    if (b.signum() == 0) {
      throw new ArithmeticException("divide by zero");
    }
    if (a.isInteger() && b.isInteger()) {
      BigInteger[] qr = a.bigIntegerValue().divideAndRemainder(b.bigIntegerValue());
      if (qr[1].signum() == 0) {
        return NumberValue.of(qr[0]);
      }
    }
    return fromExact(a.bigDecimalValue().divide(b.bigDecimalValue(), WORK));
  }

  /** Rounds an exact decimal to a 64-bit binary mantissa and renders it as OPA prints big.Float. */
  public static NumberValue fromExact(BigDecimal exact) {
    if (exact.signum() == 0) {
      return NumberValue.ZERO;
    }
    BigDecimal bin = toBinary64(exact);
    if (bin.signum() == 0 || bin.stripTrailingZeros().scale() <= 0) {
      return NumberValue.of(bin.toBigInteger());
    }
    BigDecimal shortest = bin;
    for (int p = 1; p <= 40; p++) {
      BigDecimal d = bin.round(new MathContext(p, RoundingMode.HALF_EVEN));
      if (toBinary64(d).compareTo(bin) == 0) {
        shortest = d;
        break;
      }
    }
    return NumberValue.parse(formatG(shortest));
  }

  /** The value nearest to x with a 64-bit mantissa (ties to even), as an exact decimal. */
  static BigDecimal toBinary64(BigDecimal x) {
    int sign = x.signum();
    BigDecimal ax = x.abs();
    // find e with 2^63 <= ax / 2^e < 2^64
    int e = (int) Math.floor(Math.log(ax.doubleValue()) / Math.log(2)) - 63;
    if (Double.isInfinite(ax.doubleValue()) || ax.doubleValue() == 0) {
      e = estimateExponent(ax) - 63;
    }
    BigInteger m;
    while (true) {
      BigDecimal scaled = e >= 0 ? ax.divide(new BigDecimal(BigInteger.ONE.shiftLeft(e)), WORK)
          : ax.multiply(new BigDecimal(BigInteger.ONE.shiftLeft(-e)));
      m = scaled.setScale(0, RoundingMode.HALF_EVEN).toBigInteger();
      if (m.compareTo(TWO_64) >= 0) {
        e++;
      } else if (m.compareTo(TWO_63) < 0) {
        e--;
      } else {
        break;
      }
    }
    BigDecimal v = new BigDecimal(m);
    v = e >= 0 ? v.multiply(new BigDecimal(BigInteger.ONE.shiftLeft(e))) : v.divide(new BigDecimal(BigInteger.ONE.shiftLeft(-e)));
    return sign < 0 ? v.negate() : v;
  }

  private static int estimateExponent(BigDecimal ax) {
    // log2(ax) ≈ (precision - scale) * log2(10)
    return (int) Math.floor((ax.precision() - ax.scale()) * 3.321928094887362);
  }

  /** Go's strconv 'g' with shortest digits (only non-integers get here): %e when the exponent is < -4 or >= 6. */
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
