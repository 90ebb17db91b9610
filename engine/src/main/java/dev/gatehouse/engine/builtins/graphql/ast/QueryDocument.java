package dev.gatehouse.engine.builtins.graphql.ast;

import java.util.List;

/** An executable document: operations and fragments in source order. */
public record QueryDocument(List<OperationDefinition> operations, List<FragmentDefinition> fragments, CommentGroup comment) {
  public QueryDocument {
    operations = Lists.copy(operations);
    fragments = Lists.copy(fragments);
  }
}
