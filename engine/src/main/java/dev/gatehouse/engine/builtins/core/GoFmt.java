package dev.gatehouse.engine.builtins.core;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Go's {@code fmt.Sprintf} for the four kinds of argument OPA's {@code sprintf} hands it: int64
 * ({@link Long}), {@code *big.Int} ({@link BigInteger}), float64 ({@link Double}) and string
 * ({@link String}; composite Rego values arrive as their Rego text). Flags, width, precision,
 * {@code *} and {@code [n]} argument indexes, and Go's {@code %!verb(type=value)} error forms
 * behave as in Go.
 */
final class GoFmt {
  private static final int TOO_LARGE = 1_000_000;

  private GoFmt() {}

  /** The parsed state of one verb: Go's fmtFlags plus width and precision. */
  private static final class Spec {
    boolean widPresent;
    boolean precPresent;
    boolean minus;
    boolean plus;
    boolean sharp;
    boolean space;
    boolean zero;
    boolean plusV;
    boolean sharpV;
    int wid;
    int prec;

    void clear() {
      widPresent = precPresent = minus = plus = sharp = space = zero = plusV = sharpV = false;
      wid = prec = 0;
    }
  }

  static String sprintf(String format, List<Object> args) {
    StringBuilder out = new StringBuilder(format.length() + 16);
    Spec f = new Spec();
    int end = format.length();
    int argNum = 0;
    boolean reordered = false;
    int i = 0;
    while (i < end) {
      boolean goodArgNum = true;
      int lasti = i;
      while (i < end && format.charAt(i) != '%') {
        i++;
      }
      if (i > lasti) {
        out.append(format, lasti, i);
      }
      if (i >= end) {
        break;
      }
      i++;
      f.clear();
      flags:
      for (; i < end; i++) {
        switch (format.charAt(i)) {
          case '#' -> f.sharp = true;
          case '0' -> f.zero = true;
          case '+' -> f.plus = true;
          case '-' -> f.minus = true;
          case ' ' -> f.space = true;
          default -> {
            break flags;
          }
        }
      }
      // explicit argument index
      int[] idx = argNumber(argNum, format, i, args.size());
      if (idx[3] == 1) {
        reordered = true;
      }
      if (idx[3] == 1 && idx[4] == 0) {
        goodArgNum = false;
      }
      argNum = idx[0];
      i = idx[1];
      boolean afterIndex = idx[2] == 1;

      // width
      if (i < end && format.charAt(i) == '*') {
        i++;
        int[] w = intFromArg(args, argNum);
        f.wid = w[0];
        f.widPresent = w[1] == 1;
        argNum = w[2];
        if (!f.widPresent) {
          out.append("%!(BADWIDTH)");
        }
        if (f.wid < 0) {
          f.wid = -f.wid;
          f.minus = true;
          f.zero = false;
        }
        afterIndex = false;
      } else {
        int[] n = parseNum(format, i, end);
        f.wid = n[0];
        f.widPresent = n[1] == 1;
        i = n[2];
        if (afterIndex && f.widPresent) {
          goodArgNum = false;
        }
      }

      // precision
      if (i + 1 < end && format.charAt(i) == '.') {
        i++;
        if (afterIndex) {
          goodArgNum = false;
        }
        idx = argNumber(argNum, format, i, args.size());
        if (idx[3] == 1) {
          reordered = true;
        }
        if (idx[3] == 1 && idx[4] == 0) {
          goodArgNum = false;
        }
        argNum = idx[0];
        i = idx[1];
        afterIndex = idx[2] == 1;
        if (i < end && format.charAt(i) == '*') {
          i++;
          int[] p = intFromArg(args, argNum);
          f.prec = p[0];
          f.precPresent = p[1] == 1;
          argNum = p[2];
          if (f.prec < 0) {
            f.prec = 0;
            f.precPresent = false;
          }
          if (!f.precPresent) {
            out.append("%!(BADPREC)");
          }
          afterIndex = false;
        } else {
          int[] n = parseNum(format, i, end);
          f.prec = n[0];
          f.precPresent = n[1] == 1;
          i = n[2];
          if (!f.precPresent) {
            f.prec = 0;
            f.precPresent = true;
          }
        }
      }

      if (!afterIndex) {
        idx = argNumber(argNum, format, i, args.size());
        if (idx[3] == 1) {
          reordered = true;
        }
        if (idx[3] == 1 && idx[4] == 0) {
          goodArgNum = false;
        }
        argNum = idx[0];
        i = idx[1];
      }

      if (i >= end) {
        out.append("%!(NOVERB)");
        break;
      }
      int verb = format.codePointAt(i);
      i += Character.charCount(verb);

      if (verb == '%') {
        out.append('%');
      } else if (!goodArgNum) {
        out.append("%!").appendCodePoint(verb).append("(BADINDEX)");
      } else if (argNum >= args.size()) {
        out.append("%!").appendCodePoint(verb).append("(MISSING)");
      } else {
        if (verb == 'v' || verb == 'w') {
          f.sharpV = f.sharp;
          f.sharp = false;
          f.plusV = f.plus;
          f.plus = false;
        }
        printArg(out, f, args.get(argNum), verb);
        argNum++;
      }
    }
    if (!reordered && argNum < args.size()) {
      f.clear();
      out.append("%!(EXTRA ");
      for (int k = argNum; k < args.size(); k++) {
        if (k > argNum) {
          out.append(", ");
        }
        Object a = args.get(k);
        out.append(typeName(a)).append('=');
        printArg(out, f, a, 'v');
      }
      out.append(')');
    }
    return out.toString();
  }

  /** {argNum, newIndex, found(1/0), sawBracket(1/0), indexOk(1/0)} as Go's argNumber. */
  private static int[] argNumber(int argNum, String format, int i, int numArgs) {
    if (format.length() <= i || format.charAt(i) != '[') {
      return new int[] {argNum, i, 0, 0, 1};
    }
    // parseArgNumber: [n]
    String rest = format.substring(i);
    int index = 0;
    int wid = 1;
    boolean ok = false;
    if (rest.length() >= 3) {
      for (int j = 1; j < rest.length(); j++) {
        if (rest.charAt(j) == ']') {
          int[] n = parseNum(rest, 1, j);
          if (n[1] != 1 || n[2] != j) {
            wid = j + 1;
          } else {
            index = n[0] - 1;
            wid = j + 1;
            ok = true;
          }
          break;
        }
      }
    }
    if (ok && 0 <= index && index < numArgs) {
      return new int[] {index, i + wid, 1, 1, 1};
    }
    return new int[] {argNum, i + wid, ok ? 1 : 0, 1, 0};
  }

  /** {num, isNum(1/0), newIndex} as Go's parsenum. */
  private static int[] parseNum(String s, int start, int end) {
    if (start >= end) {
      return new int[] {0, 0, end};
    }
    int num = 0;
    boolean isNum = false;
    int j = start;
    for (; j < end && s.charAt(j) >= '0' && s.charAt(j) <= '9'; j++) {
      if (num > TOO_LARGE || num < -TOO_LARGE) {
        return new int[] {0, 0, end};
      }
      num = num * 10 + (s.charAt(j) - '0');
      isNum = true;
    }
    return new int[] {num, isNum ? 1 : 0, j};
  }

  /** {num, isInt(1/0), newArgNum} as Go's intFromArg: only int64 arguments give a width or precision. */
  private static int[] intFromArg(List<Object> args, int argNum) {
    int num = 0;
    boolean isInt = false;
    int newArgNum = argNum;
    if (argNum < args.size()) {
      if (args.get(argNum) instanceof Long l && l == (int) (long) l) {
        num = (int) (long) l;
        isInt = true;
      }
      newArgNum = argNum + 1;
      if (num > TOO_LARGE || num < -TOO_LARGE) {
        num = 0;
        isInt = false;
      }
    }
    return new int[] {num, isInt ? 1 : 0, newArgNum};
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

  private static void printArg(StringBuilder out, Spec f, Object arg, int verb) {
    if (verb == 'T') {
      fmtS(out, f, typeName(arg));
      return;
    }
    if (verb == 'p') {
      badVerb(out, f, arg, verb);
      return;
    }
    if (arg instanceof Long l) {
      fmtInteger(out, f, l, verb);
    } else if (arg instanceof BigInteger b) {
      if (verb == 'w') {
        badVerb(out, f, arg, verb);
      } else {
        bigIntFormat(out, f, b, verb);
      }
    } else if (arg instanceof Double d) {
      fmtFloatVerb(out, f, d, verb);
    } else {
      fmtString(out, f, (String) arg, verb);
    }
  }

  private static void badVerb(StringBuilder out, Spec f, Object arg, int verb) {
    out.append("%!").appendCodePoint(verb).append('(').append(typeName(arg)).append('=');
    printArg(out, f, arg, 'v');
    out.append(')');
  }

  // ---- padding

  private static void writePadding(StringBuilder out, Spec f, int n) {
    if (n <= 0) {
      return;
    }
    char c = f.zero && !f.minus ? '0' : ' ';
    for (int k = 0; k < n; k++) {
      out.append(c);
    }
  }

  private static void pad(StringBuilder out, Spec f, String s) {
    if (!f.widPresent || f.wid == 0) {
      out.append(s);
      return;
    }
    int width = f.wid - runeCount(s);
    if (!f.minus) {
      writePadding(out, f, width);
      out.append(s);
    } else {
      out.append(s);
      writePadding(out, f, width);
    }
  }

  /** Pads a number with spaces only (Go clears the zero flag: zero padding went into the digits). */
  private static void padNoZero(StringBuilder out, Spec f, String s) {
    boolean z = f.zero;
    f.zero = false;
    pad(out, f, s);
    f.zero = z;
  }

  private static int runeCount(String s) {
    return s.codePointCount(0, s.length());
  }

  // ---- strings

  private static void fmtString(StringBuilder out, Spec f, String s, int verb) {
    switch (verb) {
      case 'v' -> {
        if (f.sharpV) {
          fmtQ(out, f, s);
        } else {
          fmtS(out, f, s);
        }
      }
      case 's' -> fmtS(out, f, s);
      case 'x' -> fmtSx(out, f, s, false);
      case 'X' -> fmtSx(out, f, s, true);
      case 'q' -> fmtQ(out, f, s);
      default -> badVerb(out, f, s, verb);
    }
  }

  private static String truncate(Spec f, String s) {
    if (f.precPresent && f.prec < runeCount(s)) {
      return s.substring(0, s.offsetByCodePoints(0, f.prec));
    }
    return s;
  }

  private static void fmtS(StringBuilder out, Spec f, String s) {
    pad(out, f, truncate(f, s));
  }

  private static void fmtSx(StringBuilder out, Spec f, String s, boolean upper) {
    String digits = upper ? "0123456789ABCDEFX" : "0123456789abcdefx";
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    int length = b.length;
    if (f.precPresent && f.prec < length) {
      length = f.prec;
    }
    int width = 2 * length;
    if (width > 0) {
      if (f.space) {
        if (f.sharp) {
          width *= 2;
        }
        width += length - 1;
      } else if (f.sharp) {
        width += 2;
      }
    } else {
      if (f.widPresent) {
        writePadding(out, f, f.wid);
      }
      return;
    }
    if (f.widPresent && f.wid > width && !f.minus) {
      writePadding(out, f, f.wid - width);
    }
    if (f.sharp) {
      out.append('0').append(digits.charAt(16));
    }
    for (int k = 0; k < length; k++) {
      if (f.space && k > 0) {
        out.append(' ');
        if (f.sharp) {
          out.append('0').append(digits.charAt(16));
        }
      }
      int c = b[k] & 0xFF;
      out.append(digits.charAt(c >> 4)).append(digits.charAt(c & 0xF));
    }
    if (f.widPresent && f.wid > width && f.minus) {
      writePadding(out, f, f.wid - width);
    }
  }

  private static void fmtQ(StringBuilder out, Spec f, String s) {
    s = truncate(f, s);
    if (f.sharp && canBackquote(s)) {
      pad(out, f, "`" + s + "`");
      return;
    }
    pad(out, f, quote(s, f.plus));
  }

  private static boolean canBackquote(String s) {
    for (int k = 0; k < s.length(); ) {
      int cp = s.codePointAt(k);
      k += Character.charCount(cp);
      if (cp == '`' || cp == 0xFEFF || (cp < ' ' && cp != '\t') || cp == 0x7F) {
        return false;
      }
    }
    return true;
  }

  /** Go's strconv.Quote (asciiOnly: QuoteToASCII). */
  static String quote(String s, boolean asciiOnly) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    for (int k = 0; k < s.length(); ) {
      int cp = s.codePointAt(k);
      k += Character.charCount(cp);
      appendEscapedRune(sb, cp, '"', asciiOnly);
    }
    return sb.append('"').toString();
  }

  static String goQuote(String s) {
    return quote(s, false);
  }

  private static void appendEscapedRune(StringBuilder sb, int cp, char q, boolean asciiOnly) {
    if (cp == q || cp == '\\') {
      sb.append('\\').appendCodePoint(cp);
      return;
    }
    if (asciiOnly) {
      if (cp < 0x80 && isPrint(cp)) {
        sb.appendCodePoint(cp);
        return;
      }
    } else if (isPrint(cp)) {
      sb.appendCodePoint(cp);
      return;
    }
    switch (cp) {
      case 7 -> sb.append("\\a");
      case '\b' -> sb.append("\\b");
      case '\f' -> sb.append("\\f");
      case '\n' -> sb.append("\\n");
      case '\r' -> sb.append("\\r");
      case '\t' -> sb.append("\\t");
      case 11 -> sb.append("\\v");
      default -> {
        if (cp < ' ' || cp == 0x7F) {
          sb.append("\\x").append(hex2(cp));
        } else if (Character.isSurrogate((char) cp) && cp <= 0xFFFF) {
          // a lone surrogate cannot be valid UTF-8: Go sees the replacement rune
          sb.append("\\ufffd");
        } else if (cp < 0x10000) {
          sb.append("\\u").append(String.format("%04x", cp));
        } else {
          sb.append("\\U").append(String.format("%08x", cp));
        }
      }
    }
  }

  private static String hex2(int b) {
    return String.format("%02x", b);
  }

  /** Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
  static boolean isPrint(int cp) {
    if (cp == ' ') {
      return true;
    }
    return switch (Character.getType(cp)) {
      case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
          Character.MODIFIER_LETTER, Character.OTHER_LETTER, Character.NON_SPACING_MARK,
          Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK, Character.DECIMAL_DIGIT_NUMBER,
          Character.LETTER_NUMBER, Character.OTHER_NUMBER, Character.CONNECTOR_PUNCTUATION,
          Character.DASH_PUNCTUATION, Character.START_PUNCTUATION, Character.END_PUNCTUATION,
          Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
          Character.OTHER_PUNCTUATION, Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL,
          Character.MODIFIER_SYMBOL, Character.OTHER_SYMBOL -> true;
      default -> false;
    };
  }

  // ---- int64

  private static void fmtInteger(StringBuilder out, Spec f, long v, int verb) {
    switch (verb) {
      case 'v', 'd' -> integer(out, f, v, 10, verb, false);
      case 'b' -> integer(out, f, v, 2, verb, false);
      case 'o', 'O' -> integer(out, f, v, 8, verb, false);
      case 'x' -> integer(out, f, v, 16, verb, false);
      case 'X' -> integer(out, f, v, 16, verb, true);
      case 'c' -> pad(out, f, new String(Character.toChars(runeOf(v))));
      case 'q' -> pad(out, f, quoteRune(runeOf(v), f.plus));
      case 'U' -> fmtUnicode(out, f, v);
      default -> badVerb(out, f, v, verb);
    }
  }

  private static int runeOf(long v) {
    // Go: rune(c) with c > MaxRune (as an unsigned value) becomes the replacement character
    if (v < 0 || v > Character.MAX_CODE_POINT || (v >= 0xD800 && v <= 0xDFFF)) {
      return 0xFFFD;
    }
    return (int) v;
  }

  private static String quoteRune(int cp, boolean asciiOnly) {
    StringBuilder sb = new StringBuilder("'");
    appendEscapedRune(sb, cp, '\'', asciiOnly);
    return sb.append('\'').toString();
  }

  private static void fmtUnicode(StringBuilder out, Spec f, long v) {
    int prec = 4;
    if (f.precPresent && f.prec > 4) {
      prec = f.prec;
    }
    String hex = Long.toHexString(v).toUpperCase();
    StringBuilder sb = new StringBuilder("U+");
    for (int k = hex.length(); k < prec; k++) {
      sb.append('0');
    }
    sb.append(hex);
    if (f.sharp && v >= 0 && v <= Character.MAX_CODE_POINT && isPrint((int) v)) {
      sb.append(" '").appendCodePoint((int) v).append('\'');
    }
    padNoZero(out, f, sb.toString());
  }

  /** Go's fmt.fmtInteger for a signed 64-bit value. */
  private static void integer(StringBuilder out, Spec f, long v, int base, int verb, boolean upper) {
    boolean negative = v < 0;
    BigInteger u = BigInteger.valueOf(v).abs();
    int prec = 0;
    if (f.precPresent) {
      prec = f.prec;
      if (prec == 0 && v == 0) {
        boolean z = f.zero;
        f.zero = false;
        writePadding(out, f, f.wid);
        f.zero = z;
        return;
      }
    } else if (f.zero && !f.minus && f.widPresent) {
      prec = f.wid;
      if (negative || f.plus || f.space) {
        prec--;
      }
    }
    String digits = u.toString(base);
    if (upper) {
      digits = digits.toUpperCase();
    }
    StringBuilder sb = new StringBuilder();
    for (int k = digits.length(); k < prec; k++) {
      sb.append('0');
    }
    sb.append(digits);
    String body = sb.toString();
    if (f.sharp) {
      switch (base) {
        case 2 -> body = "0b" + body;
        case 8 -> {
          if (body.charAt(0) != '0') {
            body = "0" + body;
          }
        }
        case 16 -> body = (upper ? "0X" : "0x") + body;
        default -> { }
      }
    }
    if (verb == 'O') {
      body = "0o" + body;
    }
    if (negative) {
      body = "-" + body;
    } else if (f.plus) {
      body = "+" + body;
    } else if (f.space) {
      body = " " + body;
    }
    padNoZero(out, f, body);
  }

  // ---- *big.Int (its own Format method)

  private static void bigIntFormat(StringBuilder out, Spec f, BigInteger x, int verb) {
    int base;
    switch (verb) {
      case 'b' -> base = 2;
      case 'o', 'O' -> base = 8;
      case 'd', 's', 'v' -> base = 10;
      case 'x', 'X' -> base = 16;
      default -> {
        out.append("%!").appendCodePoint(verb).append("(big.Int=").append(x).append(')');
        return;
      }
    }
    boolean flagPlus = f.plus || f.plusV;
    boolean flagSharp = f.sharp || f.sharpV;
    String sign = x.signum() < 0 ? "-" : flagPlus ? "+" : f.space ? " " : "";
    String prefix = "";
    if (flagSharp) {
      prefix = switch (verb) {
        case 'b' -> "0b";
        case 'o' -> "0";
        case 'x' -> "0x";
        case 'X' -> "0X";
        default -> "";
      };
    }
    if (verb == 'O') {
      prefix = "0o";
    }
    String digits = x.abs().toString(base);
    if (verb == 'X') {
      digits = digits.toUpperCase();
    }
    int left = 0;
    int zeros = 0;
    int right = 0;
    if (f.precPresent) {
      if (digits.length() < f.prec) {
        zeros = f.prec - digits.length();
      } else if (digits.equals("0") && f.prec == 0) {
        return;
      }
    }
    int length = sign.length() + prefix.length() + zeros + digits.length();
    if (f.widPresent && length < f.wid) {
      int d = f.wid - length;
      if (f.minus) {
        right = d;
      } else if (f.zero && !f.precPresent) {
        zeros = d;
      } else {
        left = d;
      }
    }
    out.append(" ".repeat(left)).append(sign).append(prefix).append("0".repeat(zeros)).append(digits)
        .append(" ".repeat(right));
  }

  // ---- float64

  private static void fmtFloatVerb(StringBuilder out, Spec f, double v, int verb) {
    switch (verb) {
      case 'v' -> fmtFloat(out, f, v, 'g', -1);
      case 'b', 'g', 'G', 'x', 'X' -> fmtFloat(out, f, v, (char) verb, -1);
      case 'f', 'e', 'E' -> fmtFloat(out, f, v, (char) verb, 6);
      case 'F' -> fmtFloat(out, f, v, 'f', 6);
      default -> badVerb(out, f, v, verb);
    }
  }

  private static void fmtFloat(StringBuilder out, Spec f, double v, char verb, int prec) {
    if (f.precPresent) {
      prec = f.prec;
    }
    String s = GoFloat.format(v, verb, prec);
    StringBuilder num = new StringBuilder();
    if (s.charAt(0) == '-' || s.charAt(0) == '+') {
      num.append(s);
    } else {
      num.append('+').append(s);
    }
    if (f.space && num.charAt(0) == '+' && !f.plus) {
      num.setCharAt(0, ' ');
    }
    if (num.charAt(1) == 'I' || num.charAt(1) == 'N') {
      String n = num.toString();
      if (num.charAt(1) == 'N' && !f.space && !f.plus) {
        n = n.substring(1);
      }
      padNoZero(out, f, n);
      return;
    }
    if (f.sharp && verb != 'b') {
      int digits = 0;
      if (verb == 'v' || verb == 'g' || verb == 'G' || verb == 'x') {
        digits = prec;
        if (digits == -1) {
          digits = 6;
        }
      }
      String tail = "";
      boolean hasDecimalPoint = false;
      boolean sawNonzeroDigit = false;
      for (int k = 1; k < num.length(); k++) {
        char c = num.charAt(k);
        if (c == '.') {
          hasDecimalPoint = true;
        } else if (c == 'p' || c == 'P' || ((c == 'e' || c == 'E') && verb != 'x' && verb != 'X')) {
          tail = num.substring(k);
          num.setLength(k);
          break;
        } else {
          if (c != '0') {
            sawNonzeroDigit = true;
          }
          if (sawNonzeroDigit) {
            digits--;
          }
        }
      }
      if (!hasDecimalPoint) {
        if (num.length() == 2 && num.charAt(1) == '0') {
          digits--;
        }
        num.append('.');
      }
      while (digits > 0) {
        num.append('0');
        digits--;
      }
      num.append(tail);
    }
    if (f.plus || num.charAt(0) != '+') {
      if (f.zero && !f.minus && f.widPresent && f.wid > num.length()) {
        out.append(num.charAt(0));
        writePadding(out, f, f.wid - num.length());
        out.append(num, 1, num.length());
        return;
      }
      pad(out, f, num.toString());
      return;
    }
    pad(out, f, num.substring(1));
  }
}
