package dev.gatehouse.engine.builtins.graphql.ast;

/** One {@code #} comment line, including the {@code #}. */
public record Comment(String value, Position position) {}
