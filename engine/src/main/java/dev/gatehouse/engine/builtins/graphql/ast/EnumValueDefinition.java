package dev.gatehouse.engine.builtins.graphql.ast;

import java.util.List;

/** One value of an enum type. */
public record EnumValueDefinition(String description, String name, List<Directive> directives, Position position,
    CommentGroup beforeDescriptionComment, CommentGroup afterDescriptionComment) {

  public EnumValueDefinition {
    directives = Lists.copy(directives);
  }
}
