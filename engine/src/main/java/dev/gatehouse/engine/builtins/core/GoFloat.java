package dev.gatehouse.engine.builtins.core;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Go's {@code strconv.FormatFloat(v, fmt, prec, 64)}: formats 'e', 'E', 'f', 'g', 'G', 'b', 'x'
 * and 'X', with prec -1 meaning the shortest digits that read back as the same float64.
 */
final class GoFloat {
  private GoFloat() {}

  /** Go's strconv.FormatFloat(f, 'g', -1, 32): the shortest digits that read back as the same float32. */
  static String format32(float f) {
    if (Float.isNaN(f)) {
      return "NaN";
    }
    if (Float.isInfinite(f)) {
      return f > 0 ? "+Inf" : "-Inf";
    }
    boolean neg = Float.floatToRawIntBits(f) < 0;
    float abs = Math.abs(f);
    if (abs == 0) {
      return formatDigits(true, neg, new Digits("", 0), -1, 'g');
    }
    BigDecimal exact = new BigDecimal(abs);
    Digits digs = digitsOf(new BigDecimal(Float.toString(abs)));
    for (int p = 1; p < digs.nd(); p++) {
      BigDecimal r = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
      if (r.floatValue() == abs) {
        digs = digitsOf(r);
        break;
      }
    }
    return formatDigits(true, neg, digs, digs.nd(), 'g');
  }

  /** Decimal digits {@code 0.d × 10^dp}, without leading or trailing zeros (empty for zero). */
  private record Digits(String d, int dp) {
    int nd() {
      return d.length();
    }

    char at(int i) {
      return d.charAt(i);
    }
  }

  static String format(double v, char fmt, int prec) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    boolean neg = (Double.doubleToRawLongBits(v) < 0);
    double abs = Math.abs(v);
    if (fmt == 'b') {
      return formatB(v);
    }
    if (fmt == 'x' || fmt == 'X') {
      return formatX(v, prec, fmt);
    }
    boolean shortest = prec < 0;
    Digits digs;
    if (abs == 0) {
      digs = new Digits("", 0);
    } else if (shortest) {
      digs = shortest(abs);
      switch (fmt) {
        case 'e', 'E' -> prec = Math.max(digs.nd() - 1, 0);
        case 'f' -> prec = Math.max(digs.nd() - digs.dp(), 0);
        case 'g', 'G' -> prec = digs.nd();
        default -> { }
      }
    } else {
      BigDecimal exact = new BigDecimal(abs);
      switch (fmt) {
        case 'f' -> digs = digitsOf(exact.setScale(prec, RoundingMode.HALF_EVEN));
        case 'e', 'E' -> digs = digitsOf(exact.round(new MathContext(prec + 1, RoundingMode.HALF_EVEN)));
        case 'g', 'G' -> {
          if (prec == 0) {
            prec = 1;
          }
          digs = digitsOf(exact.round(new MathContext(prec, RoundingMode.HALF_EVEN)));
        }
        default -> digs = digitsOf(exact.round(new MathContext(1, RoundingMode.HALF_EVEN)));
      }
    }
    return formatDigits(shortest, neg, digs, prec, fmt);
  }

  private static Digits digitsOf(BigDecimal d) {
    if (d.signum() == 0) {
      return new Digits("", 0);
    }
    BigDecimal s = d.stripTrailingZeros();
    String digits = s.unscaledValue().abs().toString();
    return new Digits(digits, digits.length() - s.scale());
  }

  /** The shortest decimal that reads back as v, nearest to v among those of that length. */
  private static Digits shortest(double abs) {
    String t = Double.toString(abs);
    // Double.toString always reads back; on older JDKs it may carry a digit too many
    BigDecimal fromString = new BigDecimal(t);
    Digits candidate = digitsOf(fromString);
    BigDecimal exact = new BigDecimal(abs);
    for (int p = 1; p < candidate.nd(); p++) {
      BigDecimal r = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
      if (r.doubleValue() == abs) {
        return digitsOf(r);
      }
    }
    return candidate;
  }

  private static String formatDigits(boolean shortest, boolean neg, Digits digs, int prec, char fmt) {
    switch (fmt) {
      case 'e', 'E':
        return fmtE(neg, digs, prec, fmt);
      case 'f':
        return fmtF(neg, digs, prec);
      case 'g', 'G': {
        int eprec = prec;
        if (eprec > digs.nd() && digs.nd() >= digs.dp()) {
          eprec = digs.nd();
        }
        if (shortest) {
          eprec = 6;
        }
        int exp = digs.dp() - 1;
        if (exp < -4 || exp >= eprec) {
          if (prec > digs.nd()) {
            prec = digs.nd();
          }
          return fmtE(neg, digs, prec - 1, (char) (fmt + 'e' - 'g'));
        }
        if (prec > digs.dp()) {
          prec = digs.nd();
        }
        return fmtF(neg, digs, Math.max(prec - digs.dp(), 0));
      }
      default:
        return "%" + fmt;
    }
  }

  private static String fmtE(boolean neg, Digits d, int prec, char fmt) {
    StringBuilder sb = new StringBuilder();
    if (neg) {
      sb.append('-');
    }
    sb.append(d.nd() != 0 ? d.at(0) : '0');
    if (prec > 0) {
      sb.append('.');
      int i = 1;
      int m = Math.min(d.nd(), prec + 1);
      if (i < m) {
        sb.append(d.d(), i, m);
        i = m;
      }
      for (; i <= prec; i++) {
        sb.append('0');
      }
    }
    sb.append(fmt);
    int exp = d.nd() == 0 ? 0 : d.dp() - 1;
    if (exp < 0) {
      sb.append('-');
      exp = -exp;
    } else {
      sb.append('+');
    }
    if (exp < 10) {
      sb.append('0');
    }
    return sb.append(exp).toString();
  }

  private static String fmtF(boolean neg, Digits d, int prec) {
    StringBuilder sb = new StringBuilder();
    if (neg) {
      sb.append('-');
    }
    if (d.dp() > 0) {
      int m = Math.min(d.nd(), d.dp());
      sb.append(d.d(), 0, m);
      for (; m < d.dp(); m++) {
        sb.append('0');
      }
    } else {
      sb.append('0');
    }
    if (prec > 0) {
      sb.append('.');
      for (int i = 0; i < prec; i++) {
        int j = d.dp() + i;
        sb.append(0 <= j && j < d.nd() ? d.at(j) : '0');
      }
    }
    return sb.toString();
  }

  /** 'b': decimal mantissa and binary exponent, e.g. 4503599627370496p-52. */
  private static String formatB(double v) {
    long bits = Double.doubleToRawLongBits(v);
    boolean neg = bits < 0;
    int exp = (int) ((bits >>> 52) & 0x7FF);
    long mant = bits & ((1L << 52) - 1);
    if (exp == 0) {
      exp++;
    } else {
      mant |= 1L << 52;
    }
    exp += -1023 - 52;
    return (neg ? "-" : "") + mant + "p" + (exp >= 0 ? "+" : "") + exp;
  }

  /** 'x' / 'X': hexadecimal mantissa and binary exponent, e.g. 0x1.8p+01. */
  private static String formatX(double v, int prec, char fmt) {
    long bits = Double.doubleToRawLongBits(v);
    boolean neg = bits < 0;
    int exp = (int) ((bits >>> 52) & 0x7FF);
    long mant = bits & ((1L << 52) - 1);
    if (exp == 0) {
      exp++;
    } else {
      mant |= 1L << 52;
    }
    exp += -1023;
    if (mant == 0) {
      exp = 0;
    }
    mant <<= 60 - 52;
    while (mant != 0 && (mant & (1L << 60)) == 0) {
      mant <<= 1;
      exp--;
    }
    if (prec >= 0 && prec < 15) {
      int shift = prec * 4;
      long extra = (mant << shift) & ((1L << 60) - 1);
      mant >>>= 60 - shift;
      if (Long.compareUnsigned(extra | (mant & 1), 1L << 59) > 0) {
        mant++;
      }
      mant <<= 60 - shift;
      if ((mant & (1L << 61)) != 0) {
        mant >>>= 1;
        exp++;
      }
    }
    String hex = fmt == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
    StringBuilder sb = new StringBuilder();
    if (neg) {
      sb.append('-');
    }
    sb.append('0').append(fmt).append((char) ('0' + ((mant >>> 60) & 1)));
    mant <<= 4;
    if (prec < 0 && mant != 0) {
      sb.append('.');
      while (mant != 0) {
        sb.append(hex.charAt((int) ((mant >>> 60) & 15)));
        mant <<= 4;
      }
    } else if (prec > 0) {
      sb.append('.');
      for (int i = 0; i < prec; i++) {
        sb.append(hex.charAt((int) ((mant >>> 60) & 15)));
        mant <<= 4;
      }
    }
    sb.append(fmt == 'X' ? 'P' : 'p');
    if (exp < 0) {
      sb.append('-');
      exp = -exp;
    } else {
      sb.append('+');
    }
    if (exp < 10) {
      sb.append('0');
    }
    return sb.append(exp).toString();
  }
}
