package dev.gatehouse.engine.compile;

import dev.gatehouse.engine.RegoError;
import dev.gatehouse.engine.RegoException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * OPA's safety rule: every variable must be bound by the time an expression needs it. Bodies are
 * reordered greedily (first expression, in source order, whose inputs are bound); when none can
 * run, the remaining variables are reported unsafe.
 */
final class Safety {
  private Safety() {}

  static Ir.Body reorder(List<Ir.E> exprs, BitSet initiallyBound, Map<Object, BitSet> locals, IntFunction<String> names) {
    BitSet bound = (BitSet) initiallyBound.clone();
    List<Ir.E> remaining = new ArrayList<>(exprs);
    List<Ir.E> ordered = new ArrayList<>(exprs.size());
    BitSet bindable = (BitSet) initiallyBound.clone();
    for (Ir.E e : exprs) {
      bindable.or(binds(e, locals));
    }
    while (!remaining.isEmpty()) {
      Ir.E next = null;
      for (Ir.E e : remaining) {
        if (ready(e, bound, bindable, locals)) {
          next = e;
          break;
        }
      }
      if (next == null) {
        List<RegoError> errors = new ArrayList<>();
        BitSet reported = new BitSet();
        for (Ir.E e : remaining) {
          BitSet need = needs(e, bindable, locals);
          need.andNot(bound);
          if (e instanceof Ir.Unify u && need.isEmpty()) {
            need.or(patternSlots(u.left()));
            need.or(patternSlots(u.right()));
            need.andNot(bound);
          }
          for (int s = need.nextSetBit(0); s >= 0; s = need.nextSetBit(s + 1)) {
            String name = names.apply(s);
            if (!reported.get(s) && (!name.startsWith("$") || name.startsWith("$_"))) {
              reported.set(s);
              errors.add(new RegoError("rego_unsafe_var_error",
                  "var " + (name.startsWith("$_") ? "_" : name) + " is unsafe", e.location()));
            }
          }
        }
        if (errors.isEmpty()) {
          errors.add(new RegoError("rego_unsafe_var_error", "expression is unsafe", remaining.get(0).location()));
        }
        throw new RegoException(errors);
      }
      remaining.remove(next);
      ordered.add(next);
      bound.or(binds(next, locals));
    }
    return new Ir.Body(ordered.toArray(new Ir.E[0]));
  }

  /** Slots bound after the body ran (for head safety checks). */
  static BitSet boundAfter(Ir.Body body, BitSet initiallyBound, Map<Object, BitSet> locals) {
    BitSet b = (BitSet) initiallyBound.clone();
    for (Ir.E e : body.exprs()) {
      b.or(binds(e, locals));
    }
    return b;
  }

  private static boolean ready(Ir.E e, BitSet bound, BitSet bindable, Map<Object, BitSet> locals) {
    BitSet need = needs(e, bindable, locals);
    need.andNot(bound);
    if (!need.isEmpty()) {
      return false;
    }
    if (e instanceof Ir.Unify u) {
      BitSet l = patternSlots(u.left());
      BitSet r = patternSlots(u.right());
      l.andNot(bound);
      r.andNot(bound);
      boolean composite = !(u.left() instanceof Ir.Local) && !(u.right() instanceof Ir.Local);
      return l.isEmpty() || r.isEmpty() || composite;
    }
    if (e instanceof Ir.WithE w) {
      return ready(w.inner(), bound, bindable, locals);
    }
    return true;
  }

  /** Slots an expression needs bound before it can run. */
  static BitSet needs(Ir.E e, BitSet bindable, Map<Object, BitSet> locals) {
    BitSet n = new BitSet();
    if (e instanceof Ir.Unify u) {
      inputs(u.left(), true, n, locals);
      inputs(u.right(), true, n, locals);
    } else if (e instanceof Ir.TermE t) {
      inputs(t.term(), false, n, locals);
    } else if (e instanceof Ir.CallE c) {
      for (Ir.T a : c.args()) {
        inputs(a, false, n, locals);
      }
      if (c.out() != null) {
        inputs(c.out(), true, n, locals);
      }
    } else if (e instanceof Ir.SomeIn s) {
      inputs(s.domain(), false, n, locals);
      if (s.key() != null) {
        inputs(s.key(), true, n, locals);
      }
      inputs(s.value(), true, n, locals);
    } else if (e instanceof Ir.Every ev) {
      inputs(ev.domain(), false, n, locals);
      BitSet inner = allSlots(ev.body(), locals);
      BitSet own = locals.get(ev);
      if (own != null) {
        inner.andNot(own);
      }
      n.or(inner);
    } else if (e instanceof Ir.Not not) {
      BitSet all = allSlotsOf(not.inner(), locals);
      all.and(bindable);
      n.or(all);
    } else if (e instanceof Ir.NotBody || e instanceof Ir.Logical) {
      n.or(allSlotsOf(e, locals));
    } else if (e instanceof Ir.WithE w) {
      n.or(needs(w.inner(), bindable, locals));
      for (Ir.With with : w.withs()) {
        if (with.value() != null) {
          inputs(with.value(), false, n, locals);
        }
      }
    }
    return n;
  }

  /** Slots an expression may bind. */
  static BitSet binds(Ir.E e, Map<Object, BitSet> locals) {
    BitSet b = new BitSet();
    if (e instanceof Ir.Unify u) {
      b.or(patternSlots(u.left()));
      b.or(patternSlots(u.right()));
      refOutputs(u.left(), b);
      refOutputs(u.right(), b);
    } else if (e instanceof Ir.TermE t) {
      refOutputs(t.term(), b);
    } else if (e instanceof Ir.CallE c) {
      for (Ir.T a : c.args()) {
        refOutputs(a, b);
      }
      if (c.out() != null) {
        b.or(patternSlots(c.out()));
        refOutputs(c.out(), b);
      }
    } else if (e instanceof Ir.SomeIn s) {
      if (s.key() != null) {
        b.or(patternSlots(s.key()));
      }
      b.or(patternSlots(s.value()));
      refOutputs(s.domain(), b);
    } else if (e instanceof Ir.WithE w) {
      b.or(binds(w.inner(), locals));
    }
    return b;
  }

  /** Variables in pattern positions: bare locals, array elements, object values. */
  static BitSet patternSlots(Ir.T t) {
    BitSet b = new BitSet();
    pattern(t, b);
    return b;
  }

  private static void pattern(Ir.T t, BitSet b) {
    if (t instanceof Ir.Local l) {
      b.set(l.slot());
    } else if (t instanceof Ir.Arr a) {
      for (Ir.T e : a.elems()) {
        pattern(e, b);
      }
    } else if (t instanceof Ir.Obj o) {
      for (Ir.T v : o.values()) {
        pattern(v, b);
      }
    }
  }

  /** Locals used as reference operands anywhere in t (evaluating t iterates over them). */
  static BitSet refOperandSlots(Ir.T t) {
    BitSet b = new BitSet();
    refOutputs(t, b);
    return b;
  }

  /** Locals used as reference operands: unbound ones are iterated, so the reference binds them. */
  private static void refOutputs(Ir.T t, BitSet b) {
    if (t instanceof Ir.Ref r) {
      if (r.head() != null) {
        refOutputs(r.head(), b);
      }
      for (Ir.T op : r.ops()) {
        if (op instanceof Ir.Local l) {
          b.set(l.slot());
        } else if (op instanceof Ir.Arr || op instanceof Ir.Obj) {
          b.or(patternSlots(op));
          refOutputs(op, b);
        } else {
          refOutputs(op, b);
        }
      }
    } else if (t instanceof Ir.Arr a) {
      for (Ir.T e : a.elems()) {
        refOutputs(e, b);
      }
    } else if (t instanceof Ir.Obj o) {
      for (int i = 0; i < o.keys().length; i++) {
        refOutputs(o.keys()[i], b);
        refOutputs(o.values()[i], b);
      }
    } else if (t instanceof Ir.SetT s) {
      for (Ir.T e : s.elems()) {
        refOutputs(e, b);
      }
    } else if (t instanceof Ir.CallT c) {
      for (Ir.T a : c.args()) {
        refOutputs(a, b);
      }
    } else if (t instanceof Ir.Template tp) {
      for (Ir.T p : tp.parts()) {
        refOutputs(p, b);
      }
    }
  }

  /** Inputs of a term: locals that must already be bound (pattern positions excluded when asPattern). */
  private static void inputs(Ir.T t, boolean asPattern, BitSet n, Map<Object, BitSet> locals) {
    if (t instanceof Ir.Local l) {
      if (!asPattern) {
        n.set(l.slot());
      }
    } else if (t instanceof Ir.Ref r) {
      if (r.head() != null) {
        inputs(r.head(), false, n, locals);
      }
      for (Ir.T op : r.ops()) {
        if (op instanceof Ir.Arr || op instanceof Ir.Obj) {
          inputs(op, true, n, locals);
        } else if (!(op instanceof Ir.Local)) {
          inputs(op, false, n, locals);
        }
      }
    } else if (t instanceof Ir.Arr a) {
      for (Ir.T e : a.elems()) {
        inputs(e, asPattern, n, locals);
      }
    } else if (t instanceof Ir.Obj o) {
      for (int i = 0; i < o.keys().length; i++) {
        inputs(o.keys()[i], false, n, locals);
        inputs(o.values()[i], asPattern, n, locals);
      }
    } else if (t instanceof Ir.SetT s) {
      for (Ir.T e : s.elems()) {
        inputs(e, false, n, locals);
      }
    } else if (t instanceof Ir.CallT c) {
      for (Ir.T a : c.args()) {
        inputs(a, false, n, locals);
      }
    } else if (t instanceof Ir.Template tp) {
      for (Ir.T p : tp.parts()) {
        inputs(p, false, n, locals);
      }
    } else if (t instanceof Ir.Modified m) {
      n.or(allSlots(m, locals));
    } else if (t instanceof Ir.ArrCompr || t instanceof Ir.SetCompr || t instanceof Ir.ObjCompr) {
      BitSet all = allSlots(t, locals);
      n.or(all);
    }
  }

  /** Every slot a term uses, minus the locals of comprehensions inside it (their closures remain). */
  static BitSet allSlots(Ir.T t, Map<Object, BitSet> locals) {
    BitSet b = new BitSet();
    slots(t, b, locals);
    return b;
  }

  static BitSet allSlots(Ir.Body body, Map<Object, BitSet> locals) {
    BitSet b = new BitSet();
    for (Ir.E e : body.exprs()) {
      b.or(allSlotsOf(e, locals));
    }
    return b;
  }

  static BitSet allSlotsOf(Ir.E e, Map<Object, BitSet> locals) {
    BitSet b = new BitSet();
    if (e instanceof Ir.Unify u) {
      slots(u.left(), b, locals);
      slots(u.right(), b, locals);
    } else if (e instanceof Ir.TermE t) {
      slots(t.term(), b, locals);
    } else if (e instanceof Ir.CallE c) {
      for (Ir.T a : c.args()) {
        slots(a, b, locals);
      }
      if (c.out() != null) {
        slots(c.out(), b, locals);
      }
    } else if (e instanceof Ir.SomeIn s) {
      if (s.key() != null) {
        slots(s.key(), b, locals);
      }
      slots(s.value(), b, locals);
      slots(s.domain(), b, locals);
    } else if (e instanceof Ir.Every ev) {
      slots(ev.domain(), b, locals);
      BitSet inner = allSlots(ev.body(), locals);
      BitSet own = locals.get(ev);
      if (own != null) {
        inner.andNot(own);
      }
      b.or(inner);
    } else if (e instanceof Ir.Not n) {
      b.or(allSlotsOf(n.inner(), locals));
    } else if (e instanceof Ir.NotBody nb) {
      BitSet inner = allSlots(nb.body(), locals);
      removeLocals(e, inner, locals);
      b.or(inner);
    } else if (e instanceof Ir.Logical l) {
      BitSet inner = allSlots(l.lhs(), locals);
      inner.or(allSlots(l.rhs(), locals));
      removeLocals(e, inner, locals);
      b.or(inner);
    } else if (e instanceof Ir.WithE w) {
      b.or(allSlotsOf(w.inner(), locals));
      for (Ir.With with : w.withs()) {
        if (with.value() != null) {
          slots(with.value(), b, locals);
        }
      }
    }
    return b;
  }

  private static void slots(Ir.T t, BitSet b, Map<Object, BitSet> locals) {
    if (t instanceof Ir.Local l) {
      b.set(l.slot());
    } else if (t instanceof Ir.Ref r) {
      if (r.head() != null) {
        slots(r.head(), b, locals);
      }
      for (Ir.T op : r.ops()) {
        slots(op, b, locals);
      }
    } else if (t instanceof Ir.Arr a) {
      for (Ir.T e : a.elems()) {
        slots(e, b, locals);
      }
    } else if (t instanceof Ir.Obj o) {
      for (int i = 0; i < o.keys().length; i++) {
        slots(o.keys()[i], b, locals);
        slots(o.values()[i], b, locals);
      }
    } else if (t instanceof Ir.SetT s) {
      for (Ir.T e : s.elems()) {
        slots(e, b, locals);
      }
    } else if (t instanceof Ir.CallT c) {
      for (Ir.T a : c.args()) {
        slots(a, b, locals);
      }
    } else if (t instanceof Ir.Template tp) {
      for (Ir.T p : tp.parts()) {
        slots(p, b, locals);
      }
    } else if (t instanceof Ir.Modified m) {
      slots(m.term(), b, locals);
      for (Ir.With w : m.withs()) {
        if (w.value() != null) {
          slots(w.value(), b, locals);
        }
      }
    } else if (t instanceof Ir.ArrCompr c) {
      BitSet inner = allSlots(c.body(), locals);
      slots(c.head(), inner, locals);
      removeLocals(t, inner, locals);
      b.or(inner);
    } else if (t instanceof Ir.SetCompr c) {
      BitSet inner = allSlots(c.body(), locals);
      slots(c.head(), inner, locals);
      removeLocals(t, inner, locals);
      b.or(inner);
    } else if (t instanceof Ir.ObjCompr c) {
      BitSet inner = allSlots(c.body(), locals);
      slots(c.key(), inner, locals);
      slots(c.value(), inner, locals);
      removeLocals(t, inner, locals);
      b.or(inner);
    }
  }

  private static void removeLocals(Object owner, BitSet b, Map<Object, BitSet> locals) {
    BitSet own = locals.get(owner);
    if (own != null) {
      b.andNot(own);
    }
  }
}
