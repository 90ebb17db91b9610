package dev.gatehouse.engine.builtins.graphql.ast;

import java.util.List;

/** An executable document: operations and fragments in source order. */
public record QueryDocument(List<OperationDefinition> operations, List<FragmentDefinition> fragments, CommentGroup comment) {
  public QueryDocument {
    operations = List.copyOf(operations);
    fragments = List.copyOf(fragments);
  }
}
