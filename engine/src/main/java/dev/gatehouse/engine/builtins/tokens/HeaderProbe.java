package dev.gatehouse.engine.builtins.tokens;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads top-level string members of a JOSE header the way OPA's signing path does (jwx's jwsbb
 * over valyala/fastjson): a lenient scan with fastjson's acceptance rules and error wording,
 * e.g. {@code cannot parse JSON: cannot parse empty string; unparsed tail: ""}. OPA reports
 * these messages from io.jwt.encode_sign_raw, so they are reproduced here.
 */
final class HeaderProbe {
  private static final int MAX_DEPTH = 300;

  /** A parsed value: only what member lookup needs. */
  private record Node(String type, String raw, List<String[]> keys, List<Node> values) {}

  private final Node root;
  private final String error;

  private HeaderProbe(Node root, String error) {
    this.root = root;
    this.error = error;
  }

  static HeaderProbe parse(String json) {
    String s = json.substring(skipWs(json, 0));
    Parser p = new Parser(s);
    try {
      Node n = p.value(0);
      int tail = skipWs(s, p.pos);
      if (tail < s.length()) {
        return new HeaderProbe(null, "unexpected tail: " + goQuote(startEnd(s.substring(tail))));
      }
      return new HeaderProbe(n, null);
    } catch (ParseError e) {
      return new HeaderProbe(null, "cannot parse JSON: " + e.getMessage() + "; unparsed tail: "
          + goQuote(startEnd(s.substring(Math.min(e.tail, s.length())))));
    }
  }

  /** The string member, or an error message as jwsbb.HeaderGetString words it. */
  Result string(String key) {
    if (error != null) {
      return new Result(null, error);
    }
    Node v = null;
    if (root.type().equals("object")) {
      for (int i = 0; i < root.keys().size(); i++) {
        if (unescape(root.keys().get(i)[0]).equals(key)) {
          v = root.values().get(i);
          break;
        }
      }
    }
    if (v == null) {
      return new Result(null, "jwsbb: header \"" + key + "\" not found");
    }
    if (!v.type().equals("string")) {
      return new Result(null, "value doesn't contain string; it contains " + v.type());
    }
    return new Result(unescape(v.raw()), null);
  }

  record Result(String value, String error) {}

  private static final class ParseError extends Exception {
    final int tail;

    ParseError(String message, int tail) {
      super(message, null, false, false);
      this.tail = tail;
    }
  }

  private static final class Parser {
    final String s;
    int pos;

    Parser(String s) {
      this.s = s;
    }

    Node value(int depth) throws ParseError {
      if (pos >= s.length()) {
        throw new ParseError("cannot parse empty string", pos);
      }
      if (depth + 1 > MAX_DEPTH) {
        throw new ParseError("too big depth for the nested JSON; it exceeds " + MAX_DEPTH, pos);
      }
      char c = s.charAt(pos);
      switch (c) {
        case '{' -> {
          pos++;
          try {
            return object(depth + 1);
          } catch (ParseError e) {
            throw new ParseError("cannot parse object: " + e.getMessage(), e.tail);
          }
        }
        case '[' -> {
          pos++;
          try {
            return array(depth + 1);
          } catch (ParseError e) {
            throw new ParseError("cannot parse array: " + e.getMessage(), e.tail);
          }
        }
        case '"' -> {
          pos++;
          try {
            return new Node("string", rawString(), null, null);
          } catch (ParseError e) {
            throw new ParseError("cannot parse string: " + e.getMessage(), e.tail);
          }
        }
        case 't' -> {
          return literal("true", "true");
        }
        case 'f' -> {
          return literal("false", "false");
        }
        case 'n' -> {
          if (s.startsWith("null", pos)) {
            pos += 4;
            return new Node("null", null, null, null);
          }
          if (s.regionMatches(true, pos, "nan", 0, 3)) {
            pos += 3;
            return new Node("number", null, null, null);
          }
          throw new ParseError("unexpected value found: " + goQuote(s.substring(pos)), pos);
        }
        default -> {
          return number();
        }
      }
    }

    private Node literal(String word, String type) throws ParseError {
      if (!s.startsWith(word, pos)) {
        throw new ParseError("unexpected value found: " + goQuote(s.substring(pos)), pos);
      }
      pos += word.length();
      return new Node(type, null, null, null);
    }

    private Node number() throws ParseError {
      int start = pos;
      for (int i = pos; i < s.length(); i++) {
        char ch = s.charAt(i);
        if (ch >= '0' && ch <= '9' || ch == '.' || ch == '-' || ch == 'e' || ch == 'E' || ch == '+') {
          continue;
        }
        if (i == start || i == start + 1 && (s.charAt(start) == '-' || s.charAt(start) == '+')) {
          if (s.length() - i >= 3) {
            String xs = s.substring(i, i + 3);
            if (xs.equalsIgnoreCase("inf") || xs.equalsIgnoreCase("nan")) {
              pos = i + 3;
              return new Node("number", null, null, null);
            }
          }
          throw new ParseError("cannot parse number: unexpected char: " + goQuote(s.substring(start, start + 1)), start);
        }
        pos = i;
        return new Node("number", null, null, null);
      }
      pos = s.length();
      return new Node("number", null, null, null);
    }

    private Node array(int depth) throws ParseError {
      pos = skipWs(s, pos);
      if (pos >= s.length()) {
        throw new ParseError("missing ']'", pos);
      }
      List<Node> values = new ArrayList<>();
      if (s.charAt(pos) == ']') {
        pos++;
        return new Node("array", null, null, values);
      }
      while (true) {
        pos = skipWs(s, pos);
        try {
          values.add(value(depth));
        } catch (ParseError e) {
          throw new ParseError("cannot parse array value: " + e.getMessage(), e.tail);
        }
        pos = skipWs(s, pos);
        if (pos >= s.length()) {
          throw new ParseError("unexpected end of array", pos);
        }
        if (s.charAt(pos) == ',') {
          pos++;
          continue;
        }
        if (s.charAt(pos) == ']') {
          pos++;
          return new Node("array", null, null, values);
        }
        throw new ParseError("missing ',' after array value", pos);
      }
    }

    private Node object(int depth) throws ParseError {
      pos = skipWs(s, pos);
      if (pos >= s.length()) {
        throw new ParseError("missing '}'", pos);
      }
      List<String[]> keys = new ArrayList<>();
      List<Node> values = new ArrayList<>();
      if (s.charAt(pos) == '}') {
        pos++;
        return new Node("object", null, keys, values);
      }
      while (true) {
        pos = skipWs(s, pos);
        if (pos >= s.length() || s.charAt(pos) != '"') {
          throw new ParseError("cannot find opening '\"\" for object key", pos);
        }
        pos++;
        String key;
        try {
          key = rawString();
        } catch (ParseError e) {
          throw new ParseError("cannot parse object key: " + e.getMessage(), e.tail);
        }
        pos = skipWs(s, pos);
        if (pos >= s.length() || s.charAt(pos) != ':') {
          throw new ParseError("missing ':' after object key", pos);
        }
        pos++;
        pos = skipWs(s, pos);
        Node v;
        try {
          v = value(depth);
        } catch (ParseError e) {
          throw new ParseError("cannot parse object value: " + e.getMessage(), e.tail);
        }
        keys.add(new String[] {key});
        values.add(v);
        pos = skipWs(s, pos);
        if (pos >= s.length()) {
          throw new ParseError("unexpected end of object", pos);
        }
        if (s.charAt(pos) == ',') {
          pos++;
          continue;
        }
        if (s.charAt(pos) == '}') {
          pos++;
          return new Node("object", null, keys, values);
        }
        throw new ParseError("missing ',' after object value", pos);
      }
    }

    /** The raw (still escaped) contents up to the closing quote, which is consumed. */
    private String rawString() throws ParseError {
      int start = pos;
      int i = pos;
      while (true) {
        int q = s.indexOf('"', i);
        if (q < 0) {
          pos = s.length();
          throw new ParseError("missing closing '\"'", s.length());
        }
        int backslashes = 0;
        for (int j = q - 1; j >= start && s.charAt(j) == '\\'; j--) {
          backslashes++;
        }
        if (backslashes % 2 == 0) {
          pos = q + 1;
          return s.substring(start, q);
        }
        i = q + 1;
      }
    }
  }

  private static int skipWs(String s, int i) {
    while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\n' || s.charAt(i) == '\t' || s.charAt(i) == '\r')) {
      i++;
    }
    return i;
  }

  /** fastjson's best-effort unescaping: bad escapes are kept as written. */
  static String unescape(String s) {
    if (s.indexOf('\\') < 0) {
      return s;
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '\\' || i + 1 >= s.length()) {
        b.append(c);
        continue;
      }
      char e = s.charAt(++i);
      switch (e) {
        case '"', '\\', '/' -> b.append(e);
        case 'b' -> b.append('\b');
        case 'f' -> b.append('\f');
        case 'n' -> b.append('\n');
        case 'r' -> b.append('\r');
        case 't' -> b.append('\t');
        case 'u' -> {
          int cp = hex4(s, i + 1);
          if (cp < 0) {
            b.append("\\u");
            break;
          }
          i += 4;
          if (!Character.isSurrogate((char) cp)) {
            b.append((char) cp);
            break;
          }
          int low = i + 2 < s.length() && s.charAt(i + 1) == '\\' && s.charAt(i + 2) == 'u' ? hex4(s, i + 3) : -1;
          if (low < 0) {
            b.append("\\u").append(s, i - 3, i + 1);
            break;
          }
          b.appendCodePoint(Character.isSurrogatePair((char) cp, (char) low)
              ? Character.toCodePoint((char) cp, (char) low) : 0xfffd);
          i += 6;
        }
        default -> b.append('\\').append(e);
      }
    }
    return b.toString();
  }

  private static int hex4(String s, int i) {
    if (i + 4 > s.length()) {
      return -1;
    }
    int v = 0;
    for (int j = i; j < i + 4; j++) {
      int d = Character.digit(s.charAt(j), 16);
      if (d < 0) {
        return -1;
      }
      v = v * 16 + d;
    }
    return v;
  }

  /** fastjson shortens long tails in messages to their first and last 20 bytes. */
  private static String startEnd(String s) {
    if (s.length() <= 40) {
      return s;
    }
    return s.substring(0, 20) + "..." + s.substring(s.length() - 20);
  }

  /** Go's %q for the (mostly ASCII) text of a header. */
  static String goQuote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '\u0007' -> sb.append("\\a");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        case '\u000b' -> sb.append("\\v");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            sb.append(String.format("\\x%02x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }
}
