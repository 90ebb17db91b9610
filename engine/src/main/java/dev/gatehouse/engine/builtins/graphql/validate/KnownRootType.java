package dev.gatehouse.engine.builtins.graphql.validate;

import dev.gatehouse.engine.builtins.graphql.MalformedAstException;
import dev.gatehouse.engine.builtins.graphql.ast.Definition;
import dev.gatehouse.engine.builtins.graphql.ast.OperationDefinition;

/** The schema must have a root type for the operation's kind. */
final class KnownRootType implements Rule {
  @Override
  public void onOperation(Walker w, OperationDefinition op) {
    Definition root = switch (op.operation()) {
      case "query", "" -> w.schema.query();
      case "mutation" -> w.schema.mutation();
      case "subscription" -> w.schema.subscription();
      default -> throw new MalformedAstException("unknown operation type \"" + op.operation() + "\"");
    };
    if (root == null) {
      w.report("Schema does not support operation type \"" + op.operation() + "\"", op.position());
    }
  }
}
