package dev.gatehouse.engine;

import dev.gatehouse.engine.ast.Location;

/**
 * One error as OPA reports it: a code ({@code rego_parse_error}, {@code rego_compile_error},
 * {@code rego_type_error}, {@code rego_unsafe_var_error}, {@code rego_recursion_error},
 * {@code eval_conflict_error}, {@code eval_builtin_error}, {@code eval_type_error},
 * {@code eval_cancel_error}, ...), a message, and where (null location when unknown).
 */
public record RegoError(String code, String message, Location location) {
  /** {@code file:row: code: message}, the line OPA prints per error. */
  @Override
  public String toString() {
    if (location == null || location == Location.NONE) {
      return code + ": " + message;
    }
    return location + ": " + code + ": " + message;
  }
}
