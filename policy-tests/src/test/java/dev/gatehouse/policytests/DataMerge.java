package dev.gatehouse.policytests;

import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;

/**
 * Merges runtime data (grants, teams, on-call) into the library's own data the way {@code opa eval
 * -d} merges several data files: objects merge key by key, and any other overlap is an error, so a
 * golden file cannot silently replace a policy setting.
 */
final class DataMerge {
  private DataMerge() {}

  static Value merge(Value base, Value extra, String where) {
    if (!(base instanceof ObjectValue b) || !(extra instanceof ObjectValue e)) {
      throw new IllegalArgumentException("conflicting values at " + where);
    }
    ObjectValue out = b;
    for (Value k : e.keys()) {
      Value existing = out.get(k);
      String at = where + "." + (k instanceof StringValue s ? s.value() : k.toString());
      out = out.with(k, existing == null ? e.get(k) : merge(existing, e.get(k), at));
    }
    return out;
  }
}
