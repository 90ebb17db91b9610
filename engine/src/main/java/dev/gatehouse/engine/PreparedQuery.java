package dev.gatehouse.engine;

import dev.gatehouse.engine.value.Value;
import java.util.List;
import java.util.Optional;

/**
 * A query compiled against a {@link Policy}: immutable and safe to evaluate from many threads at
 * once. Evaluation errors (conflicts, strict builtin errors, deadline) throw {@link RegoException}.
 */
public interface PreparedQuery {
  /** Every solution; empty when the query is undefined. */
  List<QueryResult> eval(EvalOptions options);

  default List<QueryResult> eval(Value input) {
    return eval(EvalOptions.of(input));
  }

  /** The first expression's value of the first solution, or empty when undefined. */
  default Optional<Value> evalValue(Value input) {
    List<QueryResult> rs = eval(input);
    return rs.isEmpty() ? Optional.empty() : Optional.of(rs.get(0).value());
  }

  /** The query text as prepared. */
  String text();
}
