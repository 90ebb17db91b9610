package dev.gatehouse.engine.builtins.graphql.parse;

import dev.gatehouse.engine.builtins.graphql.ast.GoQuote;
import dev.gatehouse.engine.builtins.graphql.ast.Position;

/** A token; {@code value} is the name, number text, unescaped string or comment text ("" for punctuation). */
record Token(TokenKind kind, String value, Position position) {

  /** As gqlparser describes a token in messages: {@code Name "foo"}, {@code {}, {@code <EOF>}. */
  @Override
  public String toString() {
    return value.isEmpty() ? kind.toString() : kind + " " + GoQuote.quote(value);
  }
}
