package dev.gatehouse.engine.builtins.graphql.ast;

import java.util.List;

/** {@code ... on Type @dirs { ... }}; {@code typeCondition} is empty when omitted. */
public record InlineFragment(String typeCondition, List<Directive> directives, List<Selection> selectionSet,
    Definition objectDefinition, Position position, CommentGroup comment) implements Selection {

  public InlineFragment {
    directives = Lists.copy(directives);
    selectionSet = Lists.copy(selectionSet);
  }
}
