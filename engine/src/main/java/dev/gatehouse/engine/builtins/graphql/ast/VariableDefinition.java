package dev.gatehouse.engine.builtins.graphql.ast;

import java.util.List;

/** {@code $name: Type = default @dirs}; {@code definition} and {@code used} are validator annotations. */
public record VariableDefinition(String variable, TypeRef type, ValueNode defaultValue, List<Directive> directives,
    Position position, CommentGroup comment, Definition definition, boolean used) {

  public VariableDefinition {
    directives = Lists.copy(directives);
  }
}
