package dev.gatehouse.engine.bundle;

import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.Value;

/** Deep merge of data documents: objects merge key by key; any other clash is a conflict. */
final class DataMerge {
  private DataMerge() {}

  /**
   * The merge of a and b, or null when both define a non-object value at the same path. One
   * builder for the whole merge (linear; a copy per key was quadratic), giving the same object a
   * chain of {@code with} gives: a's keys in place, b's new keys after them in sorted order.
   */
  static ObjectValue merge(ObjectValue a, ObjectValue b) {
    if (b.isEmpty()) {
      return a;
    }
    ObjectValue.Builder out = ObjectValue.builder();
    a.asMap().forEach(out::put);
    for (Value k : b.keys()) {
      Value existing = a.get(k);
      Value incoming = b.get(k);
      if (existing == null) {
        out.put(k, incoming);
      } else if (existing instanceof ObjectValue eo && incoming instanceof ObjectValue io) {
        ObjectValue m = merge(eo, io);
        if (m == null) {
          return null;
        }
        out.put(k, m);
      } else {
        return null;
      }
    }
    return out.build();
  }
}
