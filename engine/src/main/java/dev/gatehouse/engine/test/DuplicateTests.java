package dev.gatehouse.engine.test;

import dev.gatehouse.engine.ast.Head;
import dev.gatehouse.engine.ast.Module;
import dev.gatehouse.engine.ast.Ref;
import dev.gatehouse.engine.ast.Rule;
import dev.gatehouse.engine.ast.Term;
import dev.gatehouse.engine.ast.Var;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes every body of a test rule its own test, as {@code opa test} does: the second definition
 * of {@code test_x} in a package becomes {@code test_x#01}, the third {@code test_x#02}, and so
 * on, so that each passes or fails on its own instead of the rule being true when any body is.
 * A compile stage ({@link dev.gatehouse.engine.Rego.Builder#stage}); {@code #} cannot appear in
 * source names, so the new names cannot clash with written ones.
 */
public final class DuplicateTests {
  private DuplicateTests() {}

  /**
   * The modules with duplicate test rules renamed. Rules are numbered in file-name order, then
   * in source order within a file (opa numbers them in the order its compiler holds the modules).
   */
  public static List<Module> rename(List<Module> modules) {
    List<Module> byFile = new ArrayList<>(modules);
    byFile.sort(Comparator.comparing(Module::file));
    Map<String, Integer> count = new HashMap<>();
    Map<Module, Module> renamed = new IdentityHashMap<>();
    for (Module m : byFile) {
      List<Rule> rules = new ArrayList<>();
      boolean changed = false;
      for (Rule r : m.rules()) {
        String name = r.head().name();
        if (!name.startsWith("test_")) {
          rules.add(r);
          continue;
        }
        String key = m.pkg().path() + "." + name;
        Integer k = count.merge(key, 1, Integer::sum) - 1;
        if (k == 0) {
          rules.add(r);
        } else {
          rules.add(withName(r, String.format("%s#%02d", name, k)));
          changed = true;
        }
      }
      if (changed) {
        renamed.put(m, new Module(m.pkg(), m.imports(), rules, m.annotations(), m.comments(), m.regoVersion(),
            m.file()));
      }
    }
    return modules.stream().map(m -> renamed.getOrDefault(m, m)).toList();
  }

  private static Rule withName(Rule r, String name) {
    if (r == null) {
      return null;
    }
    Head h = r.head();
    List<Term> terms = new ArrayList<>(h.ref().terms());
    terms.set(0, new Var(name, h.ref().head().location()));
    Head head = new Head(new Ref(terms, h.ref().location()), h.args(), h.key(), h.value(), h.assign(), h.location());
    return new Rule(r.isDefault(), head, r.body(), withName(r.elseRule(), name), r.annotations(), r.location());
  }
}
