package dev.gatehouse.engine.builtins.graphql.validate;

import dev.gatehouse.engine.builtins.graphql.GraphQLError;

/** A schema that does not validate, with gqlparser's (single) error. */
public final class InvalidSchemaException extends Exception {
  private final GraphQLError error;

  InvalidSchemaException(GraphQLError error) {
    super(error.goText(), null, false, false);
    this.error = error;
  }

  public GraphQLError error() {
    return error;
  }
}
