package dev.gatehouse.engine.builtins.graphql.ast;

import java.util.List;

/** A query, mutation or subscription; {@code operation} is one of those words (or empty in decoded ASTs). */
public record OperationDefinition(String operation, String name, List<VariableDefinition> variableDefinitions,
    List<Directive> directives, List<Selection> selectionSet, Position position, CommentGroup comment) {

  public OperationDefinition {
    variableDefinitions = Lists.copy(variableDefinitions);
    directives = Lists.copy(directives);
    selectionSet = Lists.copy(selectionSet);
  }
}
