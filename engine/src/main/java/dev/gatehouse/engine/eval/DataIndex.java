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
 * <p>The plan: iterate the members of base data at {@code steps} (constant keys from data's root,
 * then constant keys and wildcards: {@code data.c[_]}, {@code data.inventory.namespace[_][v].Ingress[n]}),
 * binding {@code vars[w]} to the key each wildcard {@code w} takes (absent entries bind nothing)
 * and {@code valueVar} to the member, but only members whose fields at {@code fields[i]}
 * (constants, and wildcards for any element: {@code g.spec.rules[_].host}) can equal the value
 * of {@code known[i]}. Those equalities stay in the body and
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
  /** A wildcard in {@link #steps} or in a field path. */
  static final Value ANY = null;

  final Value[] steps;
  final Ir.Local[] vars;
  final Ir.Local valueVar;
  final Value[][] fields;
  final Ir.T[] known;
  final boolean thenOriginal;
  /** The index over the first n fields, at n - 1 (fewer when a later equality binds its variable). */
  private final Shape[] shapes;
  private final Built[] built;

  DataIndex(Value[] steps, Ir.Local[] vars, Ir.Local valueVar, Value[][] fields, Ir.T[] known, boolean thenOriginal) {
    this.steps = steps;
    this.vars = vars;
    this.valueVar = valueVar;
    this.fields = fields;
    this.known = known;
    this.thenOriginal = thenOriginal;
    this.shapes = new Shape[fields.length];
    List<List<Value>> fs = new ArrayList<>();
    for (int i = 0; i < fields.length; i++) {
      fs.add(Arrays.asList(fields[i].clone()));
      shapes[i] = new Shape(Arrays.asList(steps.clone()), List.copyOf(fs));
    }
    this.built = new Built[fields.length];
  }

  /** What an index is built over: shared by plans that iterate the same members on the same fields. */
  record Shape(List<Value> steps, List<List<Value>> fields) {}

  /**
   * One built index: the members in iteration order ({@code keys[pos]} the keys their wildcards
   * took, {@code values[pos]} the member); groups hold positions, ascending.
   */
  static final class Built {
    final Value data;
    final Map<Object, int[]> groups;
    final Value[][] keys;
    final Value[] values;

    Built(Value data, Map<Object, int[]> groups, Value[][] keys, Value[] values) {
      this.data = data;
      this.groups = groups;
      this.keys = keys;
      this.values = values;
    }

    /** The number of members indexed (for profiles and memory reports). */
    int size() {
      return values.length;
    }
  }

  /** A short description for profiles: {@code data.grants[_] on .subject, .service}. */
  public String describe() {
    StringBuilder sb = new StringBuilder("data");
    path(sb, steps);
    sb.append(" on ");
    for (int i = 0; i < fields.length; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      if (fields[i].length == 0) {
        sb.append("the member");
      }
      path(sb, fields[i]);
    }
    return sb.toString();
  }

  private static void path(StringBuilder sb, Value[] steps) {
    for (Value f : steps) {
      sb.append(f == ANY ? "[_]" : f instanceof StringValue s ? "." + s.value() : "[" + f + "]");
    }
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

  /** Builds the index for a shape over base data: one pass over the members. */
  static Built build(Value data, Shape shape) {
    List<Value[]> keys = new ArrayList<>();
    List<Value> values = new ArrayList<>();
    int wildcards = 0;
    for (Value s : shape.steps()) {
      wildcards += s == ANY ? 1 : 0;
    }
    members(data, shape.steps(), 0, new Value[wildcards], 0, keys, values);
    Map<Object, int[]> groups = new HashMap<>();
    Map<Object, Integer> sizes = new HashMap<>();
    List<List<Value>> fields = shape.fields();
    for (int pos = 0; pos < values.size(); pos++) {
      List<List<Value>> perField = new ArrayList<>(fields.size());
      for (List<Value> field : fields) {
        List<Value> vs = new ArrayList<>(1);
        fieldValues(values.get(pos), field, 0, vs);
        if (vs.isEmpty()) {
          break;
        }
        perField.add(vs);
      }
      if (perField.size() == fields.size()) {
        addCombinations(perField, 0, new Value[fields.size()], pos, groups, sizes);
      }
    }
    for (Map.Entry<Object, int[]> e : groups.entrySet()) {
      int size = sizes.get(e.getKey());
      if (size != e.getValue().length) {
        e.setValue(Arrays.copyOf(e.getValue(), size));
      }
    }
    return new Built(data, groups, keys.toArray(new Value[0][]), values.toArray(new Value[0]));
  }

  /**
   * Enumerates the members at steps in the order the evaluator iterates them: constant steps
   * read object keys (the path is strings only), wildcards iterate arrays by position, objects by
   * key and sets by member.
   */
  private static void members(Value v, List<Value> steps, int i, Value[] bound, int w, List<Value[]> keys,
      List<Value> values) {
    if (i == steps.size()) {
      keys.add(bound.clone());
      values.add(v);
      return;
    }
    Value step = steps.get(i);
    if (step != ANY) {
      Value next = Evaluator.lookup(v, step);
      if (next != null) {
        members(next, steps, i + 1, bound, w, keys, values);
      }
      return;
    }
    if (v instanceof ArrayValue a) {
      for (int j = 0; j < a.size(); j++) {
        bound[w] = NumberValue.of(j);
        members(a.get(j), steps, i + 1, bound, w + 1, keys, values);
      }
    } else if (v instanceof ObjectValue o) {
      for (Value k : o.keys()) {
        bound[w] = k;
        members(o.get(k), steps, i + 1, bound, w + 1, keys, values);
      }
    } else if (v instanceof SetValue s) {
      for (Value m : s) {
        bound[w] = m;
        members(m, steps, i + 1, bound, w + 1, keys, values);
      }
    }
  }

  /** Every value a field path reads from a member (a wildcard reads every element). */
  private static void fieldValues(Value v, List<Value> field, int i, List<Value> out) {
    if (i == field.size()) {
      if (!out.contains(v)) {
        out.add(v);
      }
      return;
    }
    Value step = field.get(i);
    if (step != ANY) {
      Value next = Evaluator.lookup(v, step);
      if (next != null) {
        fieldValues(next, field, i + 1, out);
      }
    } else if (v instanceof ArrayValue a) {
      for (int j = 0; j < a.size(); j++) {
        fieldValues(a.get(j), field, i + 1, out);
      }
    } else if (v instanceof ObjectValue o) {
      for (Value k : o.keys()) {
        fieldValues(o.get(k), field, i + 1, out);
      }
    } else if (v instanceof SetValue s) {
      for (Value m : s) {
        fieldValues(m, field, i + 1, out);
      }
    }
  }

  /** Puts the member at pos into the group of every combination of its field values, once each. */
  private static void addCombinations(List<List<Value>> perField, int i, Value[] combo, int pos,
      Map<Object, int[]> groups, Map<Object, Integer> sizes) {
    if (i == perField.size()) {
      Object key = combo.length == 1 ? combo[0] : Arrays.asList(combo.clone());
      int[] g = groups.get(key);
      int size = g == null ? 0 : sizes.get(key);
      if (size > 0 && g[size - 1] == pos) {
        return;
      }
      if (g == null) {
        g = new int[1];
      } else if (size == g.length) {
        g = Arrays.copyOf(g, size * 2);
      }
      g[size] = pos;
      groups.put(key, g);
      sizes.put(key, size + 1);
      return;
    }
    for (Value v : perField.get(i)) {
      combo[i] = v;
      addCombinations(perField, i + 1, combo, pos, groups, sizes);
    }
  }
}
