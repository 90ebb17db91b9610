package dev.gatehouse.engine.eval;

import dev.gatehouse.engine.EvalListener.Seen;
import dev.gatehouse.engine.ast.Location;
import dev.gatehouse.engine.compile.Ir;
import dev.gatehouse.engine.value.Value;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a failed expression saw, for {@code test --var-values} (see {@code EvalListener#failed}):
 * the terms opa's report shows, which are those its compiler turns into locals of their own.
 * Its named variables as bound when the expression failed; the results of the calls nested in
 * it ({@code x + y}, {@code count(names)}: not the expression's own call); references through a
 * variable or with variable operands ({@code y.a}, {@code names[i]}), into input, and to rules.
 * Nested terms are evaluated again in the frame as the failure left it (their variables are
 * bound by then), under the expression's {@code with} modifiers. Calls to nondeterministic builtins and {@code print} are never run
 * again; a term that raises an error or has no value is left out.
 */
final class FailedValues {
  private final Evaluator ev;
  private final Frame f;
  /** The failed expression's {@code with} modifiers: nested terms are evaluated under them. */
  private final List<Ir.With> withs;
  private final List<Seen> out = new ArrayList<>();
  private final Set<String> names = new HashSet<>();

  /** The body the failed expression is in, and its index: terms lifted out of it come before it. */
  private final Ir.E[] body;
  private final int index;

  private FailedValues(Evaluator ev, Frame f, List<Ir.With> withs, Ir.E[] body, int index) {
    this.ev = ev;
    this.f = f;
    this.withs = withs;
    this.body = body;
    this.index = index;
  }

  /** What {@code body[index]}, which failed, saw. */
  static List<Seen> of(Evaluator ev, Frame f, Ir.E[] body, int index) {
    Ir.E e = body[index];
    Ir.E inner = e;
    List<Ir.With> withs = new ArrayList<>();
    while (inner instanceof Ir.WithE || inner instanceof Ir.Not) {
      if (inner instanceof Ir.WithE w) {
        withs.addAll(w.withs());
        inner = w.inner();
      } else {
        inner = ((Ir.Not) inner).inner();
      }
    }
    FailedValues v = new FailedValues(ev, f, withs, body, index);
    for (Ir.With w : withs) {
      v.withValue(w.value());
    }
    if (inner instanceof Ir.Unify u) {
      v.walk(u.left());
      v.walk(u.right());
    } else if (inner instanceof Ir.TermE te) {
      if (te.term() instanceof Ir.CallT c) {
        v.args(c.args()); // the expression's own call: its arguments, not its result
      } else {
        v.walk(te.term());
      }
    } else if (inner instanceof Ir.CallE c) {
      v.args(c.args());
      if (c.out() != null) {
        v.walk(c.out());
      }
    }
    return v.out;
  }

  /** A {@code with} value is evaluated outside the modifiers: only its variables are shown. */
  private void withValue(Ir.T t) {
    if (t instanceof Ir.Local l) {
      if (!l.name().startsWith("$") && f.get(l.slot()) != null && names.add(l.name())) {
        out.add(new Seen(l.name(), null, f.get(l.slot())));
      }
    } else if (t instanceof Ir.Arr a) {
      for (Ir.T e : a.elems()) {
        withValue(e);
      }
    } else if (t instanceof Ir.Obj o) {
      for (Ir.T e : o.values()) {
        withValue(e);
      }
    }
  }

  private void args(Ir.T[] args) {
    for (Ir.T a : args) {
      walk(a);
    }
  }

  private void walk(Ir.T t) {
    if (t instanceof Ir.Local l) {
      if (!l.name().startsWith("$") && f.get(l.slot()) != null && names.add(l.name())) {
        out.add(new Seen(l.name(), null, f.get(l.slot())));
      } else if (l.name().startsWith("$t")) {
        Ir.T lifted = lifted(l);
        if (lifted != null) {
          walk(lifted); // a term the compiler lifted out of the expression (out of a negation)
        }
      }
    } else if (t instanceof Ir.Ref r) {
      ref(r);
    } else if (t instanceof Ir.CallT c) {
      // before its arguments: of several calls written at one column, the outer one comes first
      if (rerunnable(c.callee()) && located(c.location())) {
        Value v = value(c);
        if (v != null) {
          out.add(new Seen(null, c.location(), v, Seen.Kind.CALL));
        }
      }
      args(c.args());
    } else if (t instanceof Ir.Arr a) {
      args(a.elems());
    } else if (t instanceof Ir.Obj o) {
      args(o.keys());
      args(o.values());
    } else if (t instanceof Ir.SetT s) {
      args(s.elems());
    }
  }

  private void ref(Ir.Ref r) {
    if (r.head() != null) {
      walk(r.head());
    }
    boolean constant = true;
    for (Ir.T op : r.ops()) {
      constant &= op instanceof Ir.Const;
      walk(op);
    }
    if (!located(r.location())) {
      return;
    }
    if (r.root() == Ir.Root.DATA && constant) {
      // a rule or base document: shown undefined too (opa shows the rule's cached value)
      out.add(new Seen(null, r.location(), value(r)));
      return;
    }
    boolean shown = switch (r.root()) {
      case DATA -> true;                                   // names[i]
      case INPUT -> r.ops().length > 0;                    // input.x
      case TERM -> r.ops().length > 0; // y.a.b, f(x).a
    };
    if (shown) {
      Value v = value(r);
      if (v != null) {
        out.add(new Seen(null, r.location(), v, Seen.Kind.REF));
      }
    }
  }

  /** The term a generated local was bound to by an expression lifted ahead of the failed one. */
  private Ir.T lifted(Ir.Local l) {
    for (int i = index - 1; i >= 0; i--) {
      Ir.E e = body[i];
      while (e instanceof Ir.WithE w) {
        e = w.inner();
      }
      if (e instanceof Ir.Unify u && u.left() instanceof Ir.Local x && x.slot() == l.slot()) {
        return u.right() instanceof Ir.CallT || u.right() instanceof Ir.Ref ? u.right() : null;
      }
    }
    return null;
  }

  private static boolean located(Location l) {
    return l != null && l != Location.NONE;
  }

  private static boolean rerunnable(Ir.Callee c) {
    if (c instanceof Ir.BuiltinCallee b) {
      return !b.builtin().nondeterministic() && !b.name().equals("print") && !b.name().equals("internal.print")
          && !b.name().equals("trace");
    }
    return true;
  }

  /** The term's first value in the frame as it is (bindings made while looking are undone). */
  private Value value(Ir.T t) {
    Value[] v = {null};
    int mark = f.mark();
    try {
      ev.term(f, withs.isEmpty() ? t : new Ir.Modified(t, withs), x -> {
        v[0] = x;
        return true;
      });
    } catch (RuntimeException | StackOverflowError ex) {
      return null; // an error while looking: nothing to show
    } finally {
      f.undo(mark);
    }
    return v[0];
  }
}
