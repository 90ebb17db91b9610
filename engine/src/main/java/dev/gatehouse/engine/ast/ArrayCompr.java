package dev.gatehouse.engine.ast;

/** {@code [head | body]}. */
public record ArrayCompr(Term head, Body body, Location location) implements Term {
  @Override public boolean isGround() { return false; }

  @Override public boolean equals(Object o) { return o instanceof ArrayCompr c && c.head.equals(head) && c.body.equals(body); }

  @Override public int hashCode() { return head.hashCode() * 31 + body.hashCode(); }

  @Override public String toString() { return "[" + head + " | " + body + "]"; }
}
