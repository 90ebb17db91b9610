package dev.gatehouse.engine.builtins.graphql.validate;

import dev.gatehouse.engine.builtins.graphql.ast.OperationDefinition;
import dev.gatehouse.engine.builtins.graphql.ast.VariableDefinition;

/** Every variable an operation defines must be used in it. */
final class NoUnusedVariables implements Rule {
  @Override
  public void onOperation(Walker w, OperationDefinition op) {
    for (VariableDefinition v : op.variableDefinitions()) {
      if (w.notes.of(v).used) {
        continue;
      }
      if (!op.name().isEmpty()) {
        w.report("Variable \"$" + v.variable() + "\" is never used in operation \"" + op.name() + "\".", v.position());
      } else {
        w.report("Variable \"$" + v.variable() + "\" is never used.", v.position());
      }
    }
  }
}
