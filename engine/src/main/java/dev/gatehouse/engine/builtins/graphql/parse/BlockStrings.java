package dev.gatehouse.engine.builtins.graphql.parse;

import java.util.Arrays;

/**
 * The value of a block string: common indentation removed and blank leading/trailing lines
 * dropped. Unlike the GraphQL spec, gqlparser counts the first line's indentation too, and so
 * must we to give the same strings.
 */
final class BlockStrings {
  private static final int NONE = Integer.MAX_VALUE;

  private BlockStrings() {}

  static String value(String raw) {
    String[] lines = raw.split("\n", -1);
    int common = NONE;
    for (String l : lines) {
      int indent = leadingWhitespace(l);
      if (indent < l.length() && indent < common) {
        common = indent;
        if (common == 0) {
          break;
        }
      }
    }
    if (common != NONE) {
      for (int i = 1; i < lines.length; i++) {
        lines[i] = lines[i].length() < common ? "" : lines[i].substring(common);
      }
    }
    int from = 0;
    int to = lines.length;
    while (from < to && leadingWhitespace(lines[from]) == NONE) {
      from++;
    }
    while (from < to && leadingWhitespace(lines[to - 1]) == NONE) {
      to--;
    }
    return String.join("\n", Arrays.asList(lines).subList(from, to));
  }

  /** Spaces and tabs before the first other character, or NONE for a line of only those. */
  private static int leadingWhitespace(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != ' ' && c != '\t') {
        return i;
      }
    }
    return NONE;
  }
}
