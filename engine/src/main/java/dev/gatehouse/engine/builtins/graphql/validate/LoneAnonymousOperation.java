package dev.gatehouse.engine.builtins.graphql.validate;

import dev.gatehouse.engine.builtins.graphql.ast.OperationDefinition;

/** An anonymous operation must be the document's only operation. */
final class LoneAnonymousOperation implements Rule {
  @Override
  public void onOperation(Walker w, OperationDefinition op) {
    if (op.name().isEmpty() && w.document.operations().size() > 1) {
      w.report("This anonymous operation must be the only defined operation.", op.position());
    }
  }
}
