package dev.gatehouse.engine.types;

import dev.gatehouse.engine.value.ArrayValue;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.SetValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Operations on {@link Type}s as OPA's type checker performs them: unification, unions, rendering. */
public final class TypeOps {
  private TypeOps() {}

  /** Strips a name: {@code x: number} → {@code number}. */
  public static Type unwrap(Type t) {
    while (t instanceof Type.Named n) {
      t = n.type();
    }
    return t;
  }

  public static boolean isAny(Type t) {
    return unwrap(t) instanceof Type.Any a && a.of().isEmpty();
  }

  /** True when a value of type a could be a value of type b (OPA's {@code unifies}). */
  public static boolean unifies(Type a, Type b) {
    if (a == null || b == null) {
      return false;
    }
    a = unwrap(a);
    b = unwrap(b);
    if (a instanceof Type.Any anyA && unifiesAny(anyA, b)) {
      return true;
    }
    if (b instanceof Type.Any anyB && unifiesAny(anyB, a)) {
      return true;
    }
    if (a instanceof Type.Any || b instanceof Type.Any) {
      return false;
    }
    if (a instanceof Type.Arr x) {
      return b instanceof Type.Arr y && arraysUnify(x, y);
    }
    if (a instanceof Type.Obj x) {
      return b instanceof Type.Obj y && objectsUnify(x, y);
    }
    if (a instanceof Type.SetOf x) {
      return b instanceof Type.SetOf y && (x.of() == null || y.of() == null || unifies(x.of(), y.of()));
    }
    if (a instanceof Type.Func) {
      return b instanceof Type.Func;
    }
    return a.getClass() == b.getClass();
  }

  private static boolean unifiesAny(Type.Any a, Type b) {
    if (b instanceof Type.Func) {
      return false;
    }
    for (Type t : a.of()) {
      if (unifies(t, b)) {
        return true;
      }
    }
    return a.of().isEmpty();
  }

  private static boolean arraysUnify(Type.Arr a, Type.Arr b) {
    return staticElementsUnify(a, b) && staticElementsUnify(b, a)
        && (a.dynamic() == null || b.dynamic() == null || unifies(a.dynamic(), b.dynamic()));
  }

  private static boolean staticElementsUnify(Type.Arr a, Type.Arr b) {
    for (int i = 0; i < a.staticTypes().size(); i++) {
      if (!unifies(a.staticTypes().get(i), element(b, i))) {
        return false;
      }
    }
    return true;
  }

  /** The type of element i, or null when the array type has no such element. */
  public static Type element(Type.Arr a, int i) {
    return i < a.staticTypes().size() ? a.staticTypes().get(i) : a.dynamic();
  }

  private static boolean objectsUnify(Type.Obj a, Type.Obj b) {
    return staticPropsUnify(a, b) && staticPropsUnify(b, a)
        && (a.dynamicValue() == null || b.dynamicValue() == null || unifies(a.dynamicValue(), b.dynamicValue()));
  }

  private static boolean staticPropsUnify(Type.Obj a, Type.Obj b) {
    for (Type.Property p : a.staticProps()) {
      Type other = property(b, p.key());
      if (other == null) {
        if (a.dynamicValue() != null || b.dynamicValue() != null) {
          continue;
        }
        return false;
      }
      if (!unifies(p.value(), other)) {
        return false;
      }
    }
    return true;
  }

  /** The type of a static property, or the dynamic value type, or null. */
  public static Type property(Type.Obj o, Object key) {
    for (Type.Property p : o.staticProps()) {
      if (p.key().equals(key)) {
        return p.value();
      }
    }
    return o.dynamicValue();
  }

  /** The union of types, OPA's {@code types.Or}: any absorbs everything; nulls (unknown) are dropped. */
  public static Type or(List<Type> types) {
    Set<Type> members = new LinkedHashSet<>();
    for (Type t : types) {
      if (t == null) {
        continue;
      }
      t = unwrap(t);
      if (isAny(t)) {
        return Types.ANY;
      }
      if (t instanceof Type.Any u) {
        members.addAll(u.of());
      } else {
        members.add(t);
      }
    }
    if (members.isEmpty()) {
      return null;
    }
    return members.size() == 1 ? members.iterator().next() : new Type.Any(new ArrayList<>(members));
  }

  /** The exact type of a value, as OPA types a constant term. */
  public static Type of(Value v) {
    switch (v.typeOrder()) {
      case 0:
        return Types.NULL;
      case 1:
        return Types.BOOLEAN;
      case 2:
        return Types.NUMBER;
      case 3:
        return Types.STRING;
      case 4: {
        List<Type> elems = new ArrayList<>();
        for (Value e : ((ArrayValue) v).elements()) {
          elems.add(of(e));
        }
        return new Type.Arr(elems, null);
      }
      case 5: {
        List<Type.Property> props = new ArrayList<>();
        ((ObjectValue) v).forEach((k, x) -> props.add(new Type.Property(k instanceof StringValue s ? s.value() : k, of(x))));
        return new Type.Obj(props, null, null);
      }
      default: {
        List<Type> elems = new ArrayList<>();
        for (Value e : (SetValue) v) {
          elems.add(of(e));
        }
        Type of = or(elems);
        return new Type.SetOf(of);
      }
    }
  }

  /** OPA's rendering: {@code array<string>[number]}, {@code object<a: number>}, {@code any<null, string>}. */
  public static String render(Type t) {
    if (t == null) {
      return "???";
    }
    if (t instanceof Type.Named n) {
      return n.name() + ": " + render(n.type());
    }
    if (t instanceof Type.Any a) {
      if (a.of().isEmpty()) {
        return "any";
      }
      List<Type> sorted = new ArrayList<>(a.of());
      sorted.sort(java.util.Comparator.comparingInt(TypeOps::order));
      return "any<" + join(sorted) + ">";
    }
    if (t instanceof Type.Null) {
      return "null";
    }
    if (t instanceof Type.Bool) {
      return "boolean";
    }
    if (t instanceof Type.Num) {
      return "number";
    }
    if (t instanceof Type.Str) {
      return "string";
    }
    if (t instanceof Type.Arr a) {
      String s = "array";
      if (!a.staticTypes().isEmpty()) {
        s += "<" + join(a.staticTypes()) + ">";
      }
      return a.dynamic() == null ? s : s + "[" + render(a.dynamic()) + "]";
    }
    if (t instanceof Type.Obj o) {
      StringBuilder sb = new StringBuilder("object");
      if (!o.staticProps().isEmpty()) {
        sb.append('<');
        for (int i = 0; i < o.staticProps().size(); i++) {
          Type.Property p = o.staticProps().get(i);
          sb.append(i == 0 ? "" : ", ").append(p.key()).append(": ").append(render(p.value()));
        }
        sb.append('>');
      }
      if (o.dynamicKey() != null) {
        sb.append('[').append(render(o.dynamicKey())).append(": ").append(render(o.dynamicValue())).append(']');
      }
      return sb.toString();
    }
    if (t instanceof Type.SetOf s) {
      return s.of() == null ? "set" : "set[" + render(s.of()) + "]";
    }
    Type.Func f = (Type.Func) t;
    return "(" + join(f.args()) + ") => " + render(f.result());
  }

  /** A long type collapsed to its outermost constructor, as OPA shortens wide type errors. */
  public static String renderShort(Type t) {
    String full = render(t);
    if (full.length() <= 32 || t == null) {
      return full;
    }
    String name = "";
    Type u = t;
    if (t instanceof Type.Named n) {
      name = n.name() + ": ";
      u = n.type();
    }
    if (u instanceof Type.Any) {
      return name + "any<...>";
    }
    if (u instanceof Type.Arr) {
      return name + "array[...]";
    }
    if (u instanceof Type.Obj) {
      return name + "object[...]";
    }
    if (u instanceof Type.SetOf) {
      return name + "set[...]";
    }
    return full;
  }

  /** OPA's order of type kinds, used to list the members of a union. */
  private static int order(Type t) {
    Type u = unwrap(t);
    if (u instanceof Type.Null) {
      return 0;
    }
    if (u instanceof Type.Bool) {
      return 1;
    }
    if (u instanceof Type.Num) {
      return 2;
    }
    if (u instanceof Type.Str) {
      return 3;
    }
    if (u instanceof Type.Arr) {
      return 4;
    }
    if (u instanceof Type.Obj) {
      return 5;
    }
    if (u instanceof Type.SetOf) {
      return 6;
    }
    return u instanceof Type.Any ? 7 : 8;
  }

  private static String join(List<Type> ts) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < ts.size(); i++) {
      sb.append(i == 0 ? "" : ", ").append(render(ts.get(i)));
    }
    return sb.toString();
  }
}
