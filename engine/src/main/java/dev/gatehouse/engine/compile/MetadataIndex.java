package dev.gatehouse.engine.compile;

import dev.gatehouse.engine.ast.Annotations;
import dev.gatehouse.engine.ast.Module;
import dev.gatehouse.engine.ast.Rule;
import dev.gatehouse.engine.value.ArrayValue;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code # METADATA} annotations of a module set, by scope, for {@code rego.metadata.chain()}
 * and {@code rego.metadata.rule()}. The compiler replaces those calls with the constant values
 * computed here, as OPA's compiler does.
 */
final class MetadataIndex {
  private final Map<List<String>, Annotations> documentScope = new HashMap<>();
  private final Map<List<String>, Annotations> packageScope = new HashMap<>();
  private final Map<List<String>, Annotations> subpackagesScope = new HashMap<>();

  MetadataIndex(List<Module> modules) {
    for (Module m : modules) {
      List<String> pkg = Compiler.stringPath(m.pkg().path(), 1);
      for (Annotations a : m.annotations()) {
        if (a.scope().equals("package")) {
          packageScope.putIfAbsent(pkg, a);
        } else if (a.scope().equals("subpackages")) {
          subpackagesScope.putIfAbsent(pkg, a);
        }
      }
      for (Rule r : m.rules()) {
        for (Annotations a : r.annotations()) {
          if (a.scope().equals("document")) {
            documentScope.putIfAbsent(rulePath(pkg, r), a);
          }
        }
      }
    }
  }

  static List<String> rulePath(List<String> pkg, Rule r) {
    List<String> path = new ArrayList<>(pkg);
    path.add(r.head().name());
    path.addAll(Compiler.stringPath(r.head().ref(), 1));
    return path;
  }

  /** The chain from the rule outwards: its own annotations, its document, its package, enclosing subpackages. */
  Value chain(List<String> pkg, Rule rule) {
    List<String> path = rulePath(pkg, rule);
    List<Value> links = new ArrayList<>();
    List<Annotations> own = ruleScope(rule);
    if (own.isEmpty()) {
      links.add(link(path, null));
    }
    for (Annotations a : own) {
      links.add(link(path, a));
    }
    Annotations doc = documentScope.get(path);
    if (doc != null) {
      links.add(link(path, doc));
    }
    Annotations p = packageScope.get(pkg);
    if (p != null) {
      links.add(link(pkg, p));
    }
    for (int n = pkg.size(); n >= 0; n--) {
      Annotations sub = subpackagesScope.get(pkg.subList(0, n));
      if (sub != null) {
        links.add(link(pkg.subList(0, n), sub));
      }
    }
    return ArrayValue.of(links);
  }

  /** The rule's own rule-scoped annotation closest to it, or an empty object. */
  Value rule(Rule rule) {
    List<Annotations> own = ruleScope(rule);
    return own.isEmpty() ? ObjectValue.EMPTY : own.get(own.size() - 1).document();
  }

  /** Rule-scoped annotations nearest first. */
  private static List<Annotations> ruleScope(Rule rule) {
    List<Annotations> own = new ArrayList<>();
    for (Annotations a : rule.annotations()) {
      if (a.scope().equals("rule")) {
        own.add(a);
      }
    }
    own.sort(Comparator.comparingInt((Annotations a) -> a.location().offset()).reversed());
    return own;
  }

  private static Value link(List<String> path, Annotations a) {
    List<Value> p = new ArrayList<>();
    for (String s : path) {
      p.add(StringValue.of(s));
    }
    ObjectValue.Builder b = ObjectValue.builder().put("path", ArrayValue.of(p));
    if (a != null) {
      b.put("annotations", a.document());
    }
    return b.build();
  }
}
