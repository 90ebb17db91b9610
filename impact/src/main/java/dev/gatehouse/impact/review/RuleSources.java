package dev.gatehouse.impact.review;

import dev.gatehouse.engine.ast.Module;
import dev.gatehouse.engine.ast.RegoVersion;
import dev.gatehouse.engine.ast.Rule;
import dev.gatehouse.engine.format.RegoFormatter;
import dev.gatehouse.engine.parse.RegoParser;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The source of every rule, by name ({@code gatehouse.admission.violations}), as {@code opa fmt}
 * would write it: comparing these between revisions ignores layout and comment-only changes
 * around rules, and a rule moved to another file is not a change. A name defined several times
 * (incremental rules, functions with several bodies) compares all its definitions at once. Tests
 * ({@code test_*}, {@code todo_*}) are left out: their outcomes are reported instead.
 */
public final class RuleSources {
  private RuleSources() {}

  public static Map<String, List<String>> of(Map<String, String> modules) {
    Map<String, List<String>> out = new TreeMap<>();
    for (Map.Entry<String, String> m : modules.entrySet()) {
      String src = m.getValue();
      try {
        src = RegoFormatter.format(m.getKey(), src, RegoFormatter.Target.V1);
      } catch (RuntimeException e) {
        // unformattable (it does not parse): compare the source as written, if it parses at all
      }
      Module mod;
      try {
        mod = RegoParser.parseModule(m.getKey(), src, RegoVersion.V1);
      } catch (RuntimeException e) {
        continue;
      }
      List<Rule> rules = new ArrayList<>(mod.rules());
      rules.sort(Comparator.comparingInt(r -> r.location().offset()));
      String pkg = mod.pkg().dottedName();
      for (int i = 0; i < rules.size(); i++) {
        Rule r = rules.get(i);
        String name = r.head().name();
        if (name.startsWith("test_") || name.startsWith("todo_")) {
          continue;
        }
        int end = i + 1 < rules.size() ? rules.get(i + 1).location().offset() : src.length();
        out.computeIfAbsent(pkg + "." + name, k -> new ArrayList<>()).add(trim(src.substring(r.location().offset(), end)));
      }
    }
    out.values().forEach(l -> l.sort(null));
    return out;
  }

  /** Drops the comment lines and blank lines that belong to the next rule. */
  static String trim(String text) {
    List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
    while (!lines.isEmpty() && (lines.get(lines.size() - 1).isBlank() || lines.get(lines.size() - 1).strip().startsWith("#"))) {
      lines.remove(lines.size() - 1);
    }
    return String.join("\n", lines);
  }

  /** Rule names only in {@code head} (added), only in {@code base} (removed), and in both but different (changed). */
  public record Changes(List<String> added, List<String> removed, List<String> changed) {}

  public static Changes compare(Map<String, List<String>> base, Map<String, List<String>> head) {
    List<String> added = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    List<String> changed = new ArrayList<>();
    for (String k : head.keySet()) {
      if (!base.containsKey(k)) {
        added.add(k);
      } else if (!base.get(k).equals(head.get(k))) {
        changed.add(k);
      }
    }
    for (String k : base.keySet()) {
      if (!head.containsKey(k)) {
        removed.add(k);
      }
    }
    return new Changes(added, removed, changed);
  }
}
