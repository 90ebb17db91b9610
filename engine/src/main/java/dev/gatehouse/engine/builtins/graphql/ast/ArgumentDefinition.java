package dev.gatehouse.engine.builtins.graphql.ast;

import java.util.List;

/** An argument a field or directive accepts. */
public record ArgumentDefinition(String description, String name, ValueNode defaultValue, TypeRef type,
    List<Directive> directives, Position position,
    CommentGroup beforeDescriptionComment, CommentGroup afterDescriptionComment) {

  public ArgumentDefinition {
    directives = Lists.copy(directives);
  }

  /** The first argument definition with this name, or null. */
  public static ArgumentDefinition find(List<ArgumentDefinition> args, String name) {
    for (ArgumentDefinition a : args) {
      if (a.name().equals(name)) {
        return a;
      }
    }
    return null;
  }
}
