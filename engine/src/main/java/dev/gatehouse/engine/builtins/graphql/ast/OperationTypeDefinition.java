package dev.gatehouse.engine.builtins.graphql.ast;

/** {@code query: Query} inside a schema definition or extension. */
public record OperationTypeDefinition(String operation, String type, Position position, CommentGroup comment) {}
