package dev.gatehouse.engine.builtins.graphql.ast;

import java.util.List;

/** {@code ...Name @dirs}; the two definitions are validator annotations (decoded AST objects only). */
public record FragmentSpread(String name, List<Directive> directives, Definition objectDefinition,
    FragmentDefinition definition, Position position, CommentGroup comment) implements Selection {

  public FragmentSpread {
    directives = Lists.copy(directives);
  }
}
