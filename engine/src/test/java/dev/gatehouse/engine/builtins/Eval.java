package dev.gatehouse.engine.builtins;

import dev.gatehouse.engine.EvalOptions;
import dev.gatehouse.engine.Policy;
import dev.gatehouse.engine.QueryResult;
import dev.gatehouse.engine.Rego;
import dev.gatehouse.engine.value.Json;
import dev.gatehouse.engine.value.Value;
import java.util.List;

/** Evaluates one expression through the public API, as a policy author would call a builtin. */
public final class Eval {
  private static final Policy EMPTY = Rego.builder().module("empty.rego", "package empty\n").compile();

  private Eval() {}

  /** The expression's value in strict mode (builtin errors throw), or null when undefined. */
  public static Value strict(String expr) {
    return run(EMPTY, expr, EvalOptions.builder().strictBuiltinErrors(true).build());
  }

  /**
   * Strict mode with an input document: operands read from input have no static type, so wrong
   * types reach the builtin at run time instead of failing the type check at compile time.
   */
  public static Value strict(String expr, String inputJson) {
    return run(EMPTY, expr, EvalOptions.builder().input(Json.parse(inputJson)).strictBuiltinErrors(true).build());
  }

  /** The value as compact JSON, for comparing with what {@code opa eval} printed. */
  public static String json(String expr) {
    Value v = strict(expr);
    return v == null ? null : Json.write(v);
  }

  public static Value run(Policy policy, String expr, EvalOptions options) {
    List<QueryResult> rs = policy.prepare("x := " + expr).eval(options);
    return rs.isEmpty() ? null : rs.get(0).bindings().get("x");
  }
}
