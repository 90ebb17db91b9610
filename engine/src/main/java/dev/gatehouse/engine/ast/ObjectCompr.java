package dev.gatehouse.engine.ast;

/** {@code {key: value | body}}. */
public record ObjectCompr(Term key, Term value, Body body, Location location) implements Term {
  @Override public boolean isGround() { return false; }

  @Override
  public boolean equals(Object o) {
    return o instanceof ObjectCompr c && c.key.equals(key) && c.value.equals(value) && c.body.equals(body);
  }

  @Override public int hashCode() { return (key.hashCode() * 31 + value.hashCode()) * 31 + body.hashCode(); }

  @Override public String toString() { return "{" + key + ": " + value + " | " + body + "}"; }
}
