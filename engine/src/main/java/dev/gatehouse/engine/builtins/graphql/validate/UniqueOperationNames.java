package dev.gatehouse.engine.builtins.graphql.validate;

import dev.gatehouse.engine.builtins.graphql.ast.OperationDefinition;
import java.util.HashSet;
import java.util.Set;

/** Operation names are unique within a document (two anonymous ones count as the same name). */
final class UniqueOperationNames implements Rule {
  private final Set<String> seen = new HashSet<>();

  @Override
  public void onOperation(Walker w, OperationDefinition op) {
    if (!seen.add(op.name())) {
      w.report("There can be only one operation named \"" + op.name() + "\".", op.position());
    }
  }
}
