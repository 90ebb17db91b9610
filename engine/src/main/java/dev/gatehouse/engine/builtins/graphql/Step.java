package dev.gatehouse.engine.builtins.graphql;

/**
 * A step of a GraphQL builtin that failed, with the message OPA reports for it. The callers
 * decide whether that is an error ({@code graphql.parse}) or just {@code false}.
 */
final class Step extends Exception {
  private final boolean operandType;

  private Step(String message, boolean operandType) {
    super(message, null, false, false);
    this.operandType = operandType;
  }

  static Step failed(String message) {
    return new Step(message, false);
  }

  /** The operand had the wrong type; {@code getMessage()} is unused, the builtin builds OPA's message. */
  static Step wrongType() {
    return new Step("wrong operand type", true);
  }

  boolean isOperandType() {
    return operandType;
  }
}
