package dev.gatehouse.engine.compile;

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
 *   <li>{@code g := data.c[_]}, {@code g = data.c[k]}, or nested: {@code g := data.inventory.namespace[ns][v].Ingress[n]},
 *       then {@code g.f == t}, {@code g.spec.rules[_].host == t}, ...
 *   <li>{@code data.c[_].f == t} (the iteration inside the equality; nested variables too)
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
public final class DataIndexPlanner {
  private final RuleTree tree;

  private DataIndexPlanner(RuleTree tree) {
    this.tree = tree;
  }

  /** Plans every body of the tree in place (the tree is not yet shared). */
  public static void plan(RuleTree tree) {
    new DataIndexPlanner(tree).node(tree.root());
  }

  /** Plans a query body compiled against the tree. */
  public static void planQuery(RuleTree tree, Ir.Body body) {
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
      if (path == null) {
        return null;
      }
      Value[] steps = new Value[path.size() + 1];
      for (int i = 0; i < path.size(); i++) {
        steps[i] = StringValue.of(path.get(i));
      }
      steps[path.size()] = DataIndex.ANY;
      return filtered(es, j, steps, new Ir.Local[] {(Ir.Local) s.key()}, v);
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

  /** The members a reference such as {@code data.c[k]} or {@code data.inv[ns][_].Ingress[n]} iterates. */
  private record Members(Value[] steps, Ir.Local[] vars) {}

  /**
   * A reference into base data with at least one iterating variable: constant string keys
   * (which leave the rule tree before the first variable) and distinct variables, possibly
   * followed ({@code allowTail}) by constant string keys read from each member.
   */
  private Members members(Ir.Ref r, int end) {
    Ir.T[] ops = r.ops();
    if (r.root() != Ir.Root.DATA || end < 2) {
      return null;
    }
    Value[] steps = new Value[end];
    List<Ir.Local> vars = new ArrayList<>();
    for (int i = 0; i < end; i++) {
      if (ops[i] instanceof Ir.Const c && c.value() instanceof StringValue) {
        steps[i] = c.value();
      } else if (ops[i] instanceof Ir.Local l && i > 0) {
        for (Ir.Local other : vars) {
          if (other.slot() == l.slot()) {
            return null;
          }
        }
        vars.add(l);
        steps[i] = DataIndex.ANY;
      } else {
        return null;
      }
    }
    if (vars.isEmpty() || steps[0] == DataIndex.ANY) {
      return null;
    }
    List<String> path = new ArrayList<>();
    for (int i = 0; steps[i] != DataIndex.ANY; i++) {
      path.add(((StringValue) steps[i]).value());
    }
    return isBase(path) ? new Members(steps, vars.toArray(new Ir.Local[0])) : null;
  }

  /** {@code g := data.c[k]} (and deeper: {@code g := data.inv[_][v].Ingress[n]}): the member bound to {@code g}. */
  private DataIndex assignment(Ir.E[] es, int j, Ir.T var, Ir.T ref) {
    if (!(var instanceof Ir.Local g) || !(ref instanceof Ir.Ref r)) {
      return null;
    }
    Members m = members(r, r.ops().length);
    if (m == null) {
      return null;
    }
    for (Ir.Local v : m.vars()) {
      if (v.slot() == g.slot()) {
        return null;
      }
    }
    return filtered(es, j, m.steps(), m.vars(), g);
  }

  /** The equalities right after the iteration at j that filter its member. */
  private DataIndex filtered(Ir.E[] es, int j, Value[] steps, Ir.Local[] vars, Ir.Local member) {
    List<Value[]> fields = new ArrayList<>();
    List<Ir.T> known = new ArrayList<>();
    for (int i = j + 1; i < es.length; i++) {
      if (es[i] instanceof Ir.Nop) {
        continue;
      }
      Ir.T[] sides = equalitySides(es[i]);
      if (sides == null || !filter(sides[0], sides[1], vars, member, fields, known)
          && !filter(sides[1], sides[0], vars, member, fields, known)) {
        break;
      }
    }
    if (fields.isEmpty()) {
      return null;
    }
    return new DataIndex(steps, vars, member, fields.toArray(new Value[0][]), known.toArray(new Ir.T[0]), false);
  }

  private boolean filter(Ir.T side, Ir.T other, Ir.Local[] vars, Ir.Local member, List<Value[]> fields,
      List<Ir.T> known) {
    Value[] field = memberField(side, member);
    if (field == null || !isKnown(other, vars, member)) {
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
    int last = -1;
    for (int i = 0; i < ops.length; i++) {
      if (ops[i] instanceof Ir.Local) {
        last = i;
      } else if (!(ops[i] instanceof Ir.Const c && c.value() instanceof StringValue)) {
        return null;
      }
    }
    if (last < 1) {
      return null;
    }
    Members m = members(r, last + 1);
    if (m == null || !isKnown(other, m.vars(), null)) {
      return null;
    }
    Value[] field = new Value[ops.length - last - 1];
    for (int i = 0; i < field.length; i++) {
      field[i] = ((Ir.Const) ops[last + 1 + i]).value();
    }
    return new DataIndex(m.steps(), m.vars(), null, new Value[][] {field}, new Ir.T[] {other}, true);
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
      // a variable step reads every element: the index then holds a member under each of its
      // values, a superset of the members the equality (which still runs) accepts
      Value[] out = new Value[r.ops().length];
      for (int i = 0; i < out.length; i++) {
        if (r.ops()[i] instanceof Ir.Const c) {
          out[i] = c.value();
        } else if (r.ops()[i] instanceof Ir.Local) {
          out[i] = DataIndex.ANY;
        } else {
          return null;
        }
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
  private boolean isKnown(Ir.T t, Ir.Local[] vars, Ir.Local member) {
    if (t instanceof Ir.Const) {
      return true;
    }
    if (t instanceof Ir.Local l) {
      return isOther(l, vars, member);
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
      case TERM -> r.head() instanceof Ir.Local h && isOther(h, vars, member);
      case DATA -> {
        List<String> path = stringPath(r.ops(), r.ops().length);
        yield path != null && !path.isEmpty() && isBase(path);
      }
    };
  }

  private static boolean isOther(Ir.Local l, Ir.Local[] vars, Ir.Local member) {
    for (Ir.Local v : vars) {
      if (v != null && v.slot() == l.slot()) {
        return false;
      }
    }
    return member == null || l.slot() != member.slot();
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
