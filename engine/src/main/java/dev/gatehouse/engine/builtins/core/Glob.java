package dev.gatehouse.engine.builtins.core;

import com.google.re2j.Pattern;
import java.util.List;

/** Translates OPA (gobwas) glob syntax to an RE2 regular expression. */
final class Glob {
  private Glob() {}

  static String toRegex(String glob, List<Character> delims) {
    String notDelim = delims.isEmpty() ? "[\\s\\S]" : "[^" + escapeClass(delims) + "]";
    StringBuilder re = new StringBuilder();
    int n = glob.length();
    for (int i = 0; i < n; i++) {
      char c = glob.charAt(i);
      switch (c) {
        case '*':
          if (i + 1 < n && glob.charAt(i + 1) == '*') {
            re.append("[\\s\\S]*");
            i++;
          } else {
            re.append(notDelim).append('*');
          }
          break;
        case '?':
          re.append(notDelim);
          break;
        case '[': {
          int end = glob.indexOf(']', i + 1);
          if (end < 0) {
            throw new IllegalArgumentException("unexpected end of input");
          }
          String body = glob.substring(i + 1, end);
          if (body.startsWith("!")) {
            body = "^" + body.substring(1);
          }
          re.append('[').append(body.replace("\\", "\\\\")).append(']');
          i = end;
          break;
        }
        case '{': {
          int depth = 1;
          int j = i + 1;
          StringBuilder alt = new StringBuilder("(?:");
          int partStart = j;
          for (; j < n && depth > 0; j++) {
            char d = glob.charAt(j);
            if (d == '{') {
              depth++;
            } else if (d == '}') {
              depth--;
              if (depth == 0) {
                alt.append(toRegex(glob.substring(partStart, j), delims));
              }
            } else if (d == ',' && depth == 1) {
              alt.append(toRegex(glob.substring(partStart, j), delims)).append('|');
              partStart = j + 1;
            }
          }
          if (depth != 0) {
            throw new IllegalArgumentException("unexpected end of input");
          }
          re.append(alt).append(')');
          i = j - 1;
          break;
        }
        case '\\':
          if (i + 1 < n) {
            re.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
          }
          break;
        default:
          re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return re.toString();
  }

  private static String escapeClass(List<Character> delims) {
    StringBuilder sb = new StringBuilder();
    for (char d : delims) {
      if ("\\]^-[".indexOf(d) >= 0) {
        sb.append('\\');
      }
      sb.append(d);
    }
    return sb.toString();
  }
}
