package dev.gatehouse.engine.bundle;

import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.Value;

/** Deep merge of data documents: objects merge key by key; any other clash is a conflict. */
final class DataMerge {
  private DataMerge() {}

  /** The merge of a and b, or null when both define a non-object value at the same path. */
  static ObjectValue merge(ObjectValue a, ObjectValue b) {
    ObjectValue out = a;
    for (Value k : b.keys()) {
      Value existing = out.get(k);
      Value incoming = b.get(k);
      if (existing == null) {
        out = out.with(k, incoming);
      } else if (existing instanceof ObjectValue eo && incoming instanceof ObjectValue io) {
        ObjectValue m = merge(eo, io);
        if (m == null) {
          return null;
        }
        out = out.with(k, m);
      } else {
        return null;
      }
    }
    return out;
  }
}
