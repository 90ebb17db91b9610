package dev.gatehouse.controlplane.policy;

import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The roots a policies bundle claims for its data. */
final class DataTree {
  private DataTree() {}

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
