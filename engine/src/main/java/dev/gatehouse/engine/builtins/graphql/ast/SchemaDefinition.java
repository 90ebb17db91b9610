package dev.gatehouse.engine.builtins.graphql.ast;

import java.util.List;

/** A {@code schema { ... }} definition or {@code extend schema} extension. */
public record SchemaDefinition(String description, List<Directive> directives, List<OperationTypeDefinition> operationTypes,
    Position position, CommentGroup beforeDescriptionComment, CommentGroup afterDescriptionComment,
    CommentGroup endOfDefinitionComment) {

  public SchemaDefinition {
    directives = Lists.copy(directives);
    operationTypes = Lists.copy(operationTypes);
  }
}
