package dev.gatehouse.engine.builtins.graphql.validate;

/**
 * A document that nests (through fragments) deeper, or costs more to check, than the validator
 * follows. gqlparser has no such bound; on some of these documents it recurses without end.
 */
public final class ValidationLimitExceeded extends RuntimeException {
  ValidationLimitExceeded(String message) {
    super(message, null, false, false);
  }
}
