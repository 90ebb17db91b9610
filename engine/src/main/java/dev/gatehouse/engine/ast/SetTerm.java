package dev.gatehouse.engine.ast;

import java.util.List;
import java.util.stream.Collectors;

/** A set literal ({@code set()} when empty); elements may be non-ground. */
public record SetTerm(List<Term> elements, Location location) implements Term {
  public SetTerm {
    elements = List.copyOf(elements);
  }

  @Override
  public boolean isGround() {
    return elements.stream().allMatch(Term::isGround);
  }

  @Override public boolean equals(Object o) { return o instanceof SetTerm s && s.elements.equals(elements); }

  @Override public int hashCode() { return elements.hashCode() * 31 + 6; }

  @Override
  public String toString() {
    return elements.isEmpty() ? "set()"
        : elements.stream().map(Term::toString).collect(Collectors.joining(", ", "{", "}"));
  }
}
