package dev.gatehouse.engine.eval;

import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.util.ArrayList;
import java.util.List;

/**
 * The compile-time half of data indexing: finds, in every body of a compiled rule tree (rules,
 * else branches, functions, comprehensions, {@code every}, {@code not { }}, queries), an iteration
 * over a collection in base data followed by equalities that filter its members by values known
 * before it, and wraps the iteration in an {@link Ir.IndexedScan}. The three shapes:
 *
 * <ul>
 *   <li>{@code some g in data.c} / {@code some k, g in data.c}, then {@code g.f == t}, ...
 *   <li>{@code g := data.c[_]} (or {@code g = data.c[k]}), then {@code g.f == t}, ...
 *   <li>{@code data.c[_].f == t} (the iteration inside the equality)
 * </ul>
 *
 * <p>Conservative by construction: the collection's path must be constant strings that no rule
 * or package defines (base data only: it cannot change inside a policy, and reading it runs no
 * rule); the equalities must come right after the iteration ({@code some x} declarations may sit
 * between), be {@code ==} or {@code =} with one side the member or a constant-path reference into
 * it and the other a constant, a variable other than the iteration's, or a constant-path reference
 * into input, base data or a variable. Such an equality never raises an error or binds a variable
 * when its variable is bound, so skipping the members it rejects changes no result, order or error;
 * whether the variables are bound is checked at run time (otherwise the plain iteration runs).
 */
final class DataIndexPlanner {
  private final RuleTree tree;

  private DataIndexPlanner(RuleTree tree) {
    this.tree = tree;
  }

  /** Plans every body of the tree in place (the tree is not yet shared). */
  static void plan(RuleTree tree) {
    new DataIndexPlanner(tree).node(tree.root());
  }

  /** Plans a query body compiled against the tree. */
  static void planQuery(RuleTree tree, Ir.Body body) {
    new DataIndexPlanner(tree).body(body);
  }

  private void node(RuleTree.Node n) {
    for (Ir.Rule r : n.rules()) {
      rule(r);
    }
    if (n.defaultRule() != null) {
      rule(n.defaultRule());
    }
    for (RuleTree.Node c : n.children.values()) {
      node(c);
    }
  }

  private void rule(Ir.Rule r) {
    for (Ir.Rule cur = r; cur != null; cur = cur.elseRule()) {
      body(cur.body());
      term(cur.key());
      term(cur.value());
      for (Ir.T t : cur.suffix()) {
        term(t);
      }
    }
  }

  private void body(Ir.Body b) {
    if (b == null) {
      return;
    }
    Ir.E[] es = b.exprs();
    for (int j = 0; j < es.length; j++) {
      expr(es[j]);
      DataIndex plan = planAt(es, j);
      if (plan != null) {
        es[j] = new Ir.IndexedScan(es[j], plan, es[j].location());
      }
    }
  }

  /** Recurses into the bodies inside an expression (comprehensions, every, not { }, and/or). */
  private void expr(Ir.E e) {
    if (e instanceof Ir.Unify u) {
      term(u.left());
      term(u.right());
    } else if (e instanceof Ir.TermE t) {
      term(t.term());
    } else if (e instanceof Ir.CallE c) {
      terms(c.args());
      term(c.out());
    } else if (e instanceof Ir.SomeIn s) {
      term(s.domain());
    } else if (e instanceof Ir.Every ev) {
      term(ev.domain());
      body(ev.body());
    } else if (e instanceof Ir.Not n) {
      expr(n.inner());
    } else if (e instanceof Ir.NotBody nb) {
      body(nb.body());
    } else if (e instanceof Ir.Logical l) {
      body(l.lhs());
      body(l.rhs());
    } else if (e instanceof Ir.WithE w) {
      expr(w.inner());
      for (Ir.With with : w.withs()) {
        term(with.value());
      }
    }
  }

  private void terms(Ir.T[] ts) {
    for (Ir.T t : ts) {
      term(t);
    }
  }

  private void term(Ir.T t) {
    if (t instanceof Ir.Ref r) {
      term(r.head());
      terms(r.ops());
    } else if (t instanceof Ir.Arr a) {
      terms(a.elems());
    } else if (t instanceof Ir.Obj o) {
      terms(o.keys());
      terms(o.values());
    } else if (t instanceof Ir.SetT s) {
      terms(s.elems());
    } else if (t instanceof Ir.ArrCompr c) {
      body(c.body());
      term(c.head());
    } else if (t instanceof Ir.SetCompr c) {
      body(c.body());
      term(c.head());
    } else if (t instanceof Ir.ObjCompr c) {
      body(c.body());
      term(c.key());
      term(c.value());
    } else if (t instanceof Ir.CallT c) {
      terms(c.args());
    } else if (t instanceof Ir.Template tp) {
      terms(tp.parts());
    } else if (t instanceof Ir.Modified m) {
      term(m.term());
      for (Ir.With with : m.withs()) {
        term(with.value());
      }
    }
  }

  // ---- the shapes

  private DataIndex planAt(Ir.E[] es, int j) {
    Ir.E e = es[j];
    if (e instanceof Ir.SomeIn s && s.value() instanceof Ir.Local v
        && (s.key() == null || s.key() instanceof Ir.Local k && k.slot() != v.slot())) {
      List<String> path = basePath(s.domain());
      return path == null ? null : filtered(es, j, path, (Ir.Local) s.key(), v);
    }
    if (e instanceof Ir.Unify u) {
      DataIndex p = assignment(es, j, u.left(), u.right());
      if (p == null) {
        p = assignment(es, j, u.right(), u.left());
      }
      if (p != null) {
        return p;
      }
    }
    Ir.T[] sides = equalitySides(e);
    if (sides != null) {
      DataIndex p = inline(sides[0], sides[1]);
      return p != null ? p : inline(sides[1], sides[0]);
    }
    return null;
  }

  /** {@code g := data.c[k]}: the member bound to {@code g}, its key to {@code k}. */
  private DataIndex assignment(Ir.E[] es, int j, Ir.T var, Ir.T ref) {
    if (!(var instanceof Ir.Local g) || !(ref instanceof Ir.Ref r) || r.root() != Ir.Root.DATA) {
      return null;
    }
    Ir.T[] ops = r.ops();
    if (ops.length < 2 || !(ops[ops.length - 1] instanceof Ir.Local k) || k.slot() == g.slot()) {
      return null;
    }
    List<String> path = stringPath(ops, ops.length - 1);
    if (path == null || !isBase(path)) {
      return null;
    }
    return filtered(es, j, path, k, g);
  }

  /** The equalities right after the iteration at j that filter its member. */
  private DataIndex filtered(Ir.E[] es, int j, List<String> path, Ir.Local key, Ir.Local member) {
    List<Value[]> fields = new ArrayList<>();
    List<Ir.T> known = new ArrayList<>();
    for (int i = j + 1; i < es.length; i++) {
      if (es[i] instanceof Ir.Nop) {
        continue;
      }
      Ir.T[] sides = equalitySides(es[i]);
      if (sides == null || !filter(sides[0], sides[1], key, member, fields, known)
          && !filter(sides[1], sides[0], key, member, fields, known)) {
        break;
      }
    }
    if (fields.isEmpty()) {
      return null;
    }
    return new DataIndex(path, key, member, fields.toArray(new Value[0][]), known.toArray(new Ir.T[0]), false);
  }

  private boolean filter(Ir.T side, Ir.T other, Ir.Local key, Ir.Local member, List<Value[]> fields, List<Ir.T> known) {
    Value[] field = memberField(side, member);
    if (field == null || !isKnown(other, key, member)) {
      return false;
    }
    fields.add(field);
    known.add(other);
    return true;
  }

  /** {@code data.c[_].f.g == t}: the iteration inside the equality. */
  private DataIndex inline(Ir.T side, Ir.T other) {
    if (!(side instanceof Ir.Ref r) || r.root() != Ir.Root.DATA) {
      return null;
    }
    Ir.T[] ops = r.ops();
    int at = -1;
    for (int i = 0; i < ops.length; i++) {
      if (ops[i] instanceof Ir.Local) {
        if (at >= 0) {
          return null;
        }
        at = i;
      } else if (!(ops[i] instanceof Ir.Const c && c.value() instanceof StringValue)) {
        return null;
      }
    }
    if (at < 1) {
      return null;
    }
    Ir.Local k = (Ir.Local) ops[at];
    List<String> path = stringPath(ops, at);
    if (path == null || !isBase(path) || !isKnown(other, k, null)) {
      return null;
    }
    Value[] field = new Value[ops.length - at - 1];
    for (int i = 0; i < field.length; i++) {
      field[i] = ((Ir.Const) ops[at + 1 + i]).value();
    }
    return new DataIndex(path, k, null, new Value[][] {field}, new Ir.T[] {other}, true);
  }

  // ---- pieces

  /** The two sides of {@code a == b} or {@code a = b}; null for anything else. */
  private static Ir.T[] equalitySides(Ir.E e) {
    if (e instanceof Ir.Unify u) {
      return new Ir.T[] {u.left(), u.right()};
    }
    if (e instanceof Ir.CallE c && c.out() == null && c.args().length == 2
        && c.callee() instanceof Ir.BuiltinCallee b && b.name().equals("equal")) {
      return c.args();
    }
    return null;
  }

  /** The constant path below the member that {@code side} reads ({@code g}, {@code g.a.b}); null otherwise. */
  private static Value[] memberField(Ir.T side, Ir.Local member) {
    if (side instanceof Ir.Local l) {
      return l.slot() == member.slot() ? new Value[0] : null;
    }
    if (side instanceof Ir.Ref r && r.root() == Ir.Root.TERM && r.head() instanceof Ir.Local h
        && h.slot() == member.slot()) {
      Value[] out = new Value[r.ops().length];
      for (int i = 0; i < out.length; i++) {
        if (!(r.ops()[i] instanceof Ir.Const c)) {
          return null;
        }
        out[i] = c.value();
      }
      return out;
    }
    return null;
  }

  /**
   * A term whose value is known before the iteration and is at most one value, computed without
   * running rules, calls or iterations: a constant, another variable (bound: checked at run
   * time), or a constant-path reference into input, base data or another variable.
   */
  private boolean isKnown(Ir.T t, Ir.Local key, Ir.Local member) {
    if (t instanceof Ir.Const) {
      return true;
    }
    if (t instanceof Ir.Local l) {
      return isOther(l, key, member);
    }
    if (!(t instanceof Ir.Ref r)) {
      return false;
    }
    for (Ir.T op : r.ops()) {
      if (!(op instanceof Ir.Const)) {
        return false;
      }
    }
    return switch (r.root()) {
      case INPUT -> true;
      case TERM -> r.head() instanceof Ir.Local h && isOther(h, key, member);
      case DATA -> {
        List<String> path = stringPath(r.ops(), r.ops().length);
        yield path != null && !path.isEmpty() && isBase(path);
      }
    };
  }

  private static boolean isOther(Ir.Local l, Ir.Local key, Ir.Local member) {
    return (key == null || l.slot() != key.slot()) && (member == null || l.slot() != member.slot());
  }

  /** The constant string path of {@code data.a.b} (ops before {@code end}); null otherwise. */
  private static List<String> stringPath(Ir.T[] ops, int end) {
    List<String> path = new ArrayList<>();
    for (int i = 0; i < end; i++) {
      if (!(ops[i] instanceof Ir.Const c && c.value() instanceof StringValue s)) {
        return null;
      }
      path.add(s.value());
    }
    return path;
  }

  /** The base-data path of a {@code data.a.b} domain; null when it is anything else. */
  private List<String> basePath(Ir.T t) {
    if (!(t instanceof Ir.Ref r) || r.root() != Ir.Root.DATA || r.ops().length == 0) {
      return null;
    }
    List<String> path = stringPath(r.ops(), r.ops().length);
    return path != null && isBase(path) ? path : null;
  }

  /**
   * True when no rule or package contributes to the document at path or below it: the path
   * leaves the rule tree before it ends, and no node on the way holds rules.
   */
  private boolean isBase(List<String> path) {
    RuleTree.Node n = tree.root();
    for (String seg : path) {
      n = n.child(seg);
      if (n == null) {
        return true;
      }
      if (n.hasRules()) {
        return false;
      }
    }
    return false;
  }
}
