package dev.gatehouse.engine.builtins.graphql.validate;

import dev.gatehouse.engine.builtins.graphql.ast.OperationDefinition;
import dev.gatehouse.engine.builtins.graphql.ast.VariableDefinition;
import java.util.HashMap;
import java.util.Map;

/** An operation defines each variable once (reported at the second definition). */
final class UniqueVariableNames implements Rule {
  @Override
  public void onOperation(Walker w, OperationDefinition op) {
    Map<String, Integer> count = new HashMap<>();
    for (VariableDefinition v : op.variableDefinitions()) {
      if (count.getOrDefault(v.variable(), 0) == 1) {
        w.report("There can be only one variable named \"$" + v.variable() + "\".", v.position());
      }
      count.merge(v.variable(), 1, Integer::sum);
    }
  }
}
