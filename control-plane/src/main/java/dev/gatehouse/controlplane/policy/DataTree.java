package dev.gatehouse.controlplane.policy;

import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Placing data documents at a path, merging objects and refusing conflicting leaves (as opa's loader does). */
final class DataTree {
  private DataTree() {}

  static ObjectValue mergeAt(ObjectValue data, List<String> path, Value v, String source) throws IOException {
    Value placed = v;
    for (int i = path.size() - 1; i >= 0; i--) {
      placed = ObjectValue.of(Map.of(StringValue.of(path.get(i)), placed));
    }
    if (!(placed instanceof ObjectValue o)) {
      throw new IOException(source + ": a data file at the root must hold a JSON object");
    }
    return merge(data, o, source, "");
  }

  private static ObjectValue merge(ObjectValue a, ObjectValue b, String source, String at) throws IOException {
    ObjectValue out = a;
    for (Map.Entry<Value, Value> e : b.asMap().entrySet()) {
      Value existing = out.get(e.getKey());
      String where = at + "/" + e.getKey();
      if (existing == null) {
        out = out.with(e.getKey(), e.getValue());
      } else if (existing instanceof ObjectValue x && e.getValue() instanceof ObjectValue y) {
        out = out.with(e.getKey(), merge(x, y, source, where));
      } else {
        throw new IOException(source + ": data conflict at " + where);
      }
    }
    return out;
  }

  /** The data paths a bundle of this data owns: top-level keys, and {@code gatehouse/<key>} below gatehouse. */
  static List<String> roots(ObjectValue data) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<Value, Value> e : data.asMap().entrySet()) {
      String k = ((StringValue) e.getKey()).value();
      if (k.equals("gatehouse") && e.getValue() instanceof ObjectValue g) {
        for (Value sub : g.keys()) {
          out.add("gatehouse/" + ((StringValue) sub).value());
        }
      } else {
        out.add(k);
      }
    }
    return out;
  }
}
