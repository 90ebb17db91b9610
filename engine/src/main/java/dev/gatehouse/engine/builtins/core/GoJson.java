package dev.gatehouse.engine.builtins.core;

import dev.gatehouse.engine.builtins.BuiltinException;
import dev.gatehouse.engine.value.ArrayValue;
import dev.gatehouse.engine.value.BooleanValue;
import dev.gatehouse.engine.value.NullValue;
import dev.gatehouse.engine.value.NumberValue;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * JSON text read the way OPA's json.unmarshal reads it (Go's encoding/json with numbers kept as
 * written): the same syntax errors ({@code invalid character 'x' looking for beginning of value},
 * {@code unexpected EOF}), duplicate keys resolved to the last, and numbers whose binary exponent
 * exceeds 10^5 rejected as {@code invalid number: number too big}.
 */
final class GoJson {
  private static final int MAX_EXP = 100_000;

  private final String s;
  private int i;

  private GoJson(String s) {
    this.s = s;
  }

  static Value unmarshal(String text) {
    GoJson p = new GoJson(text);
    p.skipSpace();
    if (p.i >= text.length()) {
      throw BuiltinException.error("EOF");
    }
    Value v = p.value("looking for beginning of value");
    p.skipSpace();
    if (p.i < text.length()) {
      // Go's decoder reads the next token: a value start is "after top-level value", anything else a syntax error
      char c = text.charAt(p.i);
      if (text.startsWith("null", p.i)) {
        return v; // Go's decoder reads null as a nil token, which OPA's check lets through
      }
      if (c == '}' || c == ']' || c == ',' || c == ':') {
        throw p.syntax(c, "looking for beginning of value");
      }
      if (c == '{' || c == '[' || c == '"' || c == '-' || (c >= '0' && c <= '9') || c == 't' || c == 'f' || c == 'n') {
        String tok = p.tokenText();
        throw BuiltinException.error("error: invalid character '" + tok + "' after top-level value");
      }
      throw p.syntax(c, "looking for beginning of value");
    }
    return v;
  }

  /** Go's json.Valid: exactly one JSON value, surrounded by optional white space. */
  static boolean isValid(String text) {
    try {
      GoJson p = new GoJson(text);
      p.skipSpace();
      if (p.i >= text.length()) {
        return false;
      }
      p.value("looking for beginning of value");
      p.skipSpace();
      return p.i == text.length();
    } catch (BuiltinException e) {
      return false;
    }
  }

  /** The text of the next token, as Go's Decoder.Token would show it in OPA's message. */
  private String tokenText() {
    char c = s.charAt(i);
    if ("{}[],:".indexOf(c) >= 0) {
      return String.valueOf(c);
    }
    try {
      Value v = value("looking for beginning of value");
      if (v instanceof StringValue sv) {
        return sv.value();
      }
      return v.toString();
    } catch (BuiltinException e) {
      throw e;
    }
  }

  private void skipSpace() {
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        break;
      }
      i++;
    }
  }

  private BuiltinException eof() {
    return BuiltinException.error("unexpected EOF");
  }

  private BuiltinException syntax(int c, String context) {
    return BuiltinException.error("invalid character " + quoteChar(c) + " " + context);
  }

  /** Go's quoteChar. */
  private static String quoteChar(int c) {
    if (c == '\'') {
      return "'\\''";
    }
    if (c == '"') {
      return "'\"'";
    }
    String q = GoFmt.goQuote(new String(Character.toChars(c)));
    return "'" + q.substring(1, q.length() - 1) + "'";
  }

  private Value value(String context) {
    skipSpace();
    if (i >= s.length()) {
      throw eof();
    }
    char c = s.charAt(i);
    switch (c) {
      case '{':
        return object();
      case '[':
        return array();
      case '"':
        return StringValue.of(string());
      case 't':
        literal("true");
        return BooleanValue.TRUE;
      case 'f':
        literal("false");
        return BooleanValue.FALSE;
      case 'n':
        literal("null");
        return NullValue.INSTANCE;
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          return number();
        }
        throw syntax(s.codePointAt(i), context);
    }
  }

  private void literal(String word) {
    for (int k = 0; k < word.length(); k++) {
      if (i >= s.length()) {
        throw eof();
      }
      if (s.charAt(i) != word.charAt(k)) {
        throw syntax(s.codePointAt(i), "in literal " + word + " (expecting '" + word.charAt(k) + "')");
      }
      i++;
    }
  }

  private Value object() {
    i++;
    ObjectValue.Builder b = ObjectValue.builder();
    skipSpace();
    if (i >= s.length()) {
      throw eof();
    }
    if (s.charAt(i) == '}') {
      i++;
      return b.build();
    }
    while (true) {
      skipSpace();
      if (i >= s.length()) {
        throw eof();
      }
      if (s.charAt(i) != '"') {
        throw syntax(s.codePointAt(i), "looking for beginning of object key string");
      }
      String key = string();
      skipSpace();
      if (i >= s.length()) {
        throw eof();
      }
      if (s.charAt(i) != ':') {
        throw syntax(s.codePointAt(i), "after object key");
      }
      i++;
      Value v = value("looking for beginning of value");
      b.put(StringValue.of(key), v);
      skipSpace();
      if (i >= s.length()) {
        throw eof();
      }
      char c = s.charAt(i);
      if (c == ',') {
        i++;
        continue;
      }
      if (c == '}') {
        i++;
        return b.build();
      }
      throw syntax(s.codePointAt(i), "after object key:value pair");
    }
  }

  private Value array() {
    i++;
    List<Value> out = new ArrayList<>();
    skipSpace();
    if (i >= s.length()) {
      throw eof();
    }
    if (s.charAt(i) == ']') {
      i++;
      return ArrayValue.EMPTY;
    }
    while (true) {
      out.add(value("looking for beginning of value"));
      skipSpace();
      if (i >= s.length()) {
        throw eof();
      }
      char c = s.charAt(i);
      if (c == ',') {
        i++;
        continue;
      }
      if (c == ']') {
        i++;
        return ArrayValue.of(out);
      }
      throw syntax(s.codePointAt(i), "after array element");
    }
  }

  private String string() {
    i++;
    StringBuilder sb = new StringBuilder();
    while (true) {
      if (i >= s.length()) {
        throw eof();
      }
      char c = s.charAt(i);
      if (c == '"') {
        i++;
        return sb.toString();
      }
      if (c < 0x20) {
        throw syntax(c, "in string literal");
      }
      if (c != '\\') {
        sb.append(c);
        i++;
        continue;
      }
      i++;
      if (i >= s.length()) {
        throw eof();
      }
      char e = s.charAt(i++);
      switch (e) {
        case '"', '\\', '/' -> sb.append(e);
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'u' -> {
          int cu = hex4();
          if (Character.isHighSurrogate((char) cu) && i + 1 < s.length() && s.charAt(i) == '\\' && s.charAt(i + 1) == 'u') {
            int save = i;
            i += 2;
            int lo = hex4();
            if (Character.isLowSurrogate((char) lo)) {
              sb.append((char) cu).append((char) lo);
              break;
            }
            i = save;
            sb.append('\uFFFD');
            break;
          }
          sb.append(Character.isSurrogate((char) cu) ? '\uFFFD' : (char) cu);
        }
        default -> throw syntax(e, "in string escape code");
      }
    }
  }

  private int hex4() {
    int v = 0;
    for (int k = 0; k < 4; k++) {
      if (i >= s.length()) {
        throw eof();
      }
      char h = s.charAt(i);
      int d = Character.digit(h, 16);
      if (d < 0 || h > 'f') {
        throw syntax(h, "in \\u hexadecimal character escape");
      }
      v = v * 16 + d;
      i++;
    }
    return v;
  }

  private Value number() {
    int start = i;
    if (s.charAt(i) == '-') {
      i++;
      if (i >= s.length()) {
        throw eof();
      }
    }
    char c = s.charAt(i);
    if (c == '0') {
      i++;
    } else if (c >= '1' && c <= '9') {
      while (i < s.length() && Character.isDigit(s.charAt(i)) && s.charAt(i) < 128) {
        i++;
      }
    } else {
      throw syntax(s.codePointAt(i), "in numeric literal");
    }
    if (i < s.length() && s.charAt(i) == '.') {
      i++;
      if (i >= s.length()) {
        throw eof();
      }
      if (!isDigit(s.charAt(i))) {
        throw syntax(s.codePointAt(i), "after decimal point in numeric literal");
      }
      while (i < s.length() && isDigit(s.charAt(i))) {
        i++;
      }
    }
    if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
      i++;
      if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
        i++;
      }
      if (i >= s.length()) {
        throw eof();
      }
      if (!isDigit(s.charAt(i))) {
        throw syntax(s.codePointAt(i), "in exponent of numeric literal");
      }
      while (i < s.length() && isDigit(s.charAt(i))) {
        i++;
      }
    }
    String text = s.substring(start, i);
    checkRange(text);
    return NumberValue.parse(text);
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** OPA's number check: a binary exponent beyond ±10^5 is "number too big". */
  static void checkRange(String text) {
    int e = Math.max(text.indexOf('e'), text.indexOf('E'));
    if (e < 0) {
      return;
    }
    BigDecimal d = new BigDecimal(text);
    if (d.signum() == 0) {
      return;
    }
    double log10 = d.precision() - d.scale() - 1 + Math.log10(d.unscaledValue().abs().toString().charAt(0) - '0' + 0.5);
    if (Math.abs(log10 * 3.321928094887362) > MAX_EXP) {
      throw BuiltinException.error("invalid number: number too big");
    }
  }
}
