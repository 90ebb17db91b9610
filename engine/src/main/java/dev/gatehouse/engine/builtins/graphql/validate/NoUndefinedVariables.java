package dev.gatehouse.engine.builtins.graphql.validate;

import dev.gatehouse.engine.builtins.graphql.ast.OperationDefinition;
import dev.gatehouse.engine.builtins.graphql.ast.ValueKind;
import dev.gatehouse.engine.builtins.graphql.ast.ValueNode;

/** Variables used in an operation (fragments included) must be defined by it. */
final class NoUndefinedVariables implements Rule {
  @Override
  public void onValue(Walker w, ValueNode value) {
    OperationDefinition op = w.currentOperation();
    if (op == null || value.kindNumber() != ValueKind.VARIABLE.ordinal() || w.notes.of(value).variableDefinition != null) {
      return;
    }
    if (!op.name().isEmpty()) {
      w.report("Variable \"" + value + "\" is not defined by operation \"" + op.name() + "\".", value.position());
    } else {
      w.report("Variable \"" + value + "\" is not defined.", value.position());
    }
  }
}
