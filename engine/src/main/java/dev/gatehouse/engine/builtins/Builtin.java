package dev.gatehouse.engine.builtins;

import dev.gatehouse.engine.types.Type;
import dev.gatehouse.engine.value.Value;
import java.util.List;

/**
 * A builtin function, declared with OPA's signature. Implementations are stateless and
 * thread-safe; per-query state lives in the {@link BuiltinContext}.
 */
public interface Builtin {
  /** The dotted name as called from Rego, e.g. {@code strings.replace_n}, {@code plus}. */
  String name();

  /** The signature; argument and result types feed the type checker and {@code capabilities}. */
  Type.Func decl();

  /**
   * Evaluates the builtin. Arguments are ground values, one per declared argument (or any number
   * for variadic builtins). Returns the result, or null when the call is undefined.
   *
   * @throws BuiltinException for errors OPA reports as eval_builtin_error / eval_type_error
   */
  Value call(BuiltinContext ctx, Value[] args);

  /** The infix operator ({@code +}, {@code ==}, ...) or null. */
  default String infix() { return null; }

  /** True when results depend on more than the arguments (time, randomness, network). */
  default boolean nondeterministic() { return false; }

  /** OPA's documentation categories, e.g. {@code strings}. */
  default List<String> categories() { return List.of(); }

  default String description() { return null; }

  /** True for OPA's deprecated builtins (kept callable, rejected in strict mode). */
  default boolean deprecated() { return false; }
}
