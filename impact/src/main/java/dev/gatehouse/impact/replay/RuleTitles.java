package dev.gatehouse.impact.replay;

import dev.gatehouse.engine.Policy;
import dev.gatehouse.engine.ast.Annotations;
import dev.gatehouse.engine.ast.Module;
import dev.gatehouse.engine.ast.Rule;
import dev.gatehouse.engine.value.StringValue;
import java.util.HashMap;
import java.util.Map;

/**
 * Names a decision for grouping when its findings name no rule: the METADATA {@code title} of the
 * rule at the decision path (rule or document scope), else of its package, else of the nearest
 * enclosing package annotated with {@code scope: subpackages}; else the path itself.
 */
public final class RuleTitles {
  private final Map<String, String> rules = new HashMap<>();
  private final Map<String, String> packages = new HashMap<>();
  private final Map<String, String> subpackages = new HashMap<>();

  public RuleTitles(Policy... policies) {
    // Later policies (head) win: titles are shown as the change's author wrote them.
    for (Policy p : policies) {
      if (p == null) {
        continue;
      }
      for (Module m : p.modules()) {
        String pkg = m.pkg().path().toString();
        for (Annotations a : m.annotations()) {
          String title = title(a);
          if (title == null) {
            continue;
          }
          if (a.scope().equals("package")) {
            packages.put(pkg, title);
          } else if (a.scope().equals("subpackages")) {
            subpackages.put(pkg, title);
          }
        }
        for (Rule r : m.rules()) {
          for (Annotations a : r.annotations()) {
            String title = title(a);
            if (title != null && (a.scope().equals("rule") || a.scope().equals("document"))) {
              rules.put(pkg + "." + r.head().name(), title);
            }
          }
        }
      }
    }
  }

  private static String title(Annotations a) {
    return a.document() != null && a.document().get("title") instanceof StringValue s ? s.value() : null;
  }

  /** The title for a decision path such as {@code data.gatehouse.sidecar.decision}. */
  public String titleOf(String path) {
    String t = rules.get(path);
    if (t != null) {
      return t;
    }
    int dot = path.lastIndexOf('.');
    String pkg = dot > 0 ? path.substring(0, dot) : path;
    t = packages.get(pkg);
    if (t != null) {
      return t;
    }
    for (String p = pkg; p.contains("."); p = p.substring(0, p.lastIndexOf('.'))) {
      t = subpackages.get(p);
      if (t != null) {
        return t;
      }
    }
    return path;
  }
}
