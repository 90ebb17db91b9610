package dev.gatehouse.engine.builtins;

import dev.gatehouse.engine.value.Value;

/**
 * A builtin's error. The evaluator prefixes the builtin's name ({@code div: divide by zero}) and
 * reports {@code eval_type_error} for operand type errors, {@code eval_builtin_error} otherwise;
 * outside strict mode most such errors make the call undefined, as in OPA.
 */
public final class BuiltinException extends RuntimeException {
  private final boolean typeError;
  /** Errors OPA raises even outside strict mode (e.g. http.send with raise_error). */
  private final boolean alwaysRaised;

  private BuiltinException(String message, boolean typeError, boolean alwaysRaised) {
    super(message, null, false, false);
    this.typeError = typeError;
    this.alwaysRaised = alwaysRaised;
  }

  public static BuiltinException error(String message) {
    return new BuiltinException(message, false, false);
  }

  /** An error raised whatever the strict setting. */
  public static BuiltinException fatal(String message) {
    return new BuiltinException(message, false, true);
  }

  /** OPA's operand error: {@code operand 1 must be string but got number}. Positions are 1-based. */
  public static BuiltinException operandType(int position, Value got, String... expected) {
    String want = expected.length == 1 ? expected[0] : "one of {" + String.join(", ", expected) + "}";
    return new BuiltinException("operand " + position + " must be " + want + " but got " + got.typeName(), true, false);
  }

  /** A type error with a message of the builtin's own. */
  public static BuiltinException typeError(String message) {
    return new BuiltinException(message, true, false);
  }

  public boolean isTypeError() { return typeError; }

  public boolean isAlwaysRaised() { return alwaysRaised; }
}
