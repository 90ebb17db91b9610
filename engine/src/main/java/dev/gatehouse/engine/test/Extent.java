package dev.gatehouse.engine.test;

/**
 * Where an expression or rule head ends, found from the source text: our AST keeps start
 * positions only, and opa's coverage counts every row an expression spans. An expression ends at
 * a newline or {@code ;} outside brackets (or at the bracket that closes its enclosing body); a
 * head also ends before {@code if} or a body's {@code {}. Strings and comments are skipped.
 */
final class Extent {
  private Extent() {}

  /** The 1-based row of the last character of the item starting at {@code offset} (on {@code row}). */
  static int endRow(String src, int offset, int row, boolean head) {
    int depth = 0;
    int r = row;
    int lastRow = row;
    boolean valuePending = false; // a head's := / = awaits its value term
    int i = offset;
    while (i < src.length()) {
      char c = src.charAt(i);
      if (c == '\n') {
        if (depth == 0 && !valuePending && !(!head && nextLineStartsWith(src, i + 1, "with"))) {
          return lastRow;
        }
        r++;
        i++;
        continue;
      }
      if (c == '#') {
        while (i < src.length() && src.charAt(i) != '\n') {
          i++;
        }
        continue;
      }
      if (c == '"' || c == '`') {
        int j = skipString(src, i);
        for (int k = i; k < j; k++) {
          if (src.charAt(k) == '\n') {
            r++;
          }
        }
        lastRow = r;
        i = j;
        valuePending = false;
        continue;
      }
      if (depth == 0) {
        if (c == ';') {
          return lastRow;
        }
        if (head) {
          if (c == '{' && !valuePending) {
            return lastRow;
          }
          if (word(src, i, "if") || word(src, i, "else")) {
            return lastRow;
          }
          if (c == ':' && i + 1 < src.length() && src.charAt(i + 1) == '=' || c == '=' && !prevIsOperator(src, i)
              && (i + 1 >= src.length() || src.charAt(i + 1) != '=')) {
            valuePending = true;
            lastRow = r;
            i += c == ':' ? 2 : 1;
            continue;
          }
        }
      }
      if (c == '(' || c == '[' || c == '{') {
        depth++;
      } else if (c == ')' || c == ']' || c == '}') {
        if (depth == 0) {
          return lastRow; // the closer of the enclosing body
        }
        depth--;
      }
      if (!Character.isWhitespace(c)) {
        lastRow = r;
        if (depth == 0 && c != ':' && c != '=') {
          valuePending = false;
        } else if (depth > 0) {
          valuePending = false;
        }
      }
      i++;
    }
    return lastRow;
  }

  /** True when the line after {@code from} begins (after indentation) with the word {@code w}. */
  private static boolean nextLineStartsWith(String s, int from, String w) {
    int i = from;
    while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
      i++;
    }
    return word(s, i, w);
  }

  private static boolean prevIsOperator(String s, int i) {
    if (i == 0) {
      return false;
    }
    char p = s.charAt(i - 1);
    return p == '!' || p == '<' || p == '>' || p == '=' || p == ':';
  }

  private static boolean word(String s, int i, String w) {
    if (!s.startsWith(w, i)) {
      return false;
    }
    boolean before = i == 0 || !Character.isLetterOrDigit(s.charAt(i - 1)) && s.charAt(i - 1) != '_';
    int end = i + w.length();
    boolean after = end >= s.length() || !Character.isLetterOrDigit(s.charAt(end)) && s.charAt(end) != '_';
    return before && after;
  }

  private static int skipString(String s, int i) {
    char q = s.charAt(i);
    int j = i + 1;
    while (j < s.length()) {
      char c = s.charAt(j);
      if (q == '"' && c == '\\') {
        j += 2;
        continue;
      }
      if (c == q) {
        return j + 1;
      }
      if (q == '"' && c == '\n') {
        return j;
      }
      j++;
    }
    return j;
  }
}
