package dev.gatehouse.engine.builtins.graphql.ast;

/** An element of a list value (name empty) or a field of an object value. */
public record ChildValue(String name, ValueNode value, Position position, CommentGroup comment) {}
