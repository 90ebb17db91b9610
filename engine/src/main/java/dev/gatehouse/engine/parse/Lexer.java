package dev.gatehouse.engine.parse;

import dev.gatehouse.engine.ast.Comment;
import dev.gatehouse.engine.ast.Location;
import java.util.ArrayList;
import java.util.List;

/** Turns Rego source into tokens, collecting comments on the side. */
final class Lexer {
  private final String src;
  private final String file;
  private final int len;
  private int pos;
  private int row = 1;
  private int lineStart;
  private final List<Comment> comments = new ArrayList<>();
  private final List<ParseProblem> problems;

  Lexer(String file, String src, List<ParseProblem> problems) {
    this.file = file;
    this.src = src;
    this.len = src.length();
    this.problems = problems;
  }

  List<Comment> comments() {
    return comments;
  }

  List<Token> tokenize() {
    List<Token> out = new ArrayList<>();
    boolean nl = false;
    while (true) {
      nl |= skipSpaceAndComments();
      if (pos >= len) {
        out.add(new Token(TokenType.EOF, "", len, len, row, col(pos), nl));
        return out;
      }
      out.add(next(nl));
      nl = false;
    }
  }

  private int col(int p) {
    return src.codePointCount(lineStart, p) + 1;
  }

  Location location(int offset, int r, int c) {
    return new Location(file, r, c, offset);
  }

  /** Skips blanks and comments; true when a line break was crossed. */
  private boolean skipSpaceAndComments() {
    boolean nl = false;
    while (pos < len) {
      char c = src.charAt(pos);
      if (c == '\n') {
        pos++;
        row++;
        lineStart = pos;
        nl = true;
      } else if (c == ' ' || c == '\t' || c == '\r') {
        pos++;
      } else if (c == '#') {
        int start = pos;
        int startCol = col(pos);
        while (pos < len && src.charAt(pos) != '\n') {
          pos++;
        }
        String text = src.substring(start + 1, pos);
        if (text.endsWith("\r")) {
          text = text.substring(0, text.length() - 1);
        }
        comments.add(new Comment(text, location(start, row, startCol)));
      } else {
        break;
      }
    }
    return nl;
  }

  private Token token(TokenType t, String text, int start, int r, int c, boolean nl) {
    return new Token(t, text, start, pos, r, c, nl);
  }

  private Token next(boolean nl) {
    int start = pos;
    int r = row;
    int c = col(pos);
    char ch = src.charAt(pos);
    if (isIdentStart(ch)) {
      while (pos < len && isIdentPart(src.charAt(pos))) {
        pos++;
      }
      return token(TokenType.IDENT, src.substring(start, pos), start, r, c, nl);
    }
    if (ch >= '0' && ch <= '9') {
      return number(start, r, c, nl);
    }
    switch (ch) {
      case '"':
        return string(start, r, c, nl);
      case '`':
        return rawString(start, r, c, nl);
      case '$':
        if (pos + 1 < len && (src.charAt(pos + 1) == '"' || src.charAt(pos + 1) == '`')) {
          return template(start, r, c, nl);
        }
        break;
      case '{': pos++; return token(TokenType.LBRACE, "{", start, r, c, nl);
      case '}': pos++; return token(TokenType.RBRACE, "}", start, r, c, nl);
      case '[': pos++; return token(TokenType.LBRACK, "[", start, r, c, nl);
      case ']': pos++; return token(TokenType.RBRACK, "]", start, r, c, nl);
      case '(': pos++; return token(TokenType.LPAREN, "(", start, r, c, nl);
      case ')': pos++; return token(TokenType.RPAREN, ")", start, r, c, nl);
      case ',': pos++; return token(TokenType.COMMA, ",", start, r, c, nl);
      case ';': pos++; return token(TokenType.SEMICOLON, ";", start, r, c, nl);
      case '+': pos++; return token(TokenType.PLUS, "+", start, r, c, nl);
      case '-': pos++; return token(TokenType.MINUS, "-", start, r, c, nl);
      case '*': pos++; return token(TokenType.STAR, "*", start, r, c, nl);
      case '/': pos++; return token(TokenType.SLASH, "/", start, r, c, nl);
      case '%': pos++; return token(TokenType.PERCENT, "%", start, r, c, nl);
      case '&': pos++; return token(TokenType.AMP, "&", start, r, c, nl);
      case '|': pos++; return token(TokenType.BAR, "|", start, r, c, nl);
      case '.':
        if (pos + 1 < len && isDigit(src.charAt(pos + 1))) {
          return number(start, r, c, nl);
        }
        pos++;
        return token(TokenType.DOT, ".", start, r, c, nl);
      case ':':
        pos++;
        if (pos < len && src.charAt(pos) == '=') {
          pos++;
          return token(TokenType.ASSIGN, ":=", start, r, c, nl);
        }
        return token(TokenType.COLON, ":", start, r, c, nl);
      case '=':
        pos++;
        if (pos < len && src.charAt(pos) == '=') {
          pos++;
          return token(TokenType.EQUAL, "==", start, r, c, nl);
        }
        return token(TokenType.UNIFY, "=", start, r, c, nl);
      case '!':
        pos++;
        if (pos < len && src.charAt(pos) == '=') {
          pos++;
          return token(TokenType.NOT_EQUAL, "!=", start, r, c, nl);
        }
        return token(TokenType.ILLEGAL, "!", start, r, c, nl);
      case '<':
        pos++;
        if (pos < len && src.charAt(pos) == '=') {
          pos++;
          return token(TokenType.LTE, "<=", start, r, c, nl);
        }
        return token(TokenType.LT, "<", start, r, c, nl);
      case '>':
        pos++;
        if (pos < len && src.charAt(pos) == '=') {
          pos++;
          return token(TokenType.GTE, ">=", start, r, c, nl);
        }
        return token(TokenType.GT, ">", start, r, c, nl);
      default:
        break;
    }
    pos += Character.charCount(src.codePointAt(pos));
    return token(TokenType.ILLEGAL, src.substring(start, pos), start, r, c, nl);
  }

  static boolean isIdentStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  }

  static boolean isIdentPart(char c) {
    return isIdentStart(c) || (c >= '0' && c <= '9');
  }

  private Token number(int start, int r, int c, boolean nl) {
    while (pos < len && isDigit(src.charAt(pos))) {
      pos++;
    }
    if (pos + 1 < len && src.charAt(pos) == '.' && isDigit(src.charAt(pos + 1))) {
      pos++;
      while (pos < len && isDigit(src.charAt(pos))) {
        pos++;
      }
    }
    if (pos < len && (src.charAt(pos) == 'e' || src.charAt(pos) == 'E')) {
      int save = pos;
      pos++;
      if (pos < len && (src.charAt(pos) == '+' || src.charAt(pos) == '-')) {
        pos++;
      }
      if (pos < len && isDigit(src.charAt(pos))) {
        while (pos < len && isDigit(src.charAt(pos))) {
          pos++;
        }
      } else {
        pos = save;
      }
    }
    String text = src.substring(start, pos);
    if (pos < len && isIdentStart(src.charAt(pos))) {
      // 12abc: OPA's scanner reports the whole run as an illegal number
      while (pos < len && isIdentPart(src.charAt(pos))) {
        pos++;
      }
      return token(TokenType.ILLEGAL, src.substring(start, pos), start, r, c, nl);
    }
    return token(TokenType.NUMBER, text, start, r, c, nl);
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private Token string(int start, int r, int c, boolean nl) {
    pos++; // opening quote
    StringBuilder sb = new StringBuilder();
    while (true) {
      if (pos >= len || src.charAt(pos) == '\n') {
        problems.add(new ParseProblem("non-terminated string", location(start, r, c)));
        return token(TokenType.STRING, sb.toString(), start, r, c, nl);
      }
      char ch = src.charAt(pos);
      if (ch == '"') {
        pos++;
        return token(TokenType.STRING, sb.toString(), start, r, c, nl);
      }
      if (ch == '\\') {
        if (!escape(sb, start, r, c, false)) {
          return token(TokenType.STRING, sb.toString(), start, r, c, nl);
        }
        continue;
      }
      sb.append(ch);
      pos++;
    }
  }

  /** Decodes one escape at pos (which is at the backslash); false after reporting a bad escape. */
  private boolean escape(StringBuilder sb, int start, int r, int c, boolean template) {
    if (pos + 1 >= len) {
      pos++;
      problems.add(new ParseProblem("non-terminated string", location(start, r, c)));
      return false;
    }
    char e = src.charAt(pos + 1);
    pos += 2;
    switch (e) {
      case '"': sb.append('"'); return true;
      case '\\': sb.append('\\'); return true;
      case '/': sb.append('/'); return true;
      case 'b': sb.append('\b'); return true;
      case 'f': sb.append('\f'); return true;
      case 'n': sb.append('\n'); return true;
      case 'r': sb.append('\r'); return true;
      case 't': sb.append('\t'); return true;
      case 'u': {
        if (pos + 4 > len || !isHex(src, pos, 4)) {
          problems.add(new ParseProblem("illegal escape sequence", location(start, r, c)));
          return false;
        }
        sb.append((char) Integer.parseInt(src.substring(pos, pos + 4), 16));
        pos += 4;
        return true;
      }
      case '{':
        if (template) {
          sb.append('{');
          return true;
        }
        // fall through
      default:
        problems.add(new ParseProblem("illegal escape sequence", location(start, r, c)));
        return false;
    }
  }

  private static boolean isHex(String s, int from, int n) {
    for (int i = from; i < from + n; i++) {
      char ch = s.charAt(i);
      if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F'))) {
        return false;
      }
    }
    return true;
  }

  private Token rawString(int start, int r, int c, boolean nl) {
    pos++;
    int contentStart = pos;
    while (pos < len && src.charAt(pos) != '`') {
      if (src.charAt(pos) == '\n') {
        row++;
        lineStart = pos + 1;
      }
      pos++;
    }
    if (pos >= len) {
      problems.add(new ParseProblem("non-terminated raw string", location(start, r, c)));
      return token(TokenType.RAW_STRING, src.substring(contentStart, len), start, r, c, nl);
    }
    String text = src.substring(contentStart, pos);
    pos++;
    return token(TokenType.RAW_STRING, text, start, r, c, nl);
  }

  /**
   * A template string: the token text is the raw content between the delimiters; the parser
   * splits it into literal parts and embedded expressions. Braces inside embedded expressions
   * nest, and strings inside them may contain braces and quotes.
   */
  private Token template(int start, int r, int c, boolean nl) {
    char delim = src.charAt(pos + 1);
    pos += 2;
    int contentStart = pos;
    int depth = 0;
    while (pos < len) {
      char ch = src.charAt(pos);
      if (ch == '\n') {
        if (delim == '"' && depth == 0) {
          break;
        }
        row++;
        lineStart = pos + 1;
      }
      if (depth == 0) {
        if (ch == delim) {
          String text = src.substring(contentStart, pos);
          pos++;
          return token(TokenType.TEMPLATE, (delim == '`' ? "`" : "\"") + text, start, r, c, nl);
        }
        if (ch == '\\' && (delim == '"' || (pos + 1 < len && src.charAt(pos + 1) == '{'))) {
          pos += 2;
          continue;
        }
        if (ch == '{') {
          depth = 1;
        }
        pos++;
        continue;
      }
      if (ch == '{') {
        depth++;
      } else if (ch == '}') {
        depth--;
      } else if (ch == '"') {
        pos++;
        while (pos < len && src.charAt(pos) != '"' && src.charAt(pos) != '\n') {
          if (src.charAt(pos) == '\\') {
            pos++;
          }
          pos++;
        }
      } else if (ch == '`') {
        pos++;
        while (pos < len && src.charAt(pos) != '`') {
          if (src.charAt(pos) == '\n') {
            row++;
            lineStart = pos + 1;
          }
          pos++;
        }
      }
      pos++;
    }
    problems.add(new ParseProblem("non-terminated template string", location(start, r, c)));
    return token(TokenType.TEMPLATE, (delim == '`' ? "`" : "\"") + src.substring(contentStart, Math.min(pos, len)), start, r, c, nl);
  }

  /** Decodes the literal part of a double-quoted template string (escapes, {@code \{}). */
  String decodeTemplateLiteral(String raw, int start, int r, int c) {
    StringBuilder sb = new StringBuilder();
    Lexer sub = new Lexer(file, raw, problems);
    while (sub.pos < sub.len) {
      char ch = raw.charAt(sub.pos);
      if (ch == '\\') {
        if (!sub.escape(sb, start, r, c, true)) {
          break;
        }
      } else {
        sb.append(ch);
        sub.pos++;
      }
    }
    return sb.toString();
  }
}
