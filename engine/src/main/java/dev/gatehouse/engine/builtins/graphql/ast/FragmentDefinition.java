package dev.gatehouse.engine.builtins.graphql.ast;

import java.util.List;

/**
 * {@code fragment Name($vars) on Type @dirs { ... }}. Fragment variables are an experimental
 * syntax gqlparser accepts; validation ignores them. {@code definition} is a validator annotation.
 */
public record FragmentDefinition(String name, List<VariableDefinition> variableDefinition, String typeCondition,
    List<Directive> directives, List<Selection> selectionSet, Definition definition, Position position,
    CommentGroup comment) {

  public FragmentDefinition {
    variableDefinition = Lists.copy(variableDefinition);
    directives = Lists.copy(directives);
    selectionSet = Lists.copy(selectionSet);
  }
}
