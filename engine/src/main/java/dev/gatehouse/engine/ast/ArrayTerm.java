package dev.gatehouse.engine.ast;

import java.util.List;

/** An array literal whose elements may be non-ground. */
public record ArrayTerm(List<Term> elements, Location location) implements Term {
  public ArrayTerm {
    elements = List.copyOf(elements);
  }

  @Override
  public boolean isGround() {
    return elements.stream().allMatch(Term::isGround);
  }

  @Override public boolean equals(Object o) { return o instanceof ArrayTerm a && a.elements.equals(elements); }

  @Override public int hashCode() { return elements.hashCode() * 31 + 4; }

  @Override public String toString() { return elements.toString(); }
}
