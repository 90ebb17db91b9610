package dev.gatehouse.engine.builtins.tokens;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The error Go's JSON decoder (as OPA's json.unmarshal drives it) reports for malformed text,
 * e.g. {@code unexpected EOF} or {@code invalid character 'x' looking for beginning of value}.
 * Used only to word errors: valid text is parsed by the engine's own JSON reader.
 */
final class GoJsonErrors {
  private enum Container { OBJECT_KEY, OBJECT_VALUE, ARRAY }

  private final byte[] s;
  private final boolean unmarshal;
  private int i;
  private final Deque<Container> stack = new ArrayDeque<>();

  private GoJsonErrors(byte[] s, boolean unmarshal) {
    this.s = s;
    this.unmarshal = unmarshal;
  }

  /**
   * The message OPA's json.unmarshal (a json.Decoder plus a trailing-token check) gives for text
   * the engine's parser rejected; a generic one if Go would accept it.
   */
  static String describe(byte[] text) {
    return describe(text, false);
  }

  /** The message of Go's json.Unmarshal, which JWK parsing uses. */
  static String describeUnmarshal(byte[] text) {
    return describe(text, true);
  }

  /**
   * Where the first JSON value of text ends, as a json.Decoder reads it (what follows is not
   * looked at); or the decoder's error message when that value is malformed.
   */
  record FirstValue(int end, String error) {}

  static FirstValue firstValue(byte[] text) {
    GoJsonErrors g = new GoJsonErrors(text, false);
    try {
      g.skipWs();
      if (g.i >= text.length) {
        return new FirstValue(-1, "EOF");
      }
      g.value();
      return new FirstValue(g.i, null);
    } catch (Failure f) {
      return new FirstValue(-1, f.getMessage());
    }
  }

  private static String describe(byte[] text, boolean unmarshal) {
    GoJsonErrors g = new GoJsonErrors(text, unmarshal);
    try {
      g.skipWs();
      if (g.i >= text.length) {
        return unmarshal ? "unexpected end of JSON input" : "EOF";
      }
      g.value();
      g.skipWs();
      if (g.i < text.length) {
        return unmarshal ? invalid(text[g.i] & 0xff, "after top-level value").getMessage() : g.trailing();
      }
      return "invalid JSON";
    } catch (Failure f) {
      return f.getMessage();
    }
  }

  private static final class Failure extends Exception {
    Failure(String message) {
      super(message, null, false, false);
    }
  }

  /** What the decoder's follow-up Token() makes of content after the first value. */
  private String trailing() throws Failure {
    int c = s[i] & 0xff;
    int start = i;
    switch (c) {
      case '{', '[', '}', ']' -> {
        return "error: invalid character '" + (char) c + "' after top-level value";
      }
      case '"' -> {
        i++;
        string();
        String body = new String(s, start + 1, i - start - 2, java.nio.charset.StandardCharsets.UTF_8);
        return "error: invalid character '" + body + "' after top-level value";
      }
      case 'n' -> {
        literal("null");
        return "invalid JSON";
      }
      case 't', 'f' -> {
        // the decoder's token is a bool, which Go's %s prints this way
        value();
        return "error: invalid character '%!s(bool=" + (c == 't') + ")' after top-level value";
      }
      default -> {
        if (c == '-' || c >= '0' && c <= '9') {
          value();
          String tok = new String(s, start, i - start, java.nio.charset.StandardCharsets.UTF_8);
          return "error: invalid character '" + tok + "' after top-level value";
        }
        throw invalid(c, "looking for beginning of value");
      }
    }
  }

  private void value() throws Failure {
    skipWs();
    int c = next("looking for beginning of value");
    switch (c) {
      case '{' -> object();
      case '[' -> array();
      case '"' -> string();
      case 't' -> literalRest("true");
      case 'f' -> literalRest("false");
      case 'n' -> literalRest("null");
      default -> {
        if (c == '-' || c >= '0' && c <= '9') {
          number(c);
        } else {
          throw invalid(c, "looking for beginning of value");
        }
      }
    }
  }

  private void object() throws Failure {
    skipWs();
    int c = next(null);
    if (c == '}') {
      return;
    }
    while (true) {
      if (c != '"') {
        throw invalid(c, "looking for beginning of object key string");
      }
      string();
      skipWs();
      c = next(null);
      if (c != ':') {
        throw invalid(c, "after object key");
      }
      value();
      skipWs();
      c = next(null);
      if (c == '}') {
        return;
      }
      if (c != ',') {
        throw invalid(c, "after object key:value pair");
      }
      skipWs();
      c = next(null);
    }
  }

  private void array() throws Failure {
    skipWs();
    if (i < s.length && s[i] == ']') {
      i++;
      return;
    }
    while (true) {
      value();
      skipWs();
      int c = next(null);
      if (c == ']') {
        return;
      }
      if (c != ',') {
        throw invalid(c, "after array element");
      }
    }
  }

  /** After the opening quote; consumes the closing quote. */
  private void string() throws Failure {
    while (true) {
      int c = next(null);
      if (c == '"') {
        return;
      }
      if (c == '\\') {
        int e = next(null);
        if (e == 'u') {
          for (int k = 0; k < 4; k++) {
            int h = next(null);
            if (Character.digit(h, 16) < 0) {
              throw invalid(h, "in \\u hexadecimal character escape");
            }
          }
        } else if ("bfnrt\\/\"".indexOf(e) < 0) {
          throw invalid(e, "in string escape code");
        }
      } else if (c < 0x20) {
        throw invalid(c, "in string literal");
      }
    }
  }

  private void number(int first) throws Failure {
    int c = first;
    if (c == '-') {
      c = next(null);
      if (!(c >= '0' && c <= '9')) {
        throw invalid(c, "in numeric literal");
      }
    }
    if (c != '0') {
      while (i < s.length && isDigit(s[i])) {
        i++;
      }
    }
    if (i < s.length && s[i] == '.') {
      i++;
      c = next(null);
      if (!isDigit((byte) c)) {
        throw invalid(c, "after decimal point in numeric literal");
      }
      while (i < s.length && isDigit(s[i])) {
        i++;
      }
    }
    if (i < s.length && (s[i] == 'e' || s[i] == 'E')) {
      i++;
      c = next(null);
      if (c == '+' || c == '-') {
        c = next(null);
      }
      if (!isDigit((byte) c)) {
        throw invalid(c, "in exponent of numeric literal");
      }
      while (i < s.length && isDigit(s[i])) {
        i++;
      }
    }
  }

  private void literal(String word) throws Failure {
    i++;
    literalRest(word);
  }

  private void literalRest(String word) throws Failure {
    for (int k = 1; k < word.length(); k++) {
      int c = next(null);
      if (c != word.charAt(k)) {
        throw invalid(c, "in literal " + word + " (expecting '" + word.charAt(k) + "')");
      }
    }
  }

  /** The next byte; running out of input mid-value is Go's unexpected EOF. */
  private int next(String unused) throws Failure {
    if (i >= s.length) {
      throw new Failure(unmarshal ? "unexpected end of JSON input" : "unexpected EOF");
    }
    return s[i++] & 0xff;
  }

  private void skipWs() {
    while (i < s.length && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) {
      i++;
    }
  }

  private static boolean isDigit(byte b) {
    return b >= '0' && b <= '9';
  }

  private static Failure invalid(int c, String context) {
    return new Failure("invalid character " + quoteChar(c) + " " + context);
  }

  /** Go's quoteChar: the byte as a one-character Go string literal in single quotes. */
  private static String quoteChar(int c) {
    if (c == '\'') {
      return "'\\''";
    }
    if (c == '"') {
      return "'\"'";
    }
    String body = switch (c) {
      case '\u0007' -> "\\a";
      case '\b' -> "\\b";
      case '\f' -> "\\f";
      case '\n' -> "\\n";
      case '\r' -> "\\r";
      case '\t' -> "\\t";
      case '\u000b' -> "\\v";
      case '\\' -> "\\\\";
      default -> {
        if (c < 0x20 || c == 0x7f) {
          yield String.format("\\x%02x", c);
        }
        if (c >= 0x80 && c < 0xa0 || c == 0xad) {
          yield String.format("\\u%04x", c);
        }
        yield String.valueOf((char) c);
      }
    };
    return "'" + body + "'";
  }
}
