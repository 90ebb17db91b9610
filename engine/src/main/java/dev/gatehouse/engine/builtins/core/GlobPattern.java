package dev.gatehouse.engine.builtins.core;

import com.google.re2j.Pattern;
import dev.gatehouse.engine.builtins.BuiltinException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * glob.match patterns (the gobwas/glob syntax OPA uses): {@code *} any run of non-delimiters,
 * {@code **} any run, {@code ?} one non-delimiter, {@code [abc]}, {@code [a-z]}, {@code [!...]},
 * {@code {a,b}} alternatives, {@code \} escapes. Patterns are parsed with gobwas' rules and error
 * messages ({@code glob: syntax error at N: reason}), then matched as an RE2 expression, which is
 * exact because every glob is a regular language.
 */
final class GlobPattern {
  private static final Map<String, GlobPattern> CACHE = new ConcurrentHashMap<>();
  private static final String SPECIALS = "*?\\[]{}";

  private final Pattern regex;

  private GlobPattern(Pattern regex) {
    this.regex = regex;
  }

  boolean matches(String s) {
    return regex.matcher(s).matches();
  }

  static GlobPattern compile(String glob, int[] delimiters) {
    String key = glob + "\u0000" + Arrays.toString(delimiters);
    GlobPattern p = CACHE.get(key);
    if (p != null) {
      return p;
    }
    p = new GlobPattern(Pattern.compile(new Parser(glob, delimiters).parse(), Pattern.DOTALL));
    if (CACHE.size() >= Regexes.CACHE_LIMIT) {
      Iterator<String> it = CACHE.keySet().iterator();
      if (it.hasNext()) {
        CACHE.remove(it.next());
      }
    }
    CACHE.put(key, p);
    return p;
  }

  /** gobwas' QuoteMeta: a backslash before each of {@code *?\[]{}}. */
  static String quoteMeta(String s) {
    StringBuilder sb = new StringBuilder(s.length() * 2);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (SPECIALS.indexOf(c) >= 0) {
        sb.append('\\');
      }
      sb.append(c);
    }
    return sb.toString();
  }

  private enum T { EOF, ERROR, TEXT, ANY, SUPER, SINGLE, NOT, SEPARATOR, RANGE_OPEN, RANGE_CLOSE, RANGE_LO, RANGE_HI,
    RANGE_BETWEEN, TERMS_OPEN, TERMS_CLOSE }

  private record Tok(T type, String data) {}

  /** gobwas' lexer: a token queue, byte offsets, and an error that wins over queued tokens. */
  private static final class Lexer {
    private final String data;
    private int pos;
    private String err;
    private final Deque<Tok> queue = new ArrayDeque<>();
    private int termsLevel;
    private int lastSize;

    Lexer(String data) {
      this.data = data;
    }

    /** The byte offset reached, as gobwas reports it. */
    int offset() {
      return Strings.utf8Length(data, pos);
    }

    Tok next() {
      while (true) {
        if (err != null) {
          return new Tok(T.ERROR, err);
        }
        if (!queue.isEmpty()) {
          return queue.poll();
        }
        fetch();
      }
    }

    private int read() {
      if (pos >= data.length()) {
        lastSize = 0;
        return -1;
      }
      int cp = data.codePointAt(pos);
      lastSize = Character.charCount(cp);
      pos += lastSize;
      return cp;
    }

    private void unread() {
      pos -= lastSize;
      lastSize = 0;
    }

    private int peek() {
      return pos >= data.length() ? -1 : data.codePointAt(pos);
    }

    private void fetch() {
      int r = read();
      if (r == -1) {
        queue.add(new Tok(T.EOF, ""));
      } else if (r == '{') {
        termsLevel++;
        queue.add(new Tok(T.TERMS_OPEN, "{"));
      } else if (r == ',' && termsLevel > 0) {
        queue.add(new Tok(T.SEPARATOR, ","));
      } else if (r == '}' && termsLevel > 0) {
        queue.add(new Tok(T.TERMS_CLOSE, "}"));
        termsLevel--;
      } else if (r == '[') {
        queue.add(new Tok(T.RANGE_OPEN, "["));
        fetchRange();
      } else if (r == '?') {
        queue.add(new Tok(T.SINGLE, "?"));
      } else if (r == '*') {
        if (read() == '*') {
          queue.add(new Tok(T.SUPER, "**"));
        } else {
          unread();
          queue.add(new Tok(T.ANY, "*"));
        }
      } else {
        unread();
        fetchText(termsLevel > 0 ? "?*[{}," : "?*[{");
      }
    }

    private void fetchRange() {
      boolean wantHi = false;
      boolean wantClose = false;
      boolean seenNot = false;
      while (true) {
        int r = read();
        if (r == -1) {
          err = "unexpected end of input";
          return;
        }
        if (wantClose) {
          if (r != ']') {
            err = "expected close range character";
          } else {
            queue.add(new Tok(T.RANGE_CLOSE, "]"));
          }
          return;
        }
        if (wantHi) {
          queue.add(new Tok(T.RANGE_HI, new String(Character.toChars(r))));
          wantClose = true;
          continue;
        }
        if (!seenNot && r == '!') {
          queue.add(new Tok(T.NOT, "!"));
          seenNot = true;
          continue;
        }
        if (peek() == '-') {
          pos++;
          queue.add(new Tok(T.RANGE_LO, new String(Character.toChars(r))));
          queue.add(new Tok(T.RANGE_BETWEEN, "-"));
          wantHi = true;
          continue;
        }
        unread();
        fetchText("]");
        wantClose = true;
      }
    }

    private void fetchText(String breakers) {
      StringBuilder sb = new StringBuilder();
      boolean escaped = false;
      while (true) {
        int r = read();
        if (r == -1) {
          if (escaped) {
            err = "trailing backslash";
          }
          break;
        }
        if (!escaped) {
          if (r == '\\') {
            escaped = true;
            continue;
          }
          if (breakers.indexOf(r) >= 0) {
            unread();
            break;
          }
        }
        escaped = false;
        sb.appendCodePoint(r);
      }
      if (sb.length() > 0) {
        queue.add(new Tok(T.TEXT, sb.toString()));
      }
    }
  }

  /** gobwas' stack-based parser, producing RE2 syntax instead of matchers. */
  private static final class Parser {
    private final Lexer lex;
    private final String notDelimiter;
    private final String anyRun;

    Parser(String glob, int[] delimiters) {
      this.lex = new Lexer(glob);
      if (delimiters.length == 0) {
        notDelimiter = ".";
      } else {
        StringBuilder cls = new StringBuilder("[^");
        for (int d : delimiters) {
          cls.append(escapeInClass(d));
        }
        notDelimiter = cls.append(']').toString();
      }
      anyRun = ".*";
    }

    private record Op(boolean terms, int index) {}

    String parse() {
      List<String> stack = new ArrayList<>();
      List<Op> ops = new ArrayList<>();
      while (true) {
        Tok t = lex.next();
        switch (t.type()) {
          case EOF -> {
            if (!ops.isEmpty()) {
              throw syntax("unclosed `{`");
            }
            return String.join("", stack);
          }
          case ERROR -> throw syntax(t.data());
          case SINGLE -> stack.add(notDelimiter);
          case TEXT -> stack.add(Pattern.quote(t.data()));
          case RANGE_OPEN -> stack.add(range());
          case ANY -> stack.add(notDelimiter + "*");
          case SUPER -> stack.add(anyRun);
          case TERMS_OPEN -> {
            ops.add(new Op(true, stack.size()));
            ops.add(new Op(false, stack.size()));
          }
          case SEPARATOR -> {
            if (ops.isEmpty()) {
              throw syntax("unexpected `,`");
            }
            Op x = ops.get(ops.size() - 1);
            if (!x.terms()) {
              ops.remove(ops.size() - 1);
            }
            collapse(stack, x.index(), false);
            ops.add(new Op(false, stack.size()));
          }
          case TERMS_CLOSE -> {
            while (true) {
              if (ops.isEmpty()) {
                throw syntax("unexpected `}`");
              }
              Op x = ops.remove(ops.size() - 1);
              collapse(stack, x.index(), x.terms());
              if (x.terms()) {
                break;
              }
            }
          }
          default -> throw syntax("unexpected token " + t.type().name().toLowerCase() + "<" + GoFmt.goQuote(t.data()) + ">");
        }
      }
    }

    /** Replaces stack[index:] by their sequence (or, for a group, their alternation). */
    private static void collapse(List<String> stack, int index, boolean alternatives) {
      List<String> parts = new ArrayList<>(stack.subList(index, stack.size()));
      while (stack.size() > index) {
        stack.remove(stack.size() - 1);
      }
      stack.add(alternatives ? "(?:" + String.join("|", parts) + ")" : "(?:" + String.join("", parts) + ")");
    }

    private String range() {
      boolean not = false;
      int lo = -1;
      int hi = -1;
      String chars = null;
      while (true) {
        Tok t = lex.next();
        switch (t.type()) {
          case EOF -> throw syntax("unclosed `[`");
          case ERROR -> throw syntax(t.data());
          case NOT -> not = true;
          case RANGE_LO -> lo = t.data().codePointAt(0);
          case RANGE_BETWEEN -> { }
          case RANGE_HI -> {
            hi = t.data().codePointAt(0);
            if (hi < lo) {
              throw syntax("range hi character is less than lo");
            }
          }
          case TEXT -> chars = t.data();
          case RANGE_CLOSE -> {
            boolean isRange = lo >= 0 && hi >= 0;
            boolean isChars = chars != null;
            if (isChars == isRange) {
              throw syntax("could not parse range");
            }
            StringBuilder cls = new StringBuilder(not ? "[^" : "[");
            if (isRange) {
              cls.append(escapeInClass(lo)).append('-').append(escapeInClass(hi));
            } else {
              chars.codePoints().forEach(cp -> cls.append(escapeInClass(cp)));
            }
            return cls.append(']').toString();
          }
          default -> throw syntax("unexpected token " + t.type().name().toLowerCase());
        }
      }
    }

    private BuiltinException syntax(String reason) {
      return BuiltinException.error("glob: syntax error at " + lex.offset() + ": " + reason);
    }

    private static String escapeInClass(int cp) {
      return String.format("\\x{%x}", cp);
    }
  }
}
