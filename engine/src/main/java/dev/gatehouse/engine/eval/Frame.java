package dev.gatehouse.engine.eval;

import dev.gatehouse.engine.value.Value;

/** Slot bindings of one rule/query evaluation, with a trail so backtracking can undo bindings. */
final class Frame {
  final Value[] vals;
  private int[] trail = new int[8];
  private int size;

  Frame(int slots) {
    vals = new Value[slots];
  }

  Value get(int slot) {
    return vals[slot];
  }

  void bind(int slot, Value v) {
    vals[slot] = v;
    if (size == trail.length) {
      trail = java.util.Arrays.copyOf(trail, size * 2);
    }
    trail[size++] = slot;
  }

  int mark() {
    return size;
  }

  void undo(int mark) {
    while (size > mark) {
      vals[trail[--size]] = null;
    }
  }
}
