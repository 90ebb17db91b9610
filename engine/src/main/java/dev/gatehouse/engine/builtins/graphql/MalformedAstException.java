package dev.gatehouse.engine.builtins.graphql;

/**
 * An AST object (from a policy, not the parser) that validation cannot work with, such as a
 * type reference naming no type. gqlparser would dereference nil on these and OPA would crash;
 * we report it instead.
 */
public final class MalformedAstException extends RuntimeException {
  public MalformedAstException(String message) {
    super(message, null, false, false);
  }
}
