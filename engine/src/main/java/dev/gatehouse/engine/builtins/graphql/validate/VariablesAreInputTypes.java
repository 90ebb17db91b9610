package dev.gatehouse.engine.builtins.graphql.validate;

import dev.gatehouse.engine.builtins.graphql.ast.Definition;
import dev.gatehouse.engine.builtins.graphql.ast.OperationDefinition;
import dev.gatehouse.engine.builtins.graphql.ast.VariableDefinition;

/** Variables must be of input types (scalars, enums, input objects). */
final class VariablesAreInputTypes implements Rule {
  @Override
  public void onOperation(Walker w, OperationDefinition op) {
    for (VariableDefinition v : op.variableDefinitions()) {
      Definition def = w.notes.of(v).definition;
      if (def != null && !def.isInputType()) {
        w.report("Variable \"$" + v.variable() + "\" cannot be non-input type \"" + v.type() + "\".", v.position());
      }
    }
  }
}
