package dev.gatehouse.engine.ast;

import java.util.List;

/**
 * A rule: head, body and an optional {@code else} chain (each else is a rule sharing the head's
 * ref and args). {@code annotations} are the {@code # METADATA} blocks attached to this rule
 * (empty when none). {@code module} is filled in by the compiler for rules placed in the rule tree.
 */
public record Rule(boolean isDefault, Head head, Body body, Rule elseRule, List<Annotations> annotations,
    Location location) {
  public Rule {
    annotations = annotations == null ? List.of() : List.copyOf(annotations);
  }

  public Rule withBody(Body b) {
    return new Rule(isDefault, head, b, elseRule, annotations, location);
  }
}
