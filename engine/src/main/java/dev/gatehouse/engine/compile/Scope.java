package dev.gatehouse.engine.compile;

import java.util.HashMap;
import java.util.Map;

/** Name → slot for one lexical scope (rule body, comprehension, every body); parents are outer scopes. */
class Scope {
  final Scope parent;
  private final Map<String, Integer> names = new HashMap<>();
  final java.util.BitSet own = new java.util.BitSet();

  Scope(Scope parent) {
    this.parent = parent;
  }

  Integer lookup(String name) {
    for (Scope s = this; s != null; s = s.parent) {
      Integer slot = s.names.get(name);
      if (slot != null) {
        return slot;
      }
    }
    return null;
  }

  boolean declaredHere(String name) {
    return names.containsKey(name);
  }

  void declare(String name, int slot) {
    names.put(name, slot);
    own.set(slot);
  }
}
