package dev.gatehouse.engine.builtins.graphql.ast;

/** An entry of a selection set. */
public sealed interface Selection permits Field, FragmentSpread, InlineFragment {
  Position position();
}
