package dev.gatehouse.engine.builtins.graphql.validate;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** "Did you mean ...?" lists: close matches by edit distance, and English or-lists. */
final class Suggestions {
  private Suggestions() {}

  /**
   * The options within edit distance {@code floor(0.4 * len(input)) + 1} (length in UTF-8
   * bytes) of the input, closest first. Ties keep the options' order; gqlparser's sort is not
   * stable, which only shows with more than twelve close candidates.
   */
  static List<String> suggestionList(String input, List<String> options) {
    int threshold = Math.max((int) Math.floor(input.getBytes(StandardCharsets.UTF_8).length * 0.4) + 1, 1);
    List<String> results = new ArrayList<>();
    Map<String, Integer> distances = new HashMap<>();
    for (String option : options) {
      int d = lexicalDistance(input, option);
      if (d <= threshold) {
        results.add(option);
        distances.put(option, d);
      }
    }
    results.sort(Comparator.comparingInt(distances::get));
    return results;
  }

  /** Edit distance where a change of case alone counts as one edit. */
  static int lexicalDistance(String a, String b) {
    if (a.equals(b)) {
      return 0;
    }
    String la = lower(a);
    String lb = lower(b);
    if (la.equals(lb)) {
      return 1;
    }
    return levenshtein(la.codePoints().toArray(), lb.codePoints().toArray());
  }

  private static String lower(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    s.codePoints().forEach(cp -> sb.appendCodePoint(Character.toLowerCase(cp)));
    return sb.toString();
  }

  private static int levenshtein(int[] a, int[] b) {
    int[] prev = new int[b.length + 1];
    int[] cur = new int[b.length + 1];
    for (int j = 0; j <= b.length; j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length; i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length; j++) {
        int cost = a[i - 1] == b[j - 1] ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length];
  }

  /** {@code "A", "B", or "C"} (at most five). */
  static String quotedOrList(List<String> items) {
    List<String> quoted = new ArrayList<>();
    for (String i : items) {
      quoted.add("\"" + i + "\"");
    }
    return orList(quoted);
  }

  /** {@code A, B, or C}; two items read {@code A or B}; only the first five are listed. */
  static String orList(List<String> items) {
    if (items.size() > 5) {
      items = items.subList(0, 5);
    }
    if (items.size() == 2) {
      return items.get(0) + " or " + items.get(1);
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < items.size(); i++) {
      if (i != 0) {
        sb.append(i == items.size() - 1 ? ", or " : ", ");
      }
      sb.append(items.get(i));
    }
    return sb.toString();
  }

  /** {@code " <prefix> "A" or "B"?"} when there are close matches, else {@code ""}. */
  static String quoted(String prefix, String typed, List<String> options) {
    List<String> s = suggestionList(typed, options);
    return s.isEmpty() ? "" : " " + prefix + " " + quotedOrList(s) + "?";
  }

  static String unquoted(String prefix, String typed, List<String> options) {
    List<String> s = suggestionList(typed, options);
    return s.isEmpty() ? "" : " " + prefix + " " + orList(s) + "?";
  }
}
