package dev.gatehouse.engine.eval;

import dev.gatehouse.engine.value.ArrayValue;
import dev.gatehouse.engine.value.NumberValue;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.SetValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The plan of one indexed iteration (made at compile time by {@link DataIndexPlanner}) and the
 * way to its index (built at run time, on first use, from the policy's base data).
 *
 * <p>The plan: iterate the collection at {@code path} in base data, binding {@code keyVar} and
 * {@code valueVar} (either may be absent) to each member, but only to members whose fields at
 * {@code fields[i]} equal the values of {@code known[i]}. Those equalities stay in the body and
 * still run for each member the index yields, so the index only skips members on which they
 * would certainly fail — and they never raise errors or bind anything, so skipping them changes
 * nothing but the time spent. When {@code thenOriginal} is set the iteration was inside the
 * indexed expression itself ({@code data.x[_].name == y}): the expression runs for each member
 * with its key variable bound.
 *
 * <p>The index: members grouped by the tuple of their field values (Value equality, as
 * {@code ==} compares), each group in the collection's iteration order, so solutions come in the
 * same order as the plain iteration's. Members lacking a field are in no group. Built once per
 * policy and field set and shared by every plan over the same collection and fields.
 */
public final class DataIndex {
  final List<String> path;
  final Ir.Local keyVar;
  final Ir.Local valueVar;
  final Value[][] fields;
  final Ir.T[] known;
  final boolean thenOriginal;
  /** The index over the first n fields, at n - 1 (fewer when a later equality binds its variable). */
  private final Shape[] shapes;
  private final Built[] built;

  DataIndex(List<String> path, Ir.Local keyVar, Ir.Local valueVar, Value[][] fields, Ir.T[] known, boolean thenOriginal) {
    this.path = List.copyOf(path);
    this.keyVar = keyVar;
    this.valueVar = valueVar;
    this.fields = fields;
    this.known = known;
    this.thenOriginal = thenOriginal;
    this.shapes = new Shape[fields.length];
    List<List<Value>> fs = new ArrayList<>();
    for (int i = 0; i < fields.length; i++) {
      fs.add(List.of(fields[i]));
      shapes[i] = new Shape(this.path, List.copyOf(fs));
    }
    this.built = new Built[fields.length];
  }

  /** What an index is built over: shared by plans that iterate the same collection on the same fields. */
  record Shape(List<String> path, List<List<Value>> fields) {}

  /**
   * One built index. {@code keys}/{@code values} hold the collection's members in iteration order
   * ({@code keys} is null for an array: the key is the position); groups hold positions.
   */
  static final class Built {
    final Value data;
    final Map<Object, int[]> groups;
    final Value[] keys;
    final Value[] values;

    Built(Value data, Map<Object, int[]> groups, Value[] keys, Value[] values) {
      this.data = data;
      this.groups = groups;
      this.keys = keys;
      this.values = values;
    }

    Value key(int pos) {
      return keys == null ? NumberValue.of(pos) : keys[pos];
    }

    /** The number of members indexed (for profiles and memory reports). */
    int size() {
      return values.length;
    }
  }

  /** A short description for profiles: {@code data.grants[_] on .subject, .service}. */
  public String describe() {
    StringBuilder sb = new StringBuilder("data");
    for (String p : path) {
      sb.append('.').append(p);
    }
    sb.append("[_] on ");
    for (int i = 0; i < fields.length; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      if (fields[i].length == 0) {
        sb.append("the member");
      }
      for (Value f : fields[i]) {
        sb.append(f instanceof StringValue s ? "." + s.value() : "[" + f + "]");
      }
    }
    return sb.toString();
  }

  /** The lookup key for the known values: the value itself for one field, a list for several. */
  Object key(Value[] knownValues) {
    return knownValues.length == 1 ? knownValues[0] : Arrays.asList(knownValues);
  }

  /**
   * The index on the first {@code n} fields over the policy's base data, built at first use. The
   * policy builds each shape once; this array only saves the policy's map lookup (a racy read
   * sees null or a complete, immutable index).
   */
  Built index(CompiledPolicy policy, int n) {
    Built b = built[n - 1];
    Value data = policy.data();
    if (b != null && b.data == data) {
      return b;
    }
    Shape shape = shapes[n - 1];
    b = policy.dataIndex(shape, () -> build(data, shape));
    built[n - 1] = b;
    return b;
  }

  /** Builds the index for a shape over base data: one pass over the collection. */
  static Built build(Value data, Shape shape) {
    Value coll = data;
    for (String p : shape.path()) {
      coll = coll instanceof ObjectValue o ? o.get(StringValue.of(p)) : null;
    }
    List<Value> keys = new ArrayList<>();
    List<Value> values = new ArrayList<>();
    boolean array = false;
    if (coll instanceof ArrayValue a) {
      array = true;
      for (int i = 0; i < a.size(); i++) {
        values.add(a.get(i));
      }
    } else if (coll instanceof ObjectValue o) {
      for (Value k : o.keys()) {
        keys.add(k);
        values.add(o.get(k));
      }
    } else if (coll instanceof SetValue s) {
      for (Value m : s) { // the order plain iteration uses
        keys.add(m);
        values.add(m);
      }
    }
    int n = shape.fields().size();
    Map<Object, int[]> groups = new HashMap<>();
    Map<Object, Integer> sizes = new HashMap<>();
    for (int pos = 0; pos < values.size(); pos++) {
      Object key = fieldKey(values.get(pos), shape, n);
      if (key != null) {
        int[] g = groups.get(key);
        int size = g == null ? 0 : sizes.get(key);
        if (g == null) {
          g = new int[1];
        } else if (size == g.length) {
          g = Arrays.copyOf(g, size * 2);
        }
        g[size] = pos;
        groups.put(key, g);
        sizes.put(key, size + 1);
      }
    }
    for (Map.Entry<Object, int[]> e : groups.entrySet()) {
      int size = sizes.get(e.getKey());
      if (size != e.getValue().length) {
        e.setValue(Arrays.copyOf(e.getValue(), size));
      }
    }
    return new Built(data, groups, array ? null : keys.toArray(new Value[0]), values.toArray(new Value[0]));
  }

  /** The member's values at the indexed fields (read as a reference reads them), or null when one is missing. */
  private static Object fieldKey(Value member, Shape shape, int n) {
    Value[] out = new Value[n];
    for (int i = 0; i < n; i++) {
      Value v = member;
      for (Value step : shape.fields().get(i)) {
        v = Evaluator.lookup(v, step);
        if (v == null) {
          return null;
        }
      }
      out[i] = v;
    }
    return n == 1 ? out[0] : Arrays.asList(out);
  }
}
