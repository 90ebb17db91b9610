package dev.gatehouse.engine.builtins.core;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.gatehouse.engine.builtins.BuiltinException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Rego regular expressions: RE2 syntax and linear-time matching through RE2/J, compiled patterns
 * kept in a bounded process-wide cache (reads take no lock), and Go's regexp semantics where they
 * differ from Java's: successive matches skip an empty match right after a previous one, and
 * replacement templates expand {@code $name} greedily.
 */
final class Regexes {
  static final int CACHE_LIMIT = 1_000;
  private static final Map<String, Pattern> CACHE = new ConcurrentHashMap<>();

  private Regexes() {}

  /** The compiled pattern, or OPA's error for an invalid one. */
  static Pattern compile(String re) {
    Pattern p = CACHE.get(re);
    if (p != null) {
      return p;
    }
    try {
      p = Pattern.compile(re);
    } catch (PatternSyntaxException e) {
      throw BuiltinException.error(e.getMessage());
    }
    if (CACHE.size() >= CACHE_LIMIT) {
      // evict an arbitrary entry, as OPA does; a hot pattern simply comes back on its next use
      Iterator<String> it = CACHE.keySet().iterator();
      if (it.hasNext()) {
        CACHE.remove(it.next());
      }
    }
    CACHE.put(re, p);
    return p;
  }

  static int cacheSize() {
    return CACHE.size();
  }

  static boolean isValid(String re) {
    if (CACHE.containsKey(re)) {
      return true;
    }
    try {
      Pattern.compile(re);
      return true;
    } catch (PatternSyntaxException e) {
      return false;
    }
  }

  /**
   * Go's FindAll...Index: up to n (all when n < 0) successive non-overlapping matches as
   * [start, end, group starts/ends...] (char offsets; -1 for groups that did not take part).
   */
  static List<int[]> findAll(Pattern p, String s, int n) {
    List<int[]> out = new ArrayList<>();
    Matcher m = p.matcher(s);
    int groups = m.groupCount();
    int pos = 0;
    int prevMatchEnd = -1;
    while ((n < 0 || out.size() < n) && pos <= s.length()) {
      if (!m.find(pos)) {
        break;
      }
      boolean accept = true;
      if (m.end() == pos) {
        // an empty match; not allowed right after a previous match
        if (m.start() == prevMatchEnd) {
          accept = false;
        }
        pos += pos < s.length() ? Character.charCount(s.codePointAt(pos)) : 1;
      } else {
        pos = m.end();
      }
      prevMatchEnd = m.end();
      if (accept) {
        int[] idx = new int[2 * (groups + 1)];
        for (int g = 0; g <= groups; g++) {
          idx[2 * g] = m.start(g);
          idx[2 * g + 1] = m.end(g);
        }
        out.add(idx);
      }
    }
    return out;
  }

  /** Go's Regexp.Split(s, -1). */
  static List<String> split(Pattern p, String s) {
    List<String> out = new ArrayList<>();
    if (!p.pattern().isEmpty() && s.isEmpty()) {
      out.add("");
      return out;
    }
    int beg = 0;
    int end = 0;
    for (int[] match : findAll(p, s, -1)) {
      end = match[0];
      if (match[1] != 0) {
        out.add(s.substring(beg, end));
      }
      beg = match[1];
    }
    if (end != s.length()) {
      out.add(s.substring(beg));
    }
    return out;
  }

  /** Go's Regexp.Expand of a replacement template ($1, ${1}, $name, ${name}, $$) for one match. */
  static void expand(StringBuilder dst, String template, String src, int[] match, Pattern p) {
    Map<String, Integer> names = null;
    int i = 0;
    while (i < template.length()) {
      int dollar = template.indexOf('$', i);
      if (dollar < 0) {
        break;
      }
      dst.append(template, i, dollar);
      i = dollar + 1;
      if (i < template.length() && template.charAt(i) == '$') {
        dst.append('$');
        i++;
        continue;
      }
      // extract a name: letters, digits and '_', optionally in braces
      boolean brace = i < template.length() && template.charAt(i) == '{';
      int j = brace ? i + 1 : i;
      int nameStart = j;
      while (j < template.length()) {
        int cp = template.codePointAt(j);
        if (!Character.isLetter(cp) && !Character.isDigit(cp) && cp != '_') {
          break;
        }
        j += Character.charCount(cp);
      }
      if (j == nameStart || (brace && (j >= template.length() || template.charAt(j) != '}'))) {
        dst.append('$'); // malformed: the $ is literal text
        continue;
      }
      String name = template.substring(nameStart, j);
      i = brace ? j + 1 : j;
      int num = groupNumber(name);
      if (num < 0) {
        if (names == null) {
          names = p.namedGroups();
        }
        Integer g = names.get(name);
        num = g == null ? -1 : g;
      }
      if (num >= 0 && 2 * num + 1 < match.length && match[2 * num] >= 0) {
        dst.append(src, match[2 * num], match[2 * num + 1]);
      }
    }
    dst.append(template, i, template.length());
  }

  /** A group reference by number: ASCII digits without a leading zero (Go's rule), else -1. */
  private static int groupNumber(String name) {
    int num = 0;
    for (int k = 0; k < name.length(); k++) {
      char c = name.charAt(k);
      if (c < '0' || c > '9' || num >= 100_000_000) {
        return -1;
      }
      num = num * 10 + (c - '0');
    }
    if (name.charAt(0) == '0' && name.length() > 1) {
      return -1;
    }
    return num;
  }

  /** Go's regexp.QuoteMeta. */
  static String quoteMeta(String s) {
    StringBuilder sb = new StringBuilder(s.length() * 2);
    for (int k = 0; k < s.length(); k++) {
      char c = s.charAt(k);
      if ("\\.+*?()|[]{}^$".indexOf(c) >= 0) {
        sb.append('\\');
      }
      sb.append(c);
    }
    return sb.toString();
  }
}
