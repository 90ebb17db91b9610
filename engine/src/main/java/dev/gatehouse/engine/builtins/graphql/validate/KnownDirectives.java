package dev.gatehouse.engine.builtins.graphql.validate;

import dev.gatehouse.engine.builtins.graphql.ast.Directive;
import dev.gatehouse.engine.builtins.graphql.ast.Position;
import java.util.HashSet;
import java.util.Set;

/** Directives must be defined and used where their definition allows (reported once per use). */
final class KnownDirectives implements Rule {
  private final Set<String> seen = new HashSet<>();

  @Override
  public void onDirective(Walker w, Directive directive) {
    Annotations.DirectiveInfo info = w.notes.of(directive);
    if (info.definition == null) {
      w.report("Unknown directive \"@" + directive.name() + "\".", directive.position());
      return;
    }
    if (info.definition.locations().contains(info.location)) {
      return;
    }
    Position p = directive.position();
    String key = directive.name() + "\u0000" + (p == null ? 0 : p.line()) + ":" + (p == null ? 0 : p.column());
    if (seen.add(key)) {
      w.report("Directive \"@" + directive.name() + "\" may not be used on " + info.location + ".", p);
    }
  }
}
