package dev.gatehouse.engine.builtins.graphql.parse;

import dev.gatehouse.engine.builtins.graphql.GraphQLError;

/** The first syntax error of a document, with the line and column it was found at. */
public final class SyntaxError extends Exception {
  private final GraphQLError error;

  SyntaxError(GraphQLError error) {
    super(error.goText(), null, false, false);
    this.error = error;
  }

  public GraphQLError error() {
    return error;
  }
}
