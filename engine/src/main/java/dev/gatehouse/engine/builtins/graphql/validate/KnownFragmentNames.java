package dev.gatehouse.engine.builtins.graphql.validate;

import dev.gatehouse.engine.builtins.graphql.ast.FragmentSpread;

/** Spread fragments must be defined in the document. */
final class KnownFragmentNames implements Rule {
  @Override
  public void onFragmentSpread(Walker w, FragmentSpread spread) {
    if (w.notes.of(spread).definition == null) {
      w.report("Unknown fragment \"" + spread.name() + "\".", spread.position());
    }
  }
}
