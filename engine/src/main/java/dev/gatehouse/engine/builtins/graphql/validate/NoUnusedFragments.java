package dev.gatehouse.engine.builtins.graphql.validate;

import dev.gatehouse.engine.builtins.graphql.ast.FragmentDefinition;
import dev.gatehouse.engine.builtins.graphql.ast.FragmentSpread;
import java.util.HashSet;
import java.util.Set;

/** Every fragment must be spread by some operation (spreads inside fragments do not count). */
final class NoUnusedFragments implements Rule {
  private final Set<String> used = new HashSet<>();
  private boolean inFragmentDefinition;

  @Override
  public void onFragmentSpread(Walker w, FragmentSpread spread) {
    if (!inFragmentDefinition) {
      used.add(spread.name());
    }
  }

  @Override
  public void onFragment(Walker w, FragmentDefinition fragment) {
    inFragmentDefinition = true;
    if (!used.contains(fragment.name())) {
      w.report("Fragment \"" + fragment.name() + "\" is never used.", fragment.position());
    }
  }
}
