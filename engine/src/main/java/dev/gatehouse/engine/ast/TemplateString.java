package dev.gatehouse.engine.ast;

import java.util.List;

/**
 * A template string {@code $"... {expr} ..."} or {@code $`...`} (OPA 1.12+). Parts alternate
 * freely between literal text ({@link Scalar} strings, escapes already decoded) and embedded
 * expressions (any other term). The compiler rewrites it to an {@code internal.template_string} call.
 */
public record TemplateString(List<Term> parts, List<List<With>> modifiers, boolean raw, Location location)
    implements Term {
  /**
   * {@code modifiers} holds, per part, the {@code with} modifiers written inside its braces
   * ({@code {a with input as x}}); empty for literal parts and plain expressions.
   */
  public TemplateString {
    parts = List.copyOf(parts);
    modifiers = modifiers.stream().map(List::copyOf).toList();
    if (modifiers.size() != parts.size()) {
      throw new IllegalArgumentException("one modifier list per part expected");
    }
  }

  public TemplateString(List<Term> parts, boolean raw, Location location) {
    this(parts, parts.stream().map(p -> List.<With>of()).toList(), raw, location);
  }

  @Override public boolean isGround() { return false; }

  @Override public boolean equals(Object o) { return o instanceof TemplateString t && t.parts.equals(parts) && t.raw == raw; }

  @Override public int hashCode() { return parts.hashCode() * 31 + 11; }

  @Override public String toString() { return "$\"" + parts + "\""; }
}
