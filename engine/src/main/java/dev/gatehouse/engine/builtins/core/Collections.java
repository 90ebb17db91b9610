package dev.gatehouse.engine.builtins.core;

import static dev.gatehouse.engine.types.Types.ANY;
import static dev.gatehouse.engine.types.Types.ANY_ARRAY;
import static dev.gatehouse.engine.types.Types.ANY_OBJECT;
import static dev.gatehouse.engine.types.Types.ANY_SET;
import static dev.gatehouse.engine.types.Types.BOOLEAN;
import static dev.gatehouse.engine.types.Types.NUMBER;
import static dev.gatehouse.engine.types.Types.STRING;
import static dev.gatehouse.engine.types.Types.any;
import static dev.gatehouse.engine.types.Types.arrayOf;
import static dev.gatehouse.engine.types.Types.func;
import static dev.gatehouse.engine.types.Types.setOf;

import dev.gatehouse.engine.builtins.Builtin;
import dev.gatehouse.engine.builtins.BuiltinException;
import dev.gatehouse.engine.builtins.RelationBuiltin;
import dev.gatehouse.engine.builtins.BuiltinContext;
import dev.gatehouse.engine.types.Type;
import dev.gatehouse.engine.types.Types;
import dev.gatehouse.engine.value.ArrayValue;
import dev.gatehouse.engine.value.BooleanValue;
import dev.gatehouse.engine.value.NullValue;
import dev.gatehouse.engine.value.NumberValue;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.SetValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Aggregates, arrays, sets, objects, type checks and walk. */
final class Collections {
  private Collections() {}

  private static final Type COLL = any(ANY_ARRAY, ANY_SET);

  static List<Builtin> all() {
    List<Builtin> b = new ArrayList<>();
    b.add(Fn.of("aggregates", "count", func(NUMBER, any(STRING, ANY_ARRAY, ANY_OBJECT, ANY_SET)), (c, a) -> {
      Value v = a[0];
      if (v instanceof StringValue s) {
        return NumberValue.of(s.value().codePointCount(0, s.value().length()));
      }
      if (v instanceof ArrayValue x) {
        return NumberValue.of(x.size());
      }
      if (v instanceof SetValue x) {
        return NumberValue.of(x.size());
      }
      if (v instanceof ObjectValue x) {
        return NumberValue.of(x.size());
      }
      throw BuiltinException.operandType(1, v, "array", "object", "set", "string");
    }));
    b.add(Fn.of("aggregates", "sum", func(NUMBER, COLL), (c, a) -> {
      NumberValue acc = NumberValue.ZERO;
      for (Value v : Args.collection(a, 0)) {
        if (!(v instanceof NumberValue n)) {
          throw BuiltinException.operandType(1, a[0], "array of numbers", "set of numbers");
        }
        acc = Arith.plus(acc, n);
      }
      return acc;
    }));
    b.add(Fn.of("aggregates", "product", func(NUMBER, COLL), (c, a) -> {
      NumberValue acc = NumberValue.ONE;
      for (Value v : Args.collection(a, 0)) {
        if (!(v instanceof NumberValue n)) {
          throw BuiltinException.operandType(1, a[0], "array of numbers", "set of numbers");
        }
        acc = Arith.mul(acc, n);
      }
      return acc;
    }));
    b.add(Fn.of("aggregates", "max", func(ANY, COLL), (c, a) -> extreme(a, 1)));
    b.add(Fn.of("aggregates", "min", func(ANY, COLL), (c, a) -> extreme(a, -1)));
    b.add(Fn.of("aggregates", "sort", func(ANY_ARRAY, COLL), (c, a) -> {
      List<Value> out = new ArrayList<>();
      for (Value v : Args.collection(a, 0)) {
        out.add(v);
      }
      java.util.Collections.sort(out);
      return ArrayValue.of(out);
    }));
    b.add(Fn.of("aggregates", "all", func(BOOLEAN, COLL), (c, a) -> {
      for (Value v : Args.collection(a, 0)) {
        if (!BooleanValue.TRUE.equals(v)) {
          return BooleanValue.FALSE;
        }
      }
      return BooleanValue.TRUE;
    }).deprecate());
    b.add(Fn.of("aggregates", "any", func(BOOLEAN, COLL), (c, a) -> {
      for (Value v : Args.collection(a, 0)) {
        if (BooleanValue.TRUE.equals(v)) {
          return BooleanValue.TRUE;
        }
      }
      return BooleanValue.FALSE;
    }).deprecate());

    b.add(Fn.of("array", "array.concat", func(ANY_ARRAY, ANY_ARRAY, ANY_ARRAY), (c, a) -> {
      ArrayValue x = Args.arr(a, 0);
      ArrayValue y = Args.arr(a, 1);
      List<Value> out = new ArrayList<>(x.elements());
      out.addAll(y.elements());
      return ArrayValue.of(out);
    }));
    b.add(Fn.of("array", "array.slice", func(ANY_ARRAY, ANY_ARRAY, NUMBER, NUMBER), (c, a) -> {
      ArrayValue x = Args.arr(a, 0);
      long from = sliceIndex(a, 1);
      long to = sliceIndex(a, 2);
      from = Math.max(0, from);
      to = Math.min(x.size(), to);
      if (from >= to) {
        return ArrayValue.EMPTY;
      }
      return x.slice((int) from, (int) to);
    }));
    b.add(Fn.of("array", "array.reverse", func(ANY_ARRAY, ANY_ARRAY), (c, a) -> {
      List<Value> out = new ArrayList<>(Args.arr(a, 0).elements());
      java.util.Collections.reverse(out);
      return ArrayValue.of(out);
    }));
    b.add(Fn.of("sets", "intersection", func(ANY_SET, setOf(ANY_SET)), (c, a) -> {
      SetValue sets = Args.set(a, 0);
      SetValue acc = null;
      for (Value v : sets) {
        if (!(v instanceof SetValue s)) {
          throw BuiltinException.operandType(1, a[0], "set of sets");
        }
        acc = acc == null ? s : acc.intersect(s);
      }
      return acc == null ? SetValue.EMPTY : acc;
    }));
    b.add(Fn.of("sets", "union", func(ANY_SET, setOf(ANY_SET)), (c, a) -> {
      SetValue.Builder out = SetValue.builder();
      for (Value v : Args.set(a, 0)) {
        if (!(v instanceof SetValue s)) {
          throw BuiltinException.operandType(1, a[0], "set of sets");
        }
        out.addAll(s);
      }
      return out.build();
    }));

    b.add(Fn.of("object", "object.get", func(ANY, ANY_OBJECT, ANY, ANY), (c, a) -> {
      ObjectValue o = Args.obj(a, 0);
      if (a[1] instanceof ArrayValue path) {
        Value cur = o;
        for (Value k : path.elements()) {
          cur = Operators.lookup(cur, k);
          if (cur == null) {
            return a[2];
          }
        }
        return cur;
      }
      Value v = o.get(a[1]);
      return v == null ? a[2] : v;
    }));
    b.add(Fn.of("object", "object.keys", func(ANY_SET, ANY_OBJECT), (c, a) -> SetValue.of(Args.obj(a, 0).keys())));
    b.add(Fn.of("object", "object.remove", func(ANY_OBJECT, ANY_OBJECT, any(ANY_ARRAY, ANY_SET, ANY_OBJECT)), (c, a) -> {
      ObjectValue o = Args.obj(a, 0);
      List<Value> keys = keysOf(a, 1);
      ObjectValue.Builder out = ObjectValue.builder();
      o.forEach((k, v) -> {
        if (!keys.contains(k)) {
          out.put(k, v);
        }
      });
      return out.build();
    }));
    b.add(Fn.of("object", "object.filter", func(ANY_OBJECT, ANY_OBJECT, any(ANY_ARRAY, ANY_SET, ANY_OBJECT)), (c, a) -> {
      ObjectValue o = Args.obj(a, 0);
      List<Value> keys = keysOf(a, 1);
      ObjectValue.Builder out = ObjectValue.builder();
      o.forEach((k, v) -> {
        if (keys.contains(k)) {
          out.put(k, v);
        }
      });
      return out.build();
    }));
    b.add(Fn.of("object", "object.union", func(ANY_OBJECT, ANY_OBJECT, ANY_OBJECT), (c, a) -> mergeObjects(Args.obj(a, 0), Args.obj(a, 1))));
    b.add(Fn.of("object", "object.union_n", func(ANY_OBJECT, arrayOf(ANY_OBJECT)), (c, a) -> {
      ObjectValue acc = ObjectValue.EMPTY;
      for (Value v : Args.arr(a, 0).elements()) {
        if (!(v instanceof ObjectValue o)) {
          throw BuiltinException.operandType(1, a[0], "array of objects");
        }
        acc = mergeObjects(acc, o);
      }
      return acc;
    }));
    b.add(Fn.of("object", "object.subset", func(BOOLEAN, any(ANY_OBJECT, ANY_ARRAY, ANY_SET), any(ANY_OBJECT, ANY_ARRAY, ANY_SET)),
        (c, a) -> {
          if (!(a[0] instanceof ObjectValue || a[0] instanceof ArrayValue || a[0] instanceof SetValue)) {
            throw BuiltinException.operandType(1, a[0], "object", "set", "array");
          }
          if (!(a[1] instanceof ObjectValue || a[1] instanceof ArrayValue || a[1] instanceof SetValue)) {
            throw BuiltinException.operandType(2, a[1], "object", "set", "array");
          }
          return BooleanValue.of(subset(a[0], a[1]));
        }));

    b.add(Fn.of("types", "is_number", func(BOOLEAN, ANY), (c, a) -> BooleanValue.of(a[0] instanceof NumberValue)));
    b.add(Fn.of("types", "is_string", func(BOOLEAN, ANY), (c, a) -> BooleanValue.of(a[0] instanceof StringValue)));
    b.add(Fn.of("types", "is_boolean", func(BOOLEAN, ANY), (c, a) -> BooleanValue.of(a[0] instanceof BooleanValue)));
    b.add(Fn.of("types", "is_array", func(BOOLEAN, ANY), (c, a) -> BooleanValue.of(a[0] instanceof ArrayValue)));
    b.add(Fn.of("types", "is_set", func(BOOLEAN, ANY), (c, a) -> BooleanValue.of(a[0] instanceof SetValue)));
    b.add(Fn.of("types", "is_object", func(BOOLEAN, ANY), (c, a) -> BooleanValue.of(a[0] instanceof ObjectValue)));
    b.add(Fn.of("types", "is_null", func(BOOLEAN, ANY), (c, a) -> BooleanValue.of(a[0] instanceof NullValue)));
    b.add(Fn.of("types", "type_name", func(STRING, ANY), (c, a) -> StringValue.of(a[0].typeName())));
    b.add(Fn.of("conversions", "to_number", func(NUMBER, any(Types.NULL, BOOLEAN, NUMBER, STRING)), (c, a) -> {
      Value v = a[0];
      if (v instanceof NumberValue) {
        return v;
      }
      if (v instanceof NullValue) {
        return NumberValue.ZERO;
      }
      if (v instanceof BooleanValue bv) {
        return bv.value() ? NumberValue.ONE : NumberValue.ZERO;
      }
      if (v instanceof StringValue s) {
        String t = s.value();
        try {
          if (t.startsWith("+")) {
            t = t.substring(1);
          }
          return NumberValue.parse(t);
        } catch (NumberFormatException e) {
          try {
            BigDecimal d = new BigDecimal(t.strip());
            return NumberValue.of(d);
          } catch (NumberFormatException e2) {
            throw BuiltinException.error("invalid syntax");
          }
        }
      }
      throw BuiltinException.operandType(1, v, "null", "boolean", "number", "string");
    }));
    b.add(new Walk());
    return b;
  }

  private static long sliceIndex(Value[] a, int i) {
    NumberValue n = Args.num(a, i);
    if (!n.isInteger()) {
      throw BuiltinException.operandType(i + 1, a[i], "integer");
    }
    return n.isLong() ? n.longValue() : (n.signum() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE);
  }

  private static Value extreme(Value[] a, int sign) {
    Value best = null;
    for (Value v : Args.collection(a, 0)) {
      if (best == null || v.compareTo(best) * sign > 0) {
        best = v;
      }
    }
    return best;
  }

  private static List<Value> keysOf(Value[] a, int i) {
    List<Value> keys = new ArrayList<>();
    Value k = a[i];
    if (k instanceof ArrayValue arr) {
      keys.addAll(arr.elements());
    } else if (k instanceof SetValue s) {
      keys.addAll(s.sorted());
    } else if (k instanceof ObjectValue o) {
      keys.addAll(o.keys());
    } else {
      throw BuiltinException.operandType(i + 1, k, "object", "set", "array");
    }
    return keys;
  }

  /** object.union: b wins; nested objects merge recursively. */
  static ObjectValue mergeObjects(ObjectValue a, ObjectValue b) {
    ObjectValue.Builder out = ObjectValue.builder();
    a.forEach(out::put);
    b.forEach((k, v) -> {
      Value prev = out.get(k);
      if (prev instanceof ObjectValue po && v instanceof ObjectValue vo) {
        out.put(k, mergeObjects(po, vo));
      } else {
        out.put(k, v);
      }
    });
    return out.build();
  }

  private static boolean subset(Value sup, Value sub) {
    if (sup instanceof ObjectValue so && sub instanceof ObjectValue bo) {
      for (Value k : bo.keys()) {
        Value sv = so.get(k);
        Value bv = bo.get(k);
        if (sv == null) {
          return false;
        }
        if (sv instanceof ObjectValue && bv instanceof ObjectValue || sv instanceof SetValue && bv instanceof SetValue) {
          if (!subset(sv, bv)) {
            return false;
          }
        } else if (!sv.equals(bv)) {
          return false;
        }
      }
      return true;
    }
    if (sup instanceof SetValue ss && sub instanceof SetValue bs) {
      for (Value v : bs) {
        if (!ss.contains(v)) {
          return false;
        }
      }
      return true;
    }
    if (sup instanceof ArrayValue sa && sub instanceof ArrayValue ba) {
      // a contiguous sub-array
      int n = sa.size();
      int m = ba.size();
      if (m == 0) {
        return true;
      }
      for (int i = 0; i + m <= n; i++) {
        boolean ok = true;
        for (int j = 0; j < m && ok; j++) {
          ok = sa.get(i + j).equals(ba.get(j));
        }
        if (ok) {
          return true;
        }
      }
      return false;
    }
    if (sup instanceof ArrayValue sa && sub instanceof SetValue bs) {
      for (Value v : bs) {
        if (!Operators.member(v, sa)) {
          return false;
        }
      }
      return true;
    }
    return false;
  }

  /** walk(x): yields [path, value] for x and every nested document, depth-first in sorted order. */
  static final class Walk implements RelationBuiltin {
    @Override public String name() { return "walk"; }

    @Override
    public Type.Func decl() {
      return func(Types.tuple(ANY_ARRAY, ANY), ANY);
    }

    @Override
    public List<String> categories() {
      return List.of("graph");
    }

    @Override
    public void each(BuiltinContext ctx, Value[] args, Predicate<Value> emit) {
      walk(new ArrayList<>(), args[0], emit);
    }

    private boolean walk(List<Value> path, Value v, Predicate<Value> emit) {
      if (!emit.test(ArrayValue.of(ArrayValue.of(path), v))) {
        return false;
      }
      if (v instanceof ArrayValue a) {
        for (int i = 0; i < a.size(); i++) {
          path.add(NumberValue.of(i));
          boolean go = walk(path, a.get(i), emit);
          path.remove(path.size() - 1);
          if (!go) {
            return false;
          }
        }
      } else if (v instanceof ObjectValue o) {
        for (Value k : o.keys()) {
          path.add(k);
          boolean go = walk(path, o.get(k), emit);
          path.remove(path.size() - 1);
          if (!go) {
            return false;
          }
        }
      } else if (v instanceof SetValue s) {
        for (Value m : s) {
          path.add(m);
          boolean go = walk(path, m, emit);
          path.remove(path.size() - 1);
          if (!go) {
            return false;
          }
        }
      }
      return true;
    }
  }
}
