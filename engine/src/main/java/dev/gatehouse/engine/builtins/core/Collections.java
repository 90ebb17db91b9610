package dev.gatehouse.engine.builtins.core;

import static dev.gatehouse.engine.builtins.core.Def.def;
import static dev.gatehouse.engine.types.Types.ANY;
import static dev.gatehouse.engine.types.Types.ANY_ARRAY;
import static dev.gatehouse.engine.types.Types.ANY_OBJECT;
import static dev.gatehouse.engine.types.Types.ANY_SET;
import static dev.gatehouse.engine.types.Types.BOOLEAN;
import static dev.gatehouse.engine.types.Types.NULL;
import static dev.gatehouse.engine.types.Types.NUMBER;
import static dev.gatehouse.engine.types.Types.STRING;
import static dev.gatehouse.engine.types.Types.any;
import static dev.gatehouse.engine.types.Types.arrayOf;
import static dev.gatehouse.engine.types.Types.setOf;
import static dev.gatehouse.engine.types.Types.tuple;

import dev.gatehouse.engine.builtins.Builtin;
import dev.gatehouse.engine.builtins.BuiltinContext;
import dev.gatehouse.engine.builtins.BuiltinException;
import dev.gatehouse.engine.value.ArrayValue;
import dev.gatehouse.engine.value.BooleanValue;
import dev.gatehouse.engine.value.NullValue;
import dev.gatehouse.engine.value.NumberValue;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.SetValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/** Aggregates, arrays, sets, objects, type checks, casts and walk. */
final class Collections {
  private Collections() {}

  static List<Builtin> all() {
    return List.of(
        def("count", "Count takes a collection or string and returns the number of elements (or characters) in "
                + "it.")
            .categories("aggregates")
            .arg("collection", "the set/array/object/string to be counted", any(STRING, ANY_ARRAY, ANY_OBJECT, ANY_SET))
            .returns("n", "the count of elements, key/val pairs, or characters, respectively.", NUMBER)
            .impl(Collections::count),
        def("sum", "Sums elements of an array or set of numbers.")
            .categories("aggregates")
            .arg("collection", "the set or array of numbers to sum", any(arrayOf(NUMBER), setOf(NUMBER)))
            .returns("n", "the sum of all elements", NUMBER)
            .impl(Collections::sum),
        def("product", "Multiplies elements of an array or set of numbers")
            .categories("aggregates")
            .arg("collection", "the set or array of numbers to multiply", any(arrayOf(NUMBER), setOf(NUMBER)))
            .returns("n", "the product of all elements", NUMBER)
            .impl(Collections::product),
        def("max", "Returns the maximum value in a collection.")
            .categories("aggregates")
            .arg("collection", "the set or array to be searched", any(ANY_ARRAY, ANY_SET))
            .returns("n", "the maximum of all elements", ANY)
            .impl((c, a) -> extreme(a, 1)),
        def("min", "Returns the minimum value in a collection.")
            .categories("aggregates")
            .arg("collection", "the set or array to be searched", any(ANY_ARRAY, ANY_SET))
            .returns("n", "the minimum of all elements", ANY)
            .impl((c, a) -> extreme(a, -1)),
        def("sort", "Returns a sorted array.")
            .categories("aggregates")
            .arg("collection", "the array or set to be sorted", any(ANY_ARRAY, ANY_SET))
            .returns("n", "the sorted array", ANY_ARRAY)
            .impl(Collections::sort),
        def("all")
            .arg(any(ANY_ARRAY, ANY_SET))
            .returns(BOOLEAN)
            .deprecated()
            .impl(Collections::allTrue),
        def("any")
            .arg(any(ANY_ARRAY, ANY_SET))
            .returns(BOOLEAN)
            .deprecated()
            .impl(Collections::anyTrue),
        def("array.concat", "Concatenates two arrays.")
            .arg("x", "the first array", ANY_ARRAY)
            .arg("y", "the second array", ANY_ARRAY)
            .returns("z", "the concatenation of `x` and `y`", ANY_ARRAY)
            .impl(Collections::concat),
        def("array.flatten", "Non-recursively unpacks array items in arr into the flattened array. Other types are "
                + "appended as-is.")
            .arg("arr", "the array to be flattened", ANY_ARRAY)
            .returns("flattened", "array flattened one level", ANY_ARRAY)
            .impl(Collections::flatten),
        def("array.reverse", "Returns the reverse of a given array.")
            .arg("arr", "the array to be reversed", ANY_ARRAY)
            .returns("rev", "an array containing the elements of `arr` in reverse order", ANY_ARRAY)
            .impl(Collections::reverse),
        def("array.slice", "Returns a slice of a given array. If `start` is greater or equal than `stop`, `slice` is "
                + "`[]`.")
            .arg("arr", "the array to be sliced", ANY_ARRAY)
            .arg("start", "the start index of the returned slice; if less than zero, it's clamped to 0", NUMBER)
            .arg("stop", "the stop index of the returned slice; if larger than `count(arr)`, it's clamped to "
                + "`count(arr)`", NUMBER)
            .returns("slice", "the subslice of `array`, from `start` to `end`, including `arr[start]`, but excluding "
                + "`arr[end]`", ANY_ARRAY)
            .impl(Collections::slice),
        def("intersection", "Returns the intersection of the given input sets.")
            .categories("sets")
            .arg("xs", "set of sets to intersect", setOf(ANY_SET))
            .returns("y", "the intersection of all `xs` sets", ANY_SET)
            .impl(Collections::intersection),
        def("union", "Returns the union of the given input sets.")
            .categories("sets")
            .arg("xs", "set of sets to merge", setOf(ANY_SET))
            .returns("y", "the union of all `xs` sets", ANY_SET)
            .impl(Collections::union),
        def("set_diff")
            .arg(ANY_SET)
            .arg(ANY_SET)
            .returns(ANY_SET)
            .deprecated()
            .impl((c, a) -> Args.set(a, 0).minus(Args.set(a, 1))),
        def("object.filter", "Filters the object by keeping only specified keys. For example: `object.filter({\"a\": "
                + "{\"b\": \"x\", \"c\": \"y\"}, \"d\": \"z\"}, [\"a\"])` will result in `{\"a\": {\"b\": "
                + "\"x\", \"c\": \"y\"}}`).")
            .arg("object", "object to filter keys", ANY_OBJECT)
            .arg("keys", "keys to keep in `object`", any(ANY_ARRAY, ANY_OBJECT, ANY_SET))
            .returns("filtered", "remaining data from `object` with only keys specified in `keys`", ANY_OBJECT)
            .impl(Collections::objectFilter),
        def("object.get", "Returns value of an object's key if present, otherwise a default. If the supplied `key` is "
                + "an `array`, then `object.get` will search through a nested object or array using each key "
                + "in turn. For example: `object.get({\"a\": [{ \"b\": true }]}, [\"a\", 0, \"b\"], false)` "
                + "results in `true`.")
            .arg("object", "object to get `key` from", ANY_OBJECT)
            .arg("key", "key to lookup in `object`", ANY)
            .arg("default", "default to use when lookup fails", ANY)
            .returns("value", "`object[key]` if present, otherwise `default`", ANY)
            .impl(Collections::objectGet),
        def("object.keys", "Returns a set of an object's keys. For example: `object.keys({\"a\": 1, \"b\": true, "
                + "\"c\": \"d\")` results in `{\"a\", \"b\", \"c\"}`.")
            .arg("object", "object to get keys from", ANY_OBJECT)
            .returns("value", "set of `object`'s keys", ANY_SET)
            .impl((c, a) -> SetValue.of(Args.obj(a, 0).keys())),
        def("object.remove", "Removes specified keys from an object.")
            .arg("object", "object to remove keys from", ANY_OBJECT)
            .arg("keys", "keys to remove from x", any(ANY_ARRAY, ANY_OBJECT, ANY_SET))
            .returns("output", "result of removing the specified `keys` from `object`", ANY_OBJECT)
            .impl(Collections::objectRemove),
        def("object.subset", "Determines if an object `sub` is a subset of another object `super`.Object `sub` is a "
                + "subset of object `super` if and only if every key in `sub` is also in `super`, **and** for "
                + "all keys which `sub` and `super` share, they have the same value. This function works with "
                + "objects, sets, arrays and a set of array and set.If both arguments are objects, then the "
                + "operation is recursive, e.g. `{\"c\": {\"x\": {10, 15, 20}}` is a subset of `{\"a\": "
                + "\"b\", \"c\": {\"x\": {10, 15, 20, 25}, \"y\": \"z\"}`. If both arguments are sets, then "
                + "this function checks if every element of `sub` is a member of `super`, but does not "
                + "attempt to recurse. If both arguments are arrays, then this function checks if `sub` "
                + "appears contiguously in order within `super`, and also does not attempt to recurse. If "
                + "`super` is array and `sub` is set, then this function checks if `super` contains every "
                + "element of `sub` with no consideration of ordering, and also does not attempt to recurse.")
            .arg("super", "object to test if sub is a subset of", any(ANY_ARRAY, ANY_OBJECT, ANY_SET))
            .arg("sub", "object to test if super is a superset of", any(ANY_ARRAY, ANY_OBJECT, ANY_SET))
            .returns("result", "`true` if `sub` is a subset of `super`, otherwise undefined", BOOLEAN)
            .impl(Collections::objectSubset),
        def("object.union", "Creates a new object of the asymmetric union of two objects. For example: "
                + "`object.union({\"a\": 1, \"b\": 2, \"c\": {\"d\": 3}}, {\"a\": 7, \"c\": {\"d\": 4, \"e\": "
                + "5}})` will result in `{\"a\": 7, \"b\": 2, \"c\": {\"d\": 4, \"e\": 5}}`.")
            .arg("a", "left-hand object", ANY_OBJECT)
            .arg("b", "right-hand object", ANY_OBJECT)
            .returns("output", "a new object which is the result of an asymmetric recursive union of two objects where "
                + "conflicts are resolved by choosing the key from the right-hand object `b`", ANY_OBJECT)
            .impl((c, a) -> union(Args.obj(a, 0), Args.obj(a, 1))),
        def("object.union_n", "Creates a new object that is the asymmetric union of all objects merged from left to "
                + "right. For example: `object.union_n([{\"a\": 1}, {\"b\": 2}, {\"a\": 3}])` will result in "
                + "`{\"b\": 2, \"a\": 3}`.")
            .arg("objects", "list of objects to merge", arrayOf(ANY_OBJECT))
            .returns("output", "asymmetric recursive union of all objects in `objects`, merged from left to right, where "
                + "conflicts are resolved by choosing the key from the right-hand object", ANY_OBJECT)
            .impl(Collections::unionN),
        typeTest("is_array", "Returns `true` if the input value is an array.", "`true` if `x` is an array, `false` otherwise.", ArrayValue.class),
        typeTest("is_boolean", "Returns `true` if the input value is a boolean.", "`true` if `x` is an boolean, `false` otherwise.", BooleanValue.class),
        typeTest("is_null", "Returns `true` if the input value is null.", "`true` if `x` is null, `false` otherwise.", NullValue.class),
        typeTest("is_number", "Returns `true` if the input value is a number.", "`true` if `x` is a number, `false` otherwise.", NumberValue.class),
        typeTest("is_object", "Returns true if the input value is an object", "`true` if `x` is an object, `false` otherwise.", ObjectValue.class),
        typeTest("is_set", "Returns `true` if the input value is a set.", "`true` if `x` is a set, `false` otherwise.", SetValue.class),
        typeTest("is_string", "Returns `true` if the input value is a string.", "`true` if `x` is a string, `false` otherwise.", StringValue.class),
        def("type_name", "Returns the type of its input value.")
            .categories("types")
            .arg("x", "input value", ANY)
            .returns("type", "one of \"null\", \"boolean\", \"number\", \"string\", \"array\", \"object\", \"set\"", STRING)
            .impl((c, a) -> StringValue.of(a[0].typeName())),
        def("cast_array")
            .arg(ANY)
            .returns(ANY_ARRAY)
            .deprecated()
            .impl(Collections::castArray),
        def("cast_boolean")
            .arg(ANY)
            .returns(BOOLEAN)
            .deprecated()
            .impl((c, a) -> cast(a, BooleanValue.class, "boolean")),
        def("cast_null")
            .arg(ANY)
            .returns(NULL)
            .deprecated()
            .impl((c, a) -> cast(a, NullValue.class, "null")),
        def("cast_object")
            .arg(ANY)
            .returns(ANY_OBJECT)
            .deprecated()
            .impl((c, a) -> cast(a, ObjectValue.class, "object")),
        def("cast_set")
            .arg(ANY)
            .returns(ANY_SET)
            .deprecated()
            .impl(Collections::castSet),
        def("cast_string")
            .arg(ANY)
            .returns(STRING)
            .deprecated()
            .impl((c, a) -> cast(a, StringValue.class, "string")),
        def("to_number", "Converts value of type string, null or boolean to number. Numeric strings converts to the "
                + "corresponding number when possible. Null and boolean `false` converts to 0 and boolean "
                + "`true` to 1. Numbers are returned without conversion.")
            .categories("conversions")
            .arg("value", "value to convert", any(NULL, BOOLEAN, NUMBER, STRING))
            .returns("num", "the numeric representation of `value`", NUMBER)
            .impl(Collections::toNumber),
        def("walk", "Generates `[path, value]` tuples for all nested documents of `x` (recursively).  Queries "
                + "can use `walk` to traverse documents nested under `x`.")
            .categories("graph")
            .arg("x", "value to walk", ANY)
            .returns("output", "pairs of `path` and `value`: `path` is an array representing the pointer to `value` in "
                + "`x`. If `path` is assigned a wildcard (`_`), the `walk` function will skip path creation "
                + "entirely for faster evaluation.", tuple(ANY_ARRAY, ANY))
            .relation(Collections::walk));
  }

  /** One of the is_* builtins: OPA documents each with its own wording. */
  private static Builtin typeTest(String name, String description, String result, Class<? extends Value> type) {
    return def(name, description)
        .categories("types")
        .arg("x", "input value", ANY)
        .returns("result", result, BOOLEAN)
        .impl((c, a) -> BooleanValue.of(type.isInstance(a[0])));
  }

  private static Value count(BuiltinContext c, Value[] a) {
    Value v = a[0];
    if (v instanceof ArrayValue x) {
      return NumberValue.of(x.size());
    }
    if (v instanceof ObjectValue x) {
      return NumberValue.of(x.size());
    }
    if (v instanceof SetValue x) {
      return NumberValue.of(x.size());
    }
    if (v instanceof StringValue s) {
      return NumberValue.of(s.value().codePointCount(0, s.value().length()));
    }
    throw BuiltinException.operandType(1, v, "array", "object", "set", "string");
  }

  /** The numbers of an array or set, or OPA's element error for the first non-number. */
  private static List<NumberValue> numbers(Value[] a) {
    Iterable<Value> it;
    if (a[0] instanceof ArrayValue arr) {
      it = arr.elements();
    } else if (a[0] instanceof SetValue s) {
      it = s;
    } else {
      throw BuiltinException.operandType(1, a[0], "set", "array");
    }
    List<NumberValue> out = new ArrayList<>();
    for (Value v : it) {
      if (!(v instanceof NumberValue n)) {
        throw Args.elementType(1, a[0], v, "number");
      }
      out.add(n);
    }
    return out;
  }

  private static Value sum(BuiltinContext c, Value[] a) {
    List<NumberValue> ns = numbers(a);
    long acc = 0;
    boolean fits = true;
    for (NumberValue n : ns) {
      if (!n.isIntLiteral()) {
        fits = false;
        break;
      }
      long r = acc + n.longValue();
      if (((acc ^ r) & (n.longValue() ^ r)) < 0) {
        fits = false;
        break;
      }
      acc = r;
    }
    if (fits) {
      return NumberValue.of(acc);
    }
    BigInteger exact = BigInteger.ZERO;
    for (NumberValue n : ns) {
      if (!n.isInteger()) {
        exact = null;
        break;
      }
      exact = exact.add(n.bigIntegerValue());
    }
    if (exact != null) {
      return Arith.intToNumber(exact);
    }
    BigDecimal f = BigDecimal.ZERO;
    for (NumberValue n : ns) {
      f = Arith.round64(f.add(Arith.toFloat(n)));
    }
    return Arith.floatToNumber(f);
  }

  private static Value product(BuiltinContext c, Value[] a) {
    List<NumberValue> ns = numbers(a);
    BigInteger exact = BigInteger.ONE;
    for (NumberValue n : ns) {
      if (!n.isInteger()) {
        exact = null;
        break;
      }
      exact = exact.multiply(n.bigIntegerValue());
    }
    if (exact != null) {
      return Arith.intToNumber(exact);
    }
    // OPA multiplies into big.NewFloat(1): a 53-bit accumulator (operands parsed at 64 bits)
    BigDecimal f = BigDecimal.ONE;
    for (NumberValue n : ns) {
      f = Arith.roundBits(f.multiply(Arith.toFloat(n)), 53);
    }
    return Arith.floatToNumber(f, 53);
  }

  private static Value extreme(Value[] a, int sign) {
    Iterable<Value> it;
    if (a[0] instanceof ArrayValue arr) {
      it = arr.elements();
    } else if (a[0] instanceof SetValue s) {
      it = s;
    } else {
      throw BuiltinException.operandType(1, a[0], "set", "array");
    }
    Value best = null;
    for (Value v : it) {
      // OPA keeps the last of equal maxima and minima (1 and 1.0 compare equal)
      if (best == null || v.compareTo(best) * sign >= 0) {
        best = v;
      }
    }
    return best;
  }

  private static Value sort(BuiltinContext c, Value[] a) {
    if (a[0] instanceof ArrayValue arr) {
      Value[] out = arr.elements().toArray(new Value[0]);
      Arrays.sort(out);
      return ArrayValue.wrap(out);
    }
    if (a[0] instanceof SetValue s) {
      return ArrayValue.of(s.sorted());
    }
    throw BuiltinException.operandType(1, a[0], "set", "array");
  }

  private static Value allTrue(BuiltinContext c, Value[] a) {
    for (Value v : Args.collection(a, 0)) {
      if (!BooleanValue.TRUE.equals(v)) {
        return BooleanValue.FALSE;
      }
    }
    return BooleanValue.TRUE;
  }

  private static Value anyTrue(BuiltinContext c, Value[] a) {
    if (a[0] instanceof SetValue s) {
      return BooleanValue.of(s.contains(BooleanValue.TRUE));
    }
    for (Value v : Args.collection(a, 0)) {
      if (BooleanValue.TRUE.equals(v)) {
        return BooleanValue.TRUE;
      }
    }
    return BooleanValue.FALSE;
  }

  private static Value concat(BuiltinContext c, Value[] a) {
    ArrayValue x = Args.arr(a, 0);
    ArrayValue y = Args.arr(a, 1);
    if (x.size() == 0) {
      return y;
    }
    if (y.size() == 0) {
      return x;
    }
    Value[] out = new Value[x.size() + y.size()];
    for (int i = 0; i < x.size(); i++) {
      out[i] = x.get(i);
    }
    for (int i = 0; i < y.size(); i++) {
      out[x.size() + i] = y.get(i);
    }
    return ArrayValue.wrap(out);
  }

  private static Value flatten(BuiltinContext c, Value[] a) {
    ArrayValue x = Args.arr(a, 0);
    List<Value> out = new ArrayList<>(x.size());
    boolean nested = false;
    for (Value v : x.elements()) {
      if (v instanceof ArrayValue inner) {
        nested = true;
        out.addAll(inner.elements());
      } else {
        out.add(v);
      }
    }
    return nested ? ArrayValue.of(out) : x;
  }

  private static Value reverse(BuiltinContext c, Value[] a) {
    ArrayValue x = Args.arr(a, 0);
    int n = x.size();
    if (n <= 1) {
      return x;
    }
    Value[] out = new Value[n];
    for (int i = 0; i < n; i++) {
      out[i] = x.get(n - 1 - i);
    }
    return ArrayValue.wrap(out);
  }

  private static Value slice(BuiltinContext c, Value[] a) {
    ArrayValue x = Args.arr(a, 0);
    long start = Args.intOperand(a, 1);
    long stop = Args.intOperand(a, 2);
    int n = x.size();
    stop = Math.max(0, Math.min(stop, n));
    start = Math.max(0, Math.min(start, stop));
    if (start == 0 && stop >= n) {
      return x;
    }
    return x.slice((int) start, (int) stop);
  }

  private static Value intersection(BuiltinContext c, Value[] a) {
    SetValue sets = Args.set(a, 0);
    SetValue acc = null;
    for (Value v : sets) {
      if (!(v instanceof SetValue s)) {
        throw BuiltinException.operandType(1, v, "set");
      }
      acc = acc == null ? s : acc.intersect(s);
    }
    return acc == null ? SetValue.EMPTY : acc;
  }

  private static Value union(BuiltinContext c, Value[] a) {
    SetValue sets = Args.set(a, 0);
    for (Value v : sets) {
      if (!(v instanceof SetValue)) {
        throw BuiltinException.operandType(1, v, "set");
      }
    }
    SetValue.Builder out = SetValue.builder();
    for (Value v : sets) {
      out.addAll((SetValue) v);
    }
    return out.build();
  }

  /** The keys operand of object.remove / object.filter: an array's elements, a set, or an object's keys. */
  private static SetValue keysParam(Value[] a) {
    Value k = a[1];
    if (k instanceof ArrayValue arr) {
      return SetValue.of(arr.elements());
    }
    if (k instanceof SetValue s) {
      return s;
    }
    if (k instanceof ObjectValue o) {
      return SetValue.of(o.keys());
    }
    throw BuiltinException.operandType(2, k, "object", "set", "array");
  }

  private static Value objectRemove(BuiltinContext c, Value[] a) {
    ObjectValue o = Args.obj(a, 0);
    SetValue keys = keysParam(a);
    ObjectValue.Builder out = ObjectValue.builder();
    o.forEach((k, v) -> {
      if (!keys.contains(k)) {
        out.put(k, v);
      }
    });
    return out.build();
  }

  private static Value objectFilter(BuiltinContext c, Value[] a) {
    ObjectValue o = Args.obj(a, 0);
    SetValue keys = keysParam(a);
    ObjectValue.Builder out = ObjectValue.builder();
    for (Value k : keys) {
      Value v = o.get(k);
      if (v != null) {
        out.put(k, v);
      }
    }
    return out.build();
  }

  private static Value objectGet(BuiltinContext c, Value[] a) {
    ObjectValue o = Args.obj(a, 0);
    if (!(a[1] instanceof ArrayValue path)) {
      Value v = o.get(a[1]);
      return v == null ? a[2] : v;
    }
    Value cur = o;
    for (int i = 0; i < path.size() && cur != null; i++) {
      cur = get(cur, path.get(i));
    }
    return cur == null ? a[2] : cur;
  }

  /** OPA's Term.Get: object key, array index, or set member. */
  static Value get(Value coll, Value key) {
    if (coll instanceof SetValue s) {
      return s.contains(key) ? key : null;
    }
    return Operators.lookup(coll, key);
  }

  /** object.union: b wins; values that are objects on both sides merge recursively. */
  static ObjectValue union(ObjectValue a, ObjectValue b) {
    if (a.isEmpty()) {
      return b;
    }
    if (b.isEmpty() || a.equals(b)) {
      return a;
    }
    ObjectValue.Builder out = ObjectValue.builder();
    a.forEach(out::put);
    b.forEach((k, v) -> {
      Value prev = out.get(k);
      if (prev instanceof ObjectValue po && v instanceof ObjectValue vo) {
        out.put(k, union(po, vo));
      } else {
        out.put(k, v);
      }
    });
    return out.build();
  }

  private static Value unionN(BuiltinContext c, Value[] a) {
    ArrayValue arr = Args.arr(a, 0);
    for (Value v : arr.elements()) {
      if (!(v instanceof ObjectValue)) {
        throw Args.elementType(1, arr, v, "object");
      }
    }
    ObjectValue acc = ObjectValue.EMPTY;
    for (Value v : arr.elements()) {
      acc = union(acc, (ObjectValue) v);
    }
    return acc;
  }

  private static Value objectSubset(BuiltinContext c, Value[] a) {
    Value sup = a[0];
    Value sub = a[1];
    if (sup instanceof ObjectValue x && sub instanceof ObjectValue y) {
      return BooleanValue.of(objectSubset(x, y));
    }
    if (sup instanceof SetValue x && sub instanceof SetValue y) {
      return BooleanValue.of(setSubset(x, y));
    }
    if (sup instanceof ArrayValue x && sub instanceof ArrayValue y) {
      return BooleanValue.of(arraySubset(x, y));
    }
    if (sup instanceof ArrayValue x && sub instanceof SetValue y) {
      return BooleanValue.of(arraySetSubset(x, y));
    }
    throw BuiltinException.typeError("both arguments object.subset must be of the same type or array and set");
  }

  private static boolean objectSubset(ObjectValue sup, ObjectValue sub) {
    for (Value k : sub.keys()) {
      Value sv = sup.get(k);
      Value bv = sub.get(k);
      if (sv == null) {
        return false;
      }
      if (bv.equals(sv)) {
        continue;
      }
      boolean ok;
      if (sv instanceof ObjectValue so && bv instanceof ObjectValue bo) {
        ok = objectSubset(so, bo);
      } else if (sv instanceof SetValue ss && bv instanceof SetValue bs) {
        ok = setSubset(ss, bs);
      } else if (sv instanceof ArrayValue sa && bv instanceof ArrayValue ba) {
        ok = arraySubset(sa, ba);
      } else {
        ok = false;
      }
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static boolean setSubset(SetValue sup, SetValue sub) {
    for (Value v : sub.asSet()) {
      if (!sup.contains(v)) {
        return false;
      }
    }
    return true;
  }

  /** True when sub appears contiguously, in order, in sup. */
  private static boolean arraySubset(ArrayValue sup, ArrayValue sub) {
    int n = sup.size();
    int m = sub.size();
    if (m > n) {
      return false;
    }
    for (int i = 0; i + m <= n; i++) {
      boolean ok = true;
      for (int j = 0; j < m && ok; j++) {
        ok = sup.get(i + j).equals(sub.get(j));
      }
      if (ok) {
        return true;
      }
    }
    return false;
  }

  /** OPA's array-and-set subset: true once every set member was seen; an empty array contains nothing. */
  private static boolean arraySetSubset(ArrayValue sup, SetValue sub) {
    int unmatched = sub.size();
    for (Value v : sup.elements()) {
      if (sub.contains(v)) {
        unmatched--;
      }
      if (unmatched == 0) {
        return true;
      }
    }
    return false;
  }

  private static Value castArray(BuiltinContext c, Value[] a) {
    if (a[0] instanceof ArrayValue) {
      return a[0];
    }
    if (a[0] instanceof SetValue s) {
      return ArrayValue.of(s.sorted());
    }
    throw BuiltinException.operandType(1, a[0], "array", "set");
  }

  private static Value castSet(BuiltinContext c, Value[] a) {
    if (a[0] instanceof ArrayValue arr) {
      return SetValue.of(arr.elements());
    }
    if (a[0] instanceof SetValue) {
      return a[0];
    }
    throw BuiltinException.operandType(1, a[0], "array", "set");
  }

  private static Value cast(Value[] a, Class<? extends Value> type, String name) {
    if (type.isInstance(a[0])) {
      return a[0];
    }
    throw BuiltinException.operandType(1, a[0], name);
  }

  private static Value toNumber(BuiltinContext c, Value[] a) {
    Value v = a[0];
    if (v instanceof NumberValue) {
      return v;
    }
    if (v instanceof NullValue) {
      return NumberValue.ZERO;
    }
    if (v instanceof BooleanValue b) {
      return b.value() ? NumberValue.ONE : NumberValue.ZERO;
    }
    if (v instanceof StringValue s) {
      return GoNumbers.parseFloatString(s.value());
    }
    throw BuiltinException.operandType(1, v, "null", "boolean", "number", "string");
  }

  /** walk(x): [path, value] for x and every document nested in it, depth first, keys in order. */
  private static void walk(BuiltinContext ctx, Value[] args, Predicate<Value> emit) {
    walk(new ArrayList<>(), args[0], emit);
  }

  private static boolean walk(List<Value> path, Value v, Predicate<Value> emit) {
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
