package dev.gatehouse.engine.builtins;

import dev.gatehouse.engine.EvalOptions;
import dev.gatehouse.engine.Policy;
import dev.gatehouse.engine.QueryResult;
import dev.gatehouse.engine.Rego;
import dev.gatehouse.engine.RegoError;
import dev.gatehouse.engine.RegoException;
import dev.gatehouse.engine.value.Json;
import dev.gatehouse.engine.value.Value;
import java.util.List;

/** Evaluates {@code x := <expression>} the way the oracle fixtures were recorded (strict builtin errors). */
final class RegoEval {
  private static final Policy EMPTY = Rego.builder().module("x.rego", "package x\n").compile();

  private RegoEval() {}

  /** The value of x as compact JSON, {@code UNDEF}, or {@code ERR <code> <message>}. */
  static String eval(String expression) {
    try {
      List<QueryResult> r = EMPTY.prepare("x := " + expression)
          .eval(EvalOptions.builder().strictBuiltinErrors(true).build());
      if (r.isEmpty()) {
        return "UNDEF";
      }
      return Json.write(r.get(0).bindings().get("x"));
    } catch (RegoException e) {
      RegoError err = e.errors().get(0);
      return "ERR " + err.code() + " " + err.message();
    }
  }

  /** The same for an expected fixture value: JSON is re-rendered so both sides use one spelling. */
  static String normalize(String expected) {
    if (expected.startsWith("ERR ") || expected.equals("UNDEF")) {
      return expected;
    }
    Value v = Json.parse(expected);
    return Json.write(v);
  }
}
