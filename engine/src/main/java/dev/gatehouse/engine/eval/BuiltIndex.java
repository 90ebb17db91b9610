package dev.gatehouse.engine.eval;

import dev.gatehouse.engine.compile.DataIndex;
import dev.gatehouse.engine.value.ArrayValue;
import dev.gatehouse.engine.value.NumberValue;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.SetValue;
import dev.gatehouse.engine.value.Value;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The run-time half of a {@link DataIndex} plan: one built index over the policy's base data,
 * the members in iteration order ({@code keys[pos]} the keys their wildcards took,
 * {@code values[pos]} the member); groups hold positions, ascending. Immutable once built.
 */
final class BuiltIndex {
  final Value data;
  final Map<Object, int[]> groups;
  final Value[][] keys;
  final Value[] values;

  BuiltIndex(Value data, Map<Object, int[]> groups, Value[][] keys, Value[] values) {
    this.data = data;
    this.groups = groups;
    this.keys = keys;
    this.values = values;
  }

  /** The number of members indexed (for profiles and memory reports). */
  int size() {
    return values.length;
  }

  /**
   * The index on the first {@code n} fields of a plan over the policy's base data, built at first
   * use. The policy builds each shape once; the plan's slot only saves the policy's map lookup (a
   * racy read sees null or a complete, immutable index).
   */
  static BuiltIndex of(CompiledPolicy policy, DataIndex plan, int n) {
    BuiltIndex b = (BuiltIndex) plan.built[n - 1];
    Value data = policy.data();
    if (b != null && b.data == data) {
      return b;
    }
    DataIndex.Shape shape = plan.shape(n);
    b = policy.dataIndex(shape, () -> build(data, shape));
    plan.built[n - 1] = b;
    return b;
  }

  /** Builds the index for a shape over base data: one pass over the members. */
  static BuiltIndex build(Value data, DataIndex.Shape shape) {
    List<Value[]> keys = new ArrayList<>();
    List<Value> values = new ArrayList<>();
    int wildcards = 0;
    for (Value s : shape.steps()) {
      wildcards += s == DataIndex.ANY ? 1 : 0;
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
    return new BuiltIndex(data, groups, keys.toArray(new Value[0][]), values.toArray(new Value[0]));
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
    if (step != DataIndex.ANY) {
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
    if (step != DataIndex.ANY) {
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
