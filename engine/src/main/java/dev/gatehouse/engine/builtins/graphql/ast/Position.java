package dev.gatehouse.engine.builtins.graphql.ast;

/**
 * Where a node starts: rune offsets, 1-based line and column, and the name of the source document
 * ({@code ""} for the caller's text, {@code prelude.graphql} for the built-in types). {@code source}
 * is null for positions decoded from an AST object that carried no {@code Src}.
 */
public record Position(int start, int end, int line, int column, String source) {
  public String sourceName() {
    return source == null ? "" : source;
  }
}
