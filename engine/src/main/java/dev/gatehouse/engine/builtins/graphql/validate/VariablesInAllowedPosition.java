package dev.gatehouse.engine.builtins.graphql.validate;

import dev.gatehouse.engine.builtins.graphql.ast.ChildValue;
import dev.gatehouse.engine.builtins.graphql.ast.TypeRef;
import dev.gatehouse.engine.builtins.graphql.ast.ValueKind;
import dev.gatehouse.engine.builtins.graphql.ast.ValueNode;
import dev.gatehouse.engine.builtins.graphql.ast.VariableDefinition;

/**
 * A variable's type must fit where it is used (a default on either side lets a nullable
 * variable fill a non-null position), and variables filling a OneOf input field must be non-null.
 */
final class VariablesInAllowedPosition implements Rule {
  @Override
  public void onValue(Walker w, ValueNode value) {
    Annotations.ValueInfo info = w.notes.of(value);
    checkPosition(w, value, info);
    checkOneOf(w, value, info);
  }

  private static void checkPosition(Walker w, ValueNode value, Annotations.ValueInfo info) {
    if (value.kindNumber() != ValueKind.VARIABLE.ordinal() || info.expectedType == null
        || info.variableDefinition == null || w.currentOperation() == null) {
      return;
    }
    VariableDefinition var = info.variableDefinition;
    TypeRef expected = info.expectedType;
    boolean nonNull = expected.nonNull();
    if (var.defaultValue() != null && var.defaultValue().kindNumber() != ValueKind.NULL.ordinal() && expected.nonNull()) {
      nonNull = false;
    }
    if (info.expectedTypeHasDefault) {
      nonNull = false;
    }
    if (!var.type().isCompatible(expected.withNonNull(nonNull))) {
      w.report("Variable \"" + value + "\" of type \"" + var.type() + "\" used in position expecting type \""
          + expected + "\".", value.position());
    }
  }

  private static void checkOneOf(Walker w, ValueNode value, Annotations.ValueInfo info) {
    if (value.kindNumber() != ValueKind.OBJECT.ordinal() || info.definition == null
        || info.definition.directive("oneOf") == null) {
      return;
    }
    for (ChildValue child : value.children()) {
      ValueNode fieldValue = child.value();
      if (fieldValue.kindNumber() != ValueKind.VARIABLE.ordinal()) {
        continue;
      }
      VariableDefinition var = w.notes.of(fieldValue).variableDefinition;
      if (var == null || var.type().nonNull()) {
        continue;
      }
      w.report("Variable \"" + fieldValue + "\" is of type \"" + var.type()
          + "\" but must be non-nullable to be used for OneOf Input Object \"" + info.definition.name() + "\".",
          var.position(), fieldValue.position());
    }
  }
}
