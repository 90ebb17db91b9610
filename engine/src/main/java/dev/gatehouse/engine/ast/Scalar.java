package dev.gatehouse.engine.ast;

import dev.gatehouse.engine.value.Value;

/** A ground constant: null, boolean, number or string (also used for ground composites the compiler folds). */
public record Scalar(Value value, Location location) implements Term {
  @Override public boolean isGround() { return true; }

  @Override
  public boolean equals(Object o) {
    return o instanceof Scalar s && s.value.equals(value);
  }

  @Override public int hashCode() { return value.hashCode(); }

  @Override public String toString() { return value.toString(); }
}
