package dev.gatehouse.engine.builtins.graphql.validate;

import dev.gatehouse.engine.builtins.graphql.ast.Directive;
import dev.gatehouse.engine.builtins.graphql.ast.DirectiveDefinition;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A non-repeatable directive may appear once per location. */
final class UniqueDirectivesPerLocation implements Rule {
  @Override
  public void onDirectiveList(Walker w, List<Directive> directives) {
    Set<String> seen = new HashSet<>();
    for (Directive d : directives) {
      DirectiveDefinition def = w.notes.of(d).definition;
      if ((def == null || !def.isRepeatable()) && seen.contains(d.name())) {
        w.report("The directive \"@" + d.name() + "\" can only be used once at this location.", d.position());
      }
      seen.add(d.name());
    }
  }
}
