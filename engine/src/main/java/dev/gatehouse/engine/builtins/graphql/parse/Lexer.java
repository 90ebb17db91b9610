package dev.gatehouse.engine.builtins.graphql.parse;

import dev.gatehouse.engine.builtins.graphql.GraphQLError;
import dev.gatehouse.engine.builtins.graphql.ast.Position;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * GraphQL's lexical grammar over UTF-8 bytes, as gqlparser reads it: byte offsets drive the
 * scan while positions count runes, a {@code \r\n} pair shifts the next line's columns by one,
 * block strings report the line they end on, and a string token's column is that of its first
 * character after the quote. Callers rely on these positions in error messages.
 */
final class Lexer {
  private final byte[] in;
  private final String source;
  private int start;
  private int startRunes;
  private int end;
  private int endRunes;
  private int line = 1;
  private int lineStartRunes;
  private GraphQLError error;

  Lexer(String input, String source) {
    this.in = input.getBytes(StandardCharsets.UTF_8);
    this.source = source;
  }

  /** The error of the last {@link #readToken()} (whose token is then INVALID), or null. */
  GraphQLError error() {
    return error;
  }

  Token readToken() {
    error = null;
    skipWhitespace();
    start = end;
    startRunes = endRunes;
    if (end >= in.length) {
      return token(TokenKind.EOF, "");
    }
    int r = in[start] & 0xff;
    end++;
    endRunes++;
    switch (r) {
      case '!': return token(TokenKind.BANG, "");
      case '$': return token(TokenKind.DOLLAR, "");
      case '&': return token(TokenKind.AMP, "");
      case '(': return token(TokenKind.PAREN_L, "");
      case ')': return token(TokenKind.PAREN_R, "");
      case ':': return token(TokenKind.COLON, "");
      case '=': return token(TokenKind.EQUALS, "");
      case '@': return token(TokenKind.AT, "");
      case '[': return token(TokenKind.BRACKET_L, "");
      case ']': return token(TokenKind.BRACKET_R, "");
      case '{': return token(TokenKind.BRACE_L, "");
      case '}': return token(TokenKind.BRACE_R, "");
      case '|': return token(TokenKind.PIPE, "");
      case '#': return readComment();
      case '.':
        if (in.length > start + 2 && in[start + 1] == '.' && in[start + 2] == '.') {
          end += 2;
          endRunes += 2;
          return token(TokenKind.SPREAD, "");
        }
        break;
      case '"':
        if (in.length > start + 2 && in[start + 1] == '"' && in[start + 2] == '"') {
          return readBlockString();
        }
        return readString();
      default:
        if (isNameStart(r)) {
          return readName();
        }
        if (r == '-' || (r >= '0' && r <= '9')) {
          return readNumber();
        }
    }
    end--;
    endRunes--;
    if (r < 0x20 && r != '\t' && r != '\n' && r != '\r') {
      return fail(String.format("Cannot contain the invalid character \"\\u%04x\"", r));
    }
    if (r == '\'') {
      return fail("Unexpected single quote character ('), did you mean to use a double quote (\")?");
    }
    // gqlparser shows the first byte of the character as if it were a code point
    return fail("Cannot parse the unexpected character \"" + (char) r + "\".");
  }

  private static boolean isNameStart(int r) {
    return r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z');
  }

  private static boolean isNameChar(int r) {
    return isNameStart(r) || (r >= '0' && r <= '9');
  }

  private Token token(TokenKind kind, String value) {
    return new Token(kind, value, new Position(startRunes, endRunes, line, startRunes - lineStartRunes + 1, source));
  }

  private Token fail(String message) {
    int column = endRunes - lineStartRunes + 1;
    error = GraphQLError.at(source, line, column, message);
    return new Token(TokenKind.INVALID, "", new Position(startRunes, endRunes, line, column, source));
  }

  private String text(int from, int to) {
    return new String(in, from, to - from, StandardCharsets.UTF_8);
  }

  private void skipWhitespace() {
    while (end < in.length) {
      int b = in[end] & 0xff;
      switch (b) {
        case '\t', ' ', ',' -> {
          end++;
          endRunes++;
        }
        case '\n' -> {
          end++;
          endRunes++;
          line++;
          lineStartRunes = endRunes;
        }
        case '\r' -> {
          end++;
          endRunes++;
          line++;
          lineStartRunes = endRunes;
          if (end < in.length && in[end] == '\n') {
            end++;
            endRunes++;
          }
        }
        case 0xEF -> {
          if (end + 2 < in.length && (in[end + 1] & 0xff) == 0xBB && (in[end + 2] & 0xff) == 0xBF) {
            end += 3;
            endRunes++;
          } else {
            return;
          }
        }
        default -> {
          return;
        }
      }
    }
  }

  /** Width in bytes of the UTF-8 sequence starting at {@code i} (input is well-formed UTF-8). */
  private int runeWidth(int i) {
    int b = in[i] & 0xff;
    int w = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    return Math.min(w, in.length - i);
  }

  private int runeAt(int i) {
    int b = in[i] & 0xff;
    if (b < 0x80) {
      return b;
    }
    return text(i, i + runeWidth(i)).codePointAt(0);
  }

  private Token readComment() {
    while (end < in.length) {
      int r = runeAt(end);
      if (r > 0x1f || r == '\t') {
        end += runeWidth(end);
        endRunes++;
      } else {
        break;
      }
    }
    return token(TokenKind.COMMENT, text(start, end));
  }

  private Token readName() {
    while (end < in.length && isNameChar(in[end] & 0xff)) {
      end++;
      endRunes++;
    }
    return token(TokenKind.NAME, text(start, end));
  }

  private Token readNumber() {
    boolean isFloat = false;
    end--;
    endRunes--;
    acceptByte('-', '-');
    if (acceptByte('0', '0')) {
      int consumed = acceptDigits();
      if (consumed != 0) {
        end -= consumed;
        endRunes -= consumed;
        return fail("Invalid number, unexpected digit after 0: " + describeNext() + ".");
      }
    } else if (acceptDigits() == 0) {
      return fail("Invalid number, expected digit but got: " + describeNext() + ".");
    }
    if (acceptByte('.', '.')) {
      isFloat = true;
      if (acceptDigits() == 0) {
        return fail("Invalid number, expected digit but got: " + describeNext() + ".");
      }
    }
    if (acceptByte('e', 'E')) {
      isFloat = true;
      acceptByte('-', '+');
      if (acceptDigits() == 0) {
        return fail("Invalid number, expected digit but got: " + describeNext() + ".");
      }
    }
    return token(isFloat ? TokenKind.FLOAT : TokenKind.INT, text(start, end));
  }

  private boolean acceptByte(char a, char b) {
    if (end < in.length && (in[end] == a || in[end] == b)) {
      end++;
      endRunes++;
      return true;
    }
    return false;
  }

  private int acceptDigits() {
    int consumed = 0;
    while (end < in.length && in[end] >= '0' && in[end] <= '9') {
      end++;
      endRunes++;
      consumed++;
    }
    return consumed;
  }

  private String describeNext() {
    return end < in.length ? "\"" + (char) (in[end] & 0xff) + "\"" : "<EOF>";
  }

  private Token readString() {
    ByteArrayOutputStream buf = null;
    start++;
    startRunes++;
    while (end < in.length) {
      int r = in[end] & 0xff;
      if (r == '\n' || r == '\r') {
        break;
      }
      if (r < 0x20 && r != '\t') {
        return fail(String.format("Invalid character within String: \"\\u%04x\".", r));
      }
      if (r == '"') {
        Token t = token(TokenKind.STRING, buf == null ? text(start, end) : buf.toString(StandardCharsets.UTF_8));
        Position p = t.position();
        end++;
        endRunes++;
        // the value excludes the quotes but the span covers them; the column stays past the quote
        return new Token(t.kind(), t.value(), new Position(p.start() - 1, p.end() + 1, p.line(), p.column(), source));
      }
      if (r == '\\') {
        if (end + 1 >= in.length) {
          end++;
          endRunes++;
          return fail("Invalid character escape sequence.");
        }
        if (buf == null) {
          buf = new ByteArrayOutputStream();
          buf.write(in, start, end - start);
        }
        int escape = in[end + 1] & 0xff;
        if (escape == 'u') {
          if (end + 6 >= in.length) {
            end++;
            endRunes++;
            return fail("Invalid character escape sequence: \\" + text(end, in.length) + ".");
          }
          int cp = unhex(end + 2);
          if (cp < 0) {
            end++;
            endRunes++;
            return fail("Invalid character escape sequence: \\" + text(end, end + 5) + ".");
          }
          writeRune(buf, cp);
          end += 6;
          endRunes += 6;
        } else {
          int out;
          switch (escape) {
            case '"', '/', '\\' -> out = escape;
            case 'b' -> out = '\b';
            case 'f' -> out = '\f';
            case 'n' -> out = '\n';
            case 'r' -> out = '\r';
            case 't' -> out = '\t';
            default -> {
              end++;
              endRunes++;
              return fail("Invalid character escape sequence: \\" + (char) escape + ".");
            }
          }
          buf.write(out);
          end += 2;
          endRunes += 2;
        }
        continue;
      }
      int w = r >= 127 ? runeWidth(end) : 1;
      if (buf != null) {
        buf.write(in, end, w);
      }
      end += w;
      endRunes++;
    }
    return fail("Unterminated string.");
  }

  /** Four hex digits at {@code i} as a code unit, or -1 (any non-ASCII byte fails, as in Go). */
  private int unhex(int i) {
    int v = 0;
    for (int k = i; k < i + 4; k++) {
      int c = in[k] & 0xff;
      v <<= 4;
      if (c >= '0' && c <= '9') {
        v |= c - '0';
      } else if (c >= 'a' && c <= 'f') {
        v |= c - 'a' + 10;
      } else if (c >= 'A' && c <= 'F') {
        v |= c - 'A' + 10;
      } else {
        return -1;
      }
    }
    return v;
  }

  /** UTF-8 of a code point; surrogate halves become U+FFFD as with Go's WriteRune. */
  private static void writeRune(ByteArrayOutputStream buf, int cp) {
    if (cp >= 0xD800 && cp <= 0xDFFF) {
      cp = 0xFFFD;
    }
    byte[] b = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
    buf.write(b, 0, b.length);
  }

  private Token readBlockString() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    start += 3;
    startRunes += 3;
    end += 2;
    endRunes += 2;
    while (end < in.length) {
      int r = in[end] & 0xff;
      if (r == '"') {
        int quotes = 1;
        while (end + quotes < in.length && in[end + quotes] == '"') {
          quotes++;
        }
        if (quotes >= 3) {
          for (int i = 0; i < quotes - 3; i++) {
            buf.write('"');
          }
          Token t = token(TokenKind.BLOCK_STRING, BlockStrings.value(buf.toString(StandardCharsets.UTF_8)));
          Position p = t.position();
          end += quotes;
          endRunes += quotes;
          return new Token(t.kind(), t.value(), new Position(p.start() - 3, p.end() + 3, p.line(), p.column(), source));
        }
      }
      if (r < 0x20 && r != '\t' && r != '\n' && r != '\r') {
        return fail(String.format("Invalid character within String: \"\\u%04x\".", r));
      }
      if (r == '\\' && end + 4 <= in.length && in[end + 1] == '"' && in[end + 2] == '"' && in[end + 3] == '"') {
        buf.write('"');
        buf.write('"');
        buf.write('"');
        end += 4;
        endRunes += 4;
      } else if (r == '\r') {
        if (end + 1 < in.length && in[end + 1] == '\n') {
          end++;
          endRunes++;
        }
        buf.write('\n');
        end++;
        endRunes++;
        line++;
        lineStartRunes = endRunes;
      } else {
        int w = r >= 127 ? runeWidth(end) : 1;
        buf.write(in, end, w);
        end += w;
        endRunes++;
        if (r == '\n') {
          line++;
          lineStartRunes = endRunes;
        }
      }
    }
    return fail("Unterminated string.");
  }
}
