package dev.gatehouse.engine.builtins.graphql.json;

/** An AST object that does not decode into gqlparser's types; the message is encoding/json's. */
public final class AstDecodeException extends Exception {
  AstDecodeException(String message) {
    super(message, null, false, false);
  }
}
