package dev.gatehouse.engine.builtins.graphql.validate;

import dev.gatehouse.engine.builtins.graphql.ast.Definition;
import dev.gatehouse.engine.builtins.graphql.ast.FragmentDefinition;
import dev.gatehouse.engine.builtins.graphql.ast.InlineFragment;
import dev.gatehouse.engine.builtins.graphql.ast.VariableDefinition;
import java.util.ArrayList;
import java.util.List;

/** Variable types and type conditions must name types of the schema. */
final class KnownTypeNames implements Rule {
  @Override
  public void onVariable(Walker w, VariableDefinition v) {
    String name = v.type().name();
    if (w.schema.type(name) == null) {
      w.report("Unknown type \"" + name + "\".", v.position());
    }
  }

  @Override
  public void onInlineFragment(Walker w, InlineFragment fragment) {
    String name = fragment.typeCondition();
    if (!name.isEmpty() && w.schema.type(name) == null) {
      w.report("Unknown type \"" + name + "\".", fragment.position());
    }
  }

  @Override
  public void onFragment(Walker w, FragmentDefinition fragment) {
    String name = fragment.typeCondition();
    if (w.schema.type(name) != null) {
      return;
    }
    // gqlparser offers the types in map order (random); name order keeps ours deterministic
    List<String> all = new ArrayList<>();
    for (Definition d : w.schema.types()) {
      all.add(d.name());
    }
    w.report("Unknown type \"" + name + "\"." + Suggestions.quoted("Did you mean", name, all), fragment.position());
  }
}
