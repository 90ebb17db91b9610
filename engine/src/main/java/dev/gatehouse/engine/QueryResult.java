package dev.gatehouse.engine;

import dev.gatehouse.engine.ast.Location;
import dev.gatehouse.engine.value.Value;
import java.util.List;
import java.util.Map;

/**
 * One solution of a query: the value of each top-level expression (with its source text and
 * location, as {@code opa eval -f json} prints them) and the bindings of the query's
 * user-visible variables (generated variables excluded).
 */
public record QueryResult(List<ExpressionValue> expressions, Map<String, Value> bindings) {
  public record ExpressionValue(Value value, String text, Location location) {}

  public QueryResult {
    expressions = List.copyOf(expressions);
    bindings = Map.copyOf(bindings);
  }

  /** The first expression's value: for a query that is a single ref, the document it names. */
  public Value value() {
    return expressions.get(0).value();
  }
}
