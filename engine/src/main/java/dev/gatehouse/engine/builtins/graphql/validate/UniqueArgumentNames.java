package dev.gatehouse.engine.builtins.graphql.validate;

import dev.gatehouse.engine.builtins.graphql.ast.Argument;
import dev.gatehouse.engine.builtins.graphql.ast.Directive;
import dev.gatehouse.engine.builtins.graphql.ast.Field;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** An argument may be given once per field or directive (reported at its second use). */
final class UniqueArgumentNames implements Rule {
  @Override
  public void onField(Walker w, Field field) {
    check(w, field.arguments());
  }

  @Override
  public void onDirective(Walker w, Directive directive) {
    check(w, directive.arguments());
  }

  private static void check(Walker w, List<Argument> args) {
    Map<String, Integer> count = new HashMap<>();
    for (Argument a : args) {
      if (count.getOrDefault(a.name(), 0) == 1) {
        w.report("There can be only one argument named \"" + a.name() + "\".", a.position());
      }
      count.merge(a.name(), 1, Integer::sum);
    }
  }
}
