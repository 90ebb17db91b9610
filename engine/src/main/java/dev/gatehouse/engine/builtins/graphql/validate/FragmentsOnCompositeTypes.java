package dev.gatehouse.engine.builtins.graphql.validate;

import dev.gatehouse.engine.builtins.graphql.ast.Definition;
import dev.gatehouse.engine.builtins.graphql.ast.FragmentDefinition;
import dev.gatehouse.engine.builtins.graphql.ast.InlineFragment;

/** Fragments may only be conditioned on objects, interfaces and unions. */
final class FragmentsOnCompositeTypes implements Rule {
  @Override
  public void onInlineFragment(Walker w, InlineFragment fragment) {
    Definition type = w.schema.type(fragment.typeCondition());
    if (type == null || type.isCompositeType()) {
      return;
    }
    w.report("Fragment cannot condition on non composite type \"" + fragment.typeCondition() + "\".", fragment.position());
  }

  @Override
  public void onFragment(Walker w, FragmentDefinition fragment) {
    Definition def = w.notes.definition(fragment);
    if (def == null || fragment.typeCondition().isEmpty() || def.isCompositeType()) {
      return;
    }
    w.report("Fragment \"" + fragment.name() + "\" cannot condition on non composite type \""
        + fragment.typeCondition() + "\".", fragment.position());
  }
}
