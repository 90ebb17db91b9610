package dev.gatehouse.engine.builtins.graphql.ast;

import java.util.List;

/** {@code directive @name(args) repeatable on LOCATION | ...}. */
public record DirectiveDefinition(String description, String name, List<ArgumentDefinition> arguments,
    List<String> locations, boolean isRepeatable, Position position,
    CommentGroup beforeDescriptionComment, CommentGroup afterDescriptionComment) {

  public DirectiveDefinition {
    arguments = Lists.copy(arguments);
    locations = Lists.copy(locations);
  }
}
