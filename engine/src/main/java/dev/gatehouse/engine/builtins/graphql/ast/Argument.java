package dev.gatehouse.engine.builtins.graphql.ast;

/** {@code name: value} in a field's or directive's argument list. */
public record Argument(String name, ValueNode value, Position position, CommentGroup comment) {}
