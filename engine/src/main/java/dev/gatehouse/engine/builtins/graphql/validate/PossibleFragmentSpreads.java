package dev.gatehouse.engine.builtins.graphql.validate;

import dev.gatehouse.engine.builtins.graphql.ast.Definition;
import dev.gatehouse.engine.builtins.graphql.ast.DefinitionKind;
import dev.gatehouse.engine.builtins.graphql.ast.FragmentDefinition;
import dev.gatehouse.engine.builtins.graphql.ast.FragmentSpread;
import dev.gatehouse.engine.builtins.graphql.ast.InlineFragment;
import java.util.List;

/** A fragment can only be spread where its type and the parent type have a possible type in common. */
final class PossibleFragmentSpreads implements Rule {
  @Override
  public void onInlineFragment(Walker w, InlineFragment fragment) {
    Definition parent = w.notes.objectDefinition(fragment);
    if (impossible(w, parent, fragment.typeCondition())) {
      w.report("Fragment cannot be spread here as objects of type \"" + parent.name() + "\" can never be of type \""
          + fragment.typeCondition() + "\".", fragment.position());
    }
  }

  @Override
  public void onFragmentSpread(Walker w, FragmentSpread spread) {
    Annotations.SpreadInfo info = w.notes.of(spread);
    FragmentDefinition def = info.definition;
    if (def == null) {
      return;
    }
    if (impossible(w, info.objectDefinition, def.typeCondition())) {
      w.report("Fragment \"" + spread.name() + "\" cannot be spread here as objects of type \""
          + info.objectDefinition.name() + "\" can never be of type \"" + def.typeCondition() + "\".", spread.position());
    }
  }

  private static boolean impossible(Walker w, Definition parent, String typeName) {
    if (parent == null) {
      return false;
    }
    List<Definition> parentTypes;
    switch (parent.kind()) {
      case DefinitionKind.OBJECT -> parentTypes = List.of(parent);
      case DefinitionKind.INTERFACE, DefinitionKind.UNION -> parentTypes = w.schema.possibleTypes(parent);
      default -> {
        return false;
      }
    }
    Definition fragmentType = w.schema.type(typeName);
    if (fragmentType == null || !fragmentType.isCompositeType()) {
      return false;
    }
    for (Definition f : w.schema.possibleTypes(fragmentType)) {
      for (Definition p : parentTypes) {
        if (f != null && p != null && p.name().equals(f.name())) {
          return false;
        }
      }
    }
    return true;
  }
}
