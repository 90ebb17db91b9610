package dev.gatehouse.engine.compile;

import dev.gatehouse.engine.RegoError;
import dev.gatehouse.engine.value.NumberValue;
import dev.gatehouse.engine.value.StringValue;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * OPA's {@code rego_recursion_error}: a rule may not depend on itself, through references to
 * documents or through function calls. Dependencies are read off the compiled rules: a reference
 * into data depends on the first rule node along its constant path, or on every rule below where
 * the path stops or turns variable.
 */
final class RecursionCheck {
  private final RuleTree tree;
  private final Map<RuleTree.Node, Set<RuleTree.Node>> deps = new IdentityHashMap<>();

  private RecursionCheck(RuleTree tree) {
    this.tree = tree;
  }

  static List<RegoError> check(RuleTree tree) {
    return new RecursionCheck(tree).run();
  }

  private List<RegoError> run() {
    List<RuleTree.Node> ruleNodes = new ArrayList<>();
    collectRuleNodes(tree.root, ruleNodes);
    for (RuleTree.Node n : ruleNodes) {
      Set<RuleTree.Node> out = new LinkedHashSet<>();
      for (Ir.Rule r : rulesOf(n)) {
        for (Ir.Rule cur = r; cur != null; cur = cur.elseRule()) {
          rule(cur, out);
        }
      }
      deps.put(n, out);
    }
    List<RegoError> errors = new ArrayList<>();
    for (RuleTree.Node n : ruleNodes) {
      List<RuleTree.Node> cycle = cycleFrom(n);
      if (cycle != null) {
        StringBuilder path = new StringBuilder();
        for (RuleTree.Node c : cycle) {
          if (path.length() > 0) {
            path.append(" -> ");
          }
          path.append(name(c));
        }
        Ir.Rule first = rulesOf(n).get(0);
        errors.add(new RegoError("rego_recursion_error", "rule " + name(n) + " is recursive: " + path, first.location()));
      }
    }
    errors.sort(Comparator.comparing((RegoError e) -> e.location().file()).thenComparingInt(e -> e.location().row()));
    return errors;
  }

  private static String name(RuleTree.Node n) {
    return "data." + String.join(".", n.path);
  }

  private static List<Ir.Rule> rulesOf(RuleTree.Node n) {
    List<Ir.Rule> all = new ArrayList<>(n.rules);
    if (n.defaultRule != null) {
      all.add(n.defaultRule);
    }
    return all;
  }

  private static void collectRuleNodes(RuleTree.Node n, List<RuleTree.Node> out) {
    if (n.hasRules()) {
      out.add(n);
    }
    for (RuleTree.Node c : n.children.values()) {
      collectRuleNodes(c, out);
    }
  }

  /** A path start → ... → start, following dependencies depth first in order, or null. */
  private List<RuleTree.Node> cycleFrom(RuleTree.Node start) {
    Deque<RuleTree.Node> path = new ArrayDeque<>();
    path.add(start);
    return dfs(start, start, path, new HashSet<>()) ? new ArrayList<>(path) : null;
  }

  private boolean dfs(RuleTree.Node start, RuleTree.Node at, Deque<RuleTree.Node> path, Set<RuleTree.Node> seen) {
    for (RuleTree.Node next : deps.getOrDefault(at, Set.of())) {
      if (next == start) {
        path.addLast(next);
        return true;
      }
      if (seen.add(next)) {
        path.addLast(next);
        if (dfs(start, next, path, seen)) {
          return true;
        }
        path.removeLast();
      }
    }
    return false;
  }

  // ---- dependency collection over the compiled rules

  private void rule(Ir.Rule r, Set<RuleTree.Node> out) {
    terms(r.suffix(), out);
    if (r.args() != null) {
      terms(r.args(), out);
    }
    term(r.key(), out);
    term(r.value(), out);
    body(r.body(), out);
  }

  private void body(Ir.Body b, Set<RuleTree.Node> out) {
    for (Ir.E e : b.exprs()) {
      expr(e, out);
    }
  }

  private void expr(Ir.E e, Set<RuleTree.Node> out) {
    if (e instanceof Ir.Unify u) {
      term(u.left(), out);
      term(u.right(), out);
    } else if (e instanceof Ir.TermE t) {
      term(t.term(), out);
    } else if (e instanceof Ir.CallE c) {
      callee(c.callee(), out);
      terms(c.args(), out);
      term(c.out(), out);
    } else if (e instanceof Ir.SomeIn s) {
      term(s.key(), out);
      term(s.value(), out);
      term(s.domain(), out);
    } else if (e instanceof Ir.Every ev) {
      term(ev.domain(), out);
      body(ev.body(), out);
    } else if (e instanceof Ir.Not n) {
      expr(n.inner(), out);
    } else if (e instanceof Ir.NotBody n) {
      body(n.body(), out);
    } else if (e instanceof Ir.Logical l) {
      body(l.lhs(), out);
      body(l.rhs(), out);
    } else if (e instanceof Ir.WithE w) {
      expr(w.inner(), out);
      withs(w.withs(), out);
    }
  }

  private void withs(List<Ir.With> withs, Set<RuleTree.Node> out) {
    for (Ir.With w : withs) {
      term(w.value(), out);
      if (w.mock() != null) {
        callee(w.mock(), out);
      }
    }
  }

  private void terms(Ir.T[] ts, Set<RuleTree.Node> out) {
    for (Ir.T t : ts) {
      term(t, out);
    }
  }

  private void term(Ir.T t, Set<RuleTree.Node> out) {
    if (t == null || t instanceof Ir.Const || t instanceof Ir.Local) {
      return;
    }
    if (t instanceof Ir.Ref r) {
      if (r.root() == Ir.Root.DATA) {
        dataRef(r.ops(), out);
      }
      term(r.head(), out);
      terms(r.ops(), out);
    } else if (t instanceof Ir.Arr a) {
      terms(a.elems(), out);
    } else if (t instanceof Ir.Obj o) {
      terms(o.keys(), out);
      terms(o.values(), out);
    } else if (t instanceof Ir.SetT s) {
      terms(s.elems(), out);
    } else if (t instanceof Ir.ArrCompr c) {
      term(c.head(), out);
      body(c.body(), out);
    } else if (t instanceof Ir.SetCompr c) {
      term(c.head(), out);
      body(c.body(), out);
    } else if (t instanceof Ir.ObjCompr c) {
      term(c.key(), out);
      term(c.value(), out);
      body(c.body(), out);
    } else if (t instanceof Ir.CallT c) {
      callee(c.callee(), out);
      terms(c.args(), out);
    } else if (t instanceof Ir.Template tp) {
      terms(tp.parts(), out);
    } else if (t instanceof Ir.Modified m) {
      term(m.term(), out);
      withs(m.withs(), out);
    }
  }

  private void callee(Ir.Callee c, Set<RuleTree.Node> out) {
    if (c instanceof Ir.FunctionCallee f) {
      RuleTree.Node n = tree.find(f.path());
      if (n != null && n.hasRules()) {
        out.add(n);
      }
    }
  }

  private void dataRef(Ir.T[] ops, Set<RuleTree.Node> out) {
    match(tree.root, ops, 0, out);
  }

  /** The rule nodes a data reference can reach; a non-constant operand matches every child. */
  private static void match(RuleTree.Node n, Ir.T[] ops, int i, Set<RuleTree.Node> out) {
    if (n.hasRules()) {
      if (!n.isFunction()) {
        out.add(n);
      }
      return;
    }
    if (i == ops.length) {
      addSubtree(n, out);
      return;
    }
    String key = null;
    if (ops[i] instanceof Ir.Const c) {
      if (c.value() instanceof StringValue s) {
        key = s.value();
      } else if (c.value() instanceof NumberValue num && num.isLong()) {
        key = Long.toString(num.longValue());
      } else {
        return;
      }
    }
    if (key != null) {
      RuleTree.Node child = n.child(key);
      if (child != null) {
        match(child, ops, i + 1, out);
      }
      return;
    }
    for (RuleTree.Node c : n.children.values()) {
      match(c, ops, i + 1, out);
    }
  }

  private static void addSubtree(RuleTree.Node n, Set<RuleTree.Node> out) {
    if (n.hasRules() && !n.isFunction()) {
      out.add(n);
    }
    for (RuleTree.Node c : n.children.values()) {
      addSubtree(c, out);
    }
  }
}
