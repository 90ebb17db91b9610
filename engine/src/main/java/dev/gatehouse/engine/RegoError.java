package dev.gatehouse.engine;

import dev.gatehouse.engine.ast.Location;

/**
 * One error as OPA reports it: a code ({@code rego_parse_error}, {@code rego_compile_error},
 * {@code rego_type_error}, {@code rego_unsafe_var_error}, {@code rego_recursion_error},
 * {@code eval_conflict_error}, {@code eval_builtin_error}, {@code eval_type_error},
 * {@code eval_cancel_error}, ...), a message, and where (null location when unknown).
 * {@code details}: opa's structured details of a type error ({@code opa check -f json}: the
 * reference and position of an undefined ref, the two types of a match error), its fields in
 * opa's order; null when there are none. The message holds the same as text, after its first line.
 */
public record RegoError(String code, String message, Location location,
    java.util.Map<String, dev.gatehouse.engine.value.Value> details) {
  public RegoError {
    details = details == null ? null : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(details));
  }

  public RegoError(String code, String message, Location location) {
    this(code, message, location, null);
  }

  /** {@code file:row: code: message}, the line OPA prints per error. */
  @Override
  public String toString() {
    if (location == null || location == Location.NONE) {
      return code + ": " + message;
    }
    return location + ": " + code + ": " + message;
  }
}
