package dev.gatehouse.engine.format;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The source a module was parsed from, scanned into coarse tokens so the formatter can find where
 * each AST node ends: our AST keeps only start positions, while OPA's layout rules look at the
 * full source text of rules, heads, expressions and terms. Brackets are matched here once.
 */
final class SourceText {
  enum Kind { IDENT, NUMBER, STRING, TEMPLATE, PUNCT }

  record Tok(Kind kind, int start, int end, String text) {}

  /** A {@code #} comment: where the {@code #} is and the text after it. */
  record Remark(int offset, String text) {}

  final List<Remark> comments = new ArrayList<>();

  final String src;
  private final int[] lineStarts;
  final List<Tok> toks = new ArrayList<>();
  private final Map<Integer, Integer> byStart = new HashMap<>();
  private int[] match;

  SourceText(String src) {
    this.src = src;
    List<Integer> starts = new ArrayList<>();
    starts.add(0);
    for (int i = 0; i < src.length(); i++) {
      if (src.charAt(i) == '\n') {
        starts.add(i + 1);
      }
    }
    lineStarts = starts.stream().mapToInt(Integer::intValue).toArray();
    scan(0, src.length());
    toks.sort((a, b) -> Integer.compare(a.start, b.start));
    comments.sort((a, b) -> Integer.compare(a.offset, b.offset));
    for (int i = 0; i < toks.size(); i++) {
      byStart.put(toks.get(i).start, i);
    }
    matchBrackets();
  }

  int row(int offset) {
    int i = Arrays.binarySearch(lineStarts, offset);
    return (i >= 0 ? i : -i - 2) + 1;
  }

  int col(int offset) {
    int ls = lineStarts[row(offset) - 1];
    return src.codePointCount(ls, Math.min(offset, src.length())) + 1;
  }

  String text(int from, int to) {
    return src.substring(Math.max(0, from), Math.min(src.length(), Math.max(from, to)));
  }

  /** Index of the token starting at offset, or -1. */
  int tokenAt(int offset) {
    Integer i = byStart.get(offset);
    return i == null ? -1 : i;
  }

  /** Index of the first token starting at or after offset. */
  int tokenFrom(int offset) {
    int lo = 0;
    int hi = toks.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (toks.get(mid).start < offset) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** Index of the last token ending at or before offset, or -1. */
  int tokenBefore(int offset) {
    int i = tokenFrom(offset) - 1;
    while (i >= 0 && toks.get(i).end > offset) {
      i--;
    }
    return i;
  }

  Tok tok(int i) {
    return i >= 0 && i < toks.size() ? toks.get(i) : null;
  }

  boolean isPunct(int i, String p) {
    Tok t = tok(i);
    return t != null && t.kind == Kind.PUNCT && t.text.equals(p);
  }

  /** Token index of the bracket matching the one at index i, or -1. */
  int matching(int i) {
    return i >= 0 && i < match.length ? match[i] : -1;
  }

  private void scan(int from, int n) {
    int p = from;
    while (p < n) {
      char c = src.charAt(p);
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        p++;
      } else if (c == '#') {
        int s = p;
        while (p < n && src.charAt(p) != '\n') {
          p++;
        }
        String text = src.substring(s + 1, p);
        comments.add(new Remark(s, text.endsWith("\r") ? text.substring(0, text.length() - 1) : text));
      } else if (Character.isLetter(c) || c == '_') {
        int s = p;
        while (p < n && (Character.isLetterOrDigit(src.charAt(p)) || src.charAt(p) == '_')) {
          p++;
        }
        add(Kind.IDENT, s, p);
      } else if (isDigit(c) || (c == '.' && p + 1 < n && isDigit(src.charAt(p + 1)) && !afterOperand())) {
        int s = p;
        p = numberEnd(p);
        add(Kind.NUMBER, s, p);
      } else if (c == '"') {
        int s = p;
        p = quotedEnd(p);
        add(Kind.STRING, s, p);
      } else if (c == '`') {
        int s = p;
        p++;
        while (p < n && src.charAt(p) != '`') {
          p++;
        }
        p = Math.min(n, p + 1);
        add(Kind.STRING, s, p);
      } else if (c == '$' && p + 1 < n && (src.charAt(p + 1) == '"' || src.charAt(p + 1) == '`')) {
        int s = p;
        p = templateEnd(p);
        add(Kind.TEMPLATE, s, p);
        for (int[] seg : templateSegments(s, p)) {
          scan(seg[0], seg[1]);
        }
      } else {
        int s = p;
        String two = p + 1 < n ? src.substring(p, p + 2) : "";
        if (two.equals(":=") || two.equals("==") || two.equals("!=") || two.equals("<=") || two.equals(">=")) {
          p += 2;
        } else {
          p++;
        }
        add(Kind.PUNCT, s, p);
      }
    }
  }

  private boolean afterOperand() {
    if (toks.isEmpty()) {
      return false;
    }
    Tok t = toks.get(toks.size() - 1);
    return t.kind != Kind.PUNCT || t.text.equals(")") || t.text.equals("]") || t.text.equals("}");
  }

  private void add(Kind k, int s, int e) {
    toks.add(new Tok(k, s, e, src.substring(s, e)));
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** End of a number literal starting at p (digits, fraction, exponent). */
  int numberEnd(int p) {
    int n = src.length();
    while (p < n && isDigit(src.charAt(p))) {
      p++;
    }
    if (p + 1 < n && src.charAt(p) == '.' && isDigit(src.charAt(p + 1))) {
      p++;
      while (p < n && isDigit(src.charAt(p))) {
        p++;
      }
    }
    if (p < n && (src.charAt(p) == 'e' || src.charAt(p) == 'E')) {
      int q = p + 1;
      if (q < n && (src.charAt(q) == '+' || src.charAt(q) == '-')) {
        q++;
      }
      if (q < n && isDigit(src.charAt(q))) {
        while (q < n && isDigit(src.charAt(q))) {
          q++;
        }
        p = q;
      }
    }
    return p;
  }

  private int quotedEnd(int p) {
    int n = src.length();
    p++;
    while (p < n && src.charAt(p) != '"' && src.charAt(p) != '\n') {
      if (src.charAt(p) == '\\') {
        p++;
      }
      p++;
    }
    return Math.min(n, p + 1);
  }

  private int templateEnd(int p) {
    int n = src.length();
    char delim = src.charAt(p + 1);
    p += 2;
    int depth = 0;
    while (p < n) {
      char ch = src.charAt(p);
      if (depth == 0) {
        if (ch == delim) {
          return p + 1;
        }
        if (ch == '\\' && (delim == '"' || (p + 1 < n && src.charAt(p + 1) == '{'))) {
          p += 2;
          continue;
        }
        if (ch == '{') {
          depth = 1;
        }
        p++;
        continue;
      }
      if (ch == '{') {
        depth++;
      } else if (ch == '}') {
        depth--;
      } else if (ch == '"') {
        p = quotedEnd(p) - 1;
      } else if (ch == '`') {
        p++;
        while (p < n && src.charAt(p) != '`') {
          p++;
        }
      }
      p++;
    }
    return n;
  }

  /** The [start, end) of each embedded expression of the template token [start, end). */
  List<int[]> templateSegments(int start, int end) {
    List<int[]> out = new ArrayList<>();
    boolean raw = src.charAt(start + 1) == '`';
    int i = start + 2;
    while (i < end - 1) {
      char c = src.charAt(i);
      if (c == '\\' && (!raw || (i + 1 < end && src.charAt(i + 1) == '{'))) {
        i += 2;
        continue;
      }
      if (c == '{') {
        int open = i;
        int depth = 0;
        for (; i < end; i++) {
          char ch = src.charAt(i);
          if (ch == '"') {
            i++;
            while (i < end && src.charAt(i) != '"') {
              if (src.charAt(i) == '\\') {
                i++;
              }
              i++;
            }
          } else if (ch == '`') {
            i++;
            while (i < end && src.charAt(i) != '`') {
              i++;
            }
          } else if (ch == '{') {
            depth++;
          } else if (ch == '}' && --depth == 0) {
            break;
          }
        }
        out.add(new int[] {open + 1, Math.min(i, end)});
      }
      i++;
    }
    return out;
  }

  private void matchBrackets() {
    match = new int[toks.size()];
    Arrays.fill(match, -1);
    List<Integer> stack = new ArrayList<>();
    for (int i = 0; i < toks.size(); i++) {
      Tok t = toks.get(i);
      if (t.kind != Kind.PUNCT) {
        continue;
      }
      switch (t.text) {
        case "(", "[", "{" -> stack.add(i);
        case ")", "]", "}" -> {
          if (!stack.isEmpty()) {
            int open = stack.remove(stack.size() - 1);
            match[open] = i;
            match[i] = open;
          }
        }
        default -> { }
      }
    }
  }
}
