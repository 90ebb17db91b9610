package dev.gatehouse.engine.builtins.graphql.validate;

import dev.gatehouse.engine.builtins.graphql.ast.ChildValue;
import dev.gatehouse.engine.builtins.graphql.ast.ValueKind;
import dev.gatehouse.engine.builtins.graphql.ast.ValueNode;
import java.util.HashSet;
import java.util.Set;

/** An input object literal names each field once. */
final class UniqueInputFieldNames implements Rule {
  @Override
  public void onValue(Walker w, ValueNode value) {
    if (value.kindNumber() != ValueKind.OBJECT.ordinal()) {
      return;
    }
    Set<String> seen = new HashSet<>();
    for (ChildValue c : value.children()) {
      if (!seen.add(c.name())) {
        w.report("There can be only one input field named \"" + c.name() + "\".", c.position());
      }
    }
  }
}
