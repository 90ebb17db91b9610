package dev.gatehouse.engine.builtins.graphql.ast;

import java.util.List;

/** A field of an object or interface type, or an input field of an input object type (then with a default value). */
public record FieldDefinition(String description, String name, List<ArgumentDefinition> arguments, ValueNode defaultValue,
    TypeRef type, List<Directive> directives, Position position,
    CommentGroup beforeDescriptionComment, CommentGroup afterDescriptionComment) {

  public FieldDefinition {
    arguments = Lists.copy(arguments);
    directives = Lists.copy(directives);
  }

  public ArgumentDefinition argument(String argName) {
    return ArgumentDefinition.find(arguments, argName);
  }
}
