package dev.gatehouse.engine.ast;

/** {@code with target as value}: target is a ref to input, data, a function or a builtin. */
public record With(Term target, Term value, Location location) {
  @Override public boolean equals(Object o) { return o instanceof With w && w.target.equals(target) && w.value.equals(value); }

  @Override public int hashCode() { return target.hashCode() * 31 + value.hashCode(); }

  @Override public String toString() { return "with " + target + " as " + value; }
}
