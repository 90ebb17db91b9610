package dev.gatehouse.engine.value;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.regex.Pattern;

/**
 * An exact Rego number. Integers that fit in 64 bits take a long fast path; anything else is a
 * {@link BigDecimal}. Like OPA, a number keeps the text it was written with ({@code 1.0},
 * {@code 1e2}) and prints that text back, while comparing and hashing by numeric value
 * ({@code 1 == 1.0}).
 */
public final class NumberValue implements Value {
  private static final Pattern LITERAL = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");
  private static final NumberValue[] SMALL = new NumberValue[256];
  private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
  private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

  static {
    for (int i = 0; i < SMALL.length; i++) {
      SMALL[i] = new NumberValue(i - 128, null, null);
    }
  }

  public static final NumberValue ZERO = of(0);
  public static final NumberValue ONE = of(1);

  private final long longValue;
  /** Null when the value is an integer in long range. */
  private final BigDecimal big;
  /** The literal text; computed lazily for results of arithmetic. */
  private String text;
  private int hash;

  private NumberValue(long longValue, BigDecimal big, String text) {
    this.longValue = longValue;
    this.big = big;
    this.text = text;
  }

  public static NumberValue of(long v) {
    if (v >= -128 && v < 128) {
      return SMALL[(int) v + 128];
    }
    return new NumberValue(v, null, null);
  }

  public static NumberValue of(BigInteger v) {
    if (v.bitLength() < 64) {
      return of(v.longValue());
    }
    return new NumberValue(0, new BigDecimal(v), null);
  }

  /** A computed number; printed in plain notation with trailing zeros stripped ({@code 2.5}, {@code 3}). */
  public static NumberValue of(BigDecimal v) {
    if (isIntegral(v) && fitsLong(v)) {
      return of(v.longValueExact());
    }
    return new NumberValue(0, v, null);
  }

  /** A double result; must be finite. */
  public static NumberValue of(double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      throw new ArithmeticException("number is not finite: " + d);
    }
    if (d == Math.rint(d) && Math.abs(d) < 9.0e15) {
      return of((long) d);
    }
    return of(new BigDecimal(Double.toString(d)));
  }

  /**
   * A number written in JSON/Rego literal syntax; the text is kept for output.
   *
   * @throws NumberFormatException when the text is not a JSON number
   */
  public static NumberValue parse(String literal) {
    int n = literal.length();
    boolean simpleInt = n > 0 && n <= 18;
    for (int i = 0; i < n && simpleInt; i++) {
      char c = literal.charAt(i);
      simpleInt = (c >= '0' && c <= '9') || (i == 0 && c == '-' && n > 1);
    }
    if (simpleInt) {
      long v = Long.parseLong(literal);
      if (Long.toString(v).equals(literal)) {
        return of(v);
      }
    }
    if (!LITERAL.matcher(literal).matches()) {
      throw new NumberFormatException("invalid number literal: " + literal);
    }
    BigDecimal bd = new BigDecimal(literal);
    if (isIntegral(bd) && fitsLong(bd)) {
      return new NumberValue(bd.longValueExact(), null, literal);
    }
    return new NumberValue(0, bd, literal);
  }

  private static boolean isIntegral(BigDecimal v) {
    return v.signum() == 0 || v.scale() <= 0 || v.stripTrailingZeros().scale() <= 0;
  }

  private static boolean fitsLong(BigDecimal v) {
    return v.compareTo(LONG_MIN) >= 0 && v.compareTo(LONG_MAX) <= 0;
  }

  /** True when the value is an integer in 64-bit range (the fast path). */
  public boolean isLong() {
    return big == null;
  }

  /** The value as a long; only meaningful when {@link #isLong()}. */
  public long longValue() {
    return longValue;
  }

  /** True for any integral value, however large. */
  public boolean isInteger() {
    return big == null || isIntegral(big);
  }

  /** The value as an int, or empty when it is not an integer in int range. */
  public java.util.OptionalInt intValue() {
    if (big == null && longValue >= Integer.MIN_VALUE && longValue <= Integer.MAX_VALUE) {
      return java.util.OptionalInt.of((int) longValue);
    }
    return java.util.OptionalInt.empty();
  }

  public BigDecimal bigDecimalValue() {
    return big != null ? big : BigDecimal.valueOf(longValue);
  }

  /** The integer value; throws ArithmeticException if the number has a fractional part. */
  public BigInteger bigIntegerValue() {
    return big != null ? big.toBigIntegerExact() : BigInteger.valueOf(longValue);
  }

  public double doubleValue() {
    return big != null ? big.doubleValue() : (double) longValue;
  }

  public int signum() {
    return big != null ? big.signum() : Long.signum(longValue);
  }

  /** The text OPA prints for this number. */
  public String text() {
    String t = text;
    if (t == null) {
      t = big == null ? Long.toString(longValue) : formatComputed(big);
      text = t;
    }
    return t;
  }

  private static String formatComputed(BigDecimal v) {
    BigDecimal s = v.stripTrailingZeros();
    if (s.scale() < 0 && s.precision() - s.scale() > 400) {
      return s.toString();
    }
    return s.toPlainString();
  }

  @Override public int typeOrder() { return 2; }
  @Override public String typeName() { return "number"; }

  @Override
  public int compareTo(Value o) {
    int c = Value.typeCompare(this, o);
    if (c != 0) {
      return c;
    }
    NumberValue n = (NumberValue) o;
    if (big == null && n.big == null) {
      return Long.compare(longValue, n.longValue);
    }
    return bigDecimalValue().compareTo(n.bigDecimalValue());
  }

  @Override
  public boolean equals(Object o) {
    if (o == this) {
      return true;
    }
    if (!(o instanceof NumberValue n)) {
      return false;
    }
    if (big == null && n.big == null) {
      return longValue == n.longValue;
    }
    if (big == null || n.big == null) {
      return false; // one is a long-range integer, the other is not
    }
    return big.compareTo(n.big) == 0;
  }

  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      h = big == null ? Long.hashCode(longValue) : big.stripTrailingZeros().hashCode();
      if (h == 0) {
        h = 1;
      }
      hash = h;
    }
    return h;
  }

  @Override
  public String toString() {
    return text();
  }
}
