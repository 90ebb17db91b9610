package dev.gatehouse.engine.builtins.graphql.validate;

import dev.gatehouse.engine.builtins.graphql.ast.FragmentDefinition;
import java.util.HashSet;
import java.util.Set;

/** Fragment names are unique within a document. */
final class UniqueFragmentNames implements Rule {
  private final Set<String> seen = new HashSet<>();

  @Override
  public void onFragment(Walker w, FragmentDefinition fragment) {
    if (!seen.add(fragment.name())) {
      w.report("There can be only one fragment named \"" + fragment.name() + "\".", fragment.position());
    }
  }
}
