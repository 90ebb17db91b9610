package dev.gatehouse.engine.compile;

import dev.gatehouse.engine.value.ArrayValue;
import dev.gatehouse.engine.value.NumberValue;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.SetValue;
import dev.gatehouse.engine.value.Value;
import java.util.ArrayList;
import java.util.List;

/**
 * The part of OPA's rule index that changes results: before evaluating a rule's body, opa looks
 * up the rule in a trie built from the body's expressions of the form {@code input.a.b = x},
 * {@code input.a.b == "v"} and {@code input.a.b}, and skips the rule when such a reference is
 * undefined (or holds another constant). So an expression that would fail or raise an error is
 * never reached when a later indexed reference is undefined:
 * {@code x := [{"a": v | some v in [1, 2]}, input.missing]} is undefined in opa, not a conflict.
 *
 * <p>Only what is certain is recorded: non-negated expressions without {@code with}, references
 * into input whose operands are all constants, compared with a variable (defined) or a scalar
 * constant (equal). Rules with {@code else} branches, else branches and default rules are not
 * filtered. Base-data references are not indexed here (opa indexes those too; they are defined
 * or not the same way for every rule, so skipping them only loses a shortcut, no result).
 */
public final class RuleIndex {
  private RuleIndex() {}

  static Ir.InputRequirement[] requirements(Ir.Body body) {
    List<Ir.InputRequirement> out = new ArrayList<>();
    for (Ir.E e : body.exprs()) {
      if (e instanceof Ir.Unify u) {
        eq(u.left(), u.right(), out);
        liftedInTerm(u.left(), out);
        liftedInTerm(u.right(), out);
      } else if (e instanceof Ir.CallE c && c.out() == null && c.args().length == 2
          && c.callee() instanceof Ir.BuiltinCallee b && b.name().equals("equal")) {
        eq(c.args()[0], c.args()[1], out);
        liftedInTerm(c.args()[0], out);
        liftedInTerm(c.args()[1], out);
      } else if (e instanceof Ir.CallE c) {
        for (Ir.T a : c.args()) {
          lifted(a, out);
        }
      } else if (e instanceof Ir.TermE t) {
        Value[] path = inputPath(t.term());
        if (path != null) {
          out.add(new Ir.InputRequirement(path, null));
        }
        liftedInTerm(t.term(), out);
      } else if (e instanceof Ir.Every ev) {
        lifted(ev.domain(), out);
      }
    }
    return out.isEmpty() ? null : out.toArray(new Ir.InputRequirement[0]);
  }

  /**
   * The references opa's compiler lifts into expressions of their own ({@code __local = ref},
   * its RewriteDynamicTerms stage), which its index then sees: call arguments, collection
   * elements and reference operands, but not an equality's sides themselves.
   */
  private static void liftedInTerm(Ir.T t, List<Ir.InputRequirement> out) {
    if (t instanceof Ir.Ref r) {
      for (Ir.T op : r.ops()) {
        lifted(op, out);
      }
      if (r.head() != null) {
        lifted(r.head(), out); // a composite head was lifted whole by RewriteExprTerms
      }
    } else if (!(t instanceof Ir.ArrCompr || t instanceof Ir.SetCompr || t instanceof Ir.ObjCompr)) {
      lifted(t, out);
    }
  }

  private static void lifted(Ir.T t, List<Ir.InputRequirement> out) {
    if (t instanceof Ir.Ref r) {
      liftedInTerm(r, out);
      Value[] path = inputPath(r);
      if (path != null) {
        out.add(new Ir.InputRequirement(path, null));
      }
    } else if (t instanceof Ir.Arr a) {
      for (Ir.T x : a.elems()) {
        lifted(x, out);
      }
    } else if (t instanceof Ir.SetT st) {
      for (Ir.T x : st.elems()) {
        lifted(x, out);
      }
    } else if (t instanceof Ir.Obj o) {
      for (Ir.T x : o.keys()) {
        lifted(x, out);
      }
      for (Ir.T x : o.values()) {
        lifted(x, out);
      }
    } else if (t instanceof Ir.CallT c) { // nested calls become call expressions first
      for (Ir.T a : c.args()) {
        lifted(a, out);
      }
    }
  }

  private static void eq(Ir.T a, Ir.T b, List<Ir.InputRequirement> out) {
    if (!side(a, b, out)) {
      side(b, a, out);
    }
  }

  private static boolean side(Ir.T ref, Ir.T other, List<Ir.InputRequirement> out) {
    Value[] path = inputPath(ref);
    if (path == null) {
      return false;
    }
    if (other instanceof Ir.Local) {
      out.add(new Ir.InputRequirement(path, null));
      return true;
    }
    if (other instanceof Ir.Const c && isScalar(c.value())) {
      out.add(new Ir.InputRequirement(path, c.value()));
      return true;
    }
    return false;
  }

  private static boolean isScalar(Value v) {
    return !(v instanceof ArrayValue || v instanceof ObjectValue || v instanceof SetValue);
  }

  /** The constant path of {@code input.a[0].b}; null for anything else. */
  private static Value[] inputPath(Ir.T t) {
    if (!(t instanceof Ir.Ref r) || r.root() != Ir.Root.INPUT) {
      return null;
    }
    Value[] path = new Value[r.ops().length];
    for (int i = 0; i < path.length; i++) {
      if (!(r.ops()[i] instanceof Ir.Const c) || !isScalar(c.value())) {
        return null;
      }
      path[i] = c.value();
    }
    return path;
  }

  /** False when opa's index would not select the rule for this input. */
  public static boolean admits(Ir.InputRequirement[] requires, Value input) {
    if (requires == null) {
      return true;
    }
    for (Ir.InputRequirement q : requires) {
      Value v = resolve(input, q.path());
      if (v == null || (q.equals() != null && !q.equals().equals(v))) {
        return false;
      }
    }
    return true;
  }

  private static Value resolve(Value v, Value[] path) {
    for (Value k : path) {
      if (v instanceof ObjectValue o) {
        v = o.get(k);
      } else if (v instanceof ArrayValue a && k instanceof NumberValue n) {
        java.util.OptionalInt i = n.intValue();
        v = i.isEmpty() || i.getAsInt() < 0 || i.getAsInt() >= a.size() ? null : a.get(i.getAsInt());
      } else if (v instanceof SetValue s) {
        v = s.contains(k) ? k : null;
      } else {
        return null;
      }
      if (v == null) {
        return null;
      }
    }
    return v;
  }
}
