package dev.gatehouse.engine.ast;

import java.util.List;
import java.util.stream.Collectors;

/** An object literal; keys and values may be non-ground. Entries keep source order. */
public record ObjectTerm(List<Entry> entries, Location location) implements Term {
  public record Entry(Term key, Term value) {}

  public ObjectTerm {
    entries = List.copyOf(entries);
  }

  @Override
  public boolean isGround() {
    return entries.stream().allMatch(e -> e.key().isGround() && e.value().isGround());
  }

  @Override public boolean equals(Object o) { return o instanceof ObjectTerm t && t.entries.equals(entries); }

  @Override public int hashCode() { return entries.hashCode() * 31 + 5; }

  @Override
  public String toString() {
    return entries.stream().map(e -> e.key() + ": " + e.value()).collect(Collectors.joining(", ", "{", "}"));
  }
}
