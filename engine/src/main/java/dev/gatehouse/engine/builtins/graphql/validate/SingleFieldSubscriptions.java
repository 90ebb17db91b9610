package dev.gatehouse.engine.builtins.graphql.validate;

import dev.gatehouse.engine.builtins.graphql.ast.Field;
import dev.gatehouse.engine.builtins.graphql.ast.FragmentDefinition;
import dev.gatehouse.engine.builtins.graphql.ast.FragmentSpread;
import dev.gatehouse.engine.builtins.graphql.ast.GoQuote;
import dev.gatehouse.engine.builtins.graphql.ast.InlineFragment;
import dev.gatehouse.engine.builtins.graphql.ast.OperationDefinition;
import dev.gatehouse.engine.builtins.graphql.ast.Position;
import dev.gatehouse.engine.builtins.graphql.ast.Selection;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A subscription selects exactly one top-level field, and not an introspection one. */
final class SingleFieldSubscriptions implements Rule {
  private record TopField(String name, Position position) {}

  @Override
  public void onOperation(Walker w, OperationDefinition op) {
    if (w.schema.subscription() == null || !op.operation().equals("subscription")) {
      return;
    }
    List<TopField> fields = topFields(w, op.selectionSet());
    String name = op.name().isEmpty() ? "Anonymous Subscription" : "Subscription " + GoQuote.quote(op.name());
    if (fields.size() > 1) {
      w.report(name + " must select only one top level field.", fields.get(1).position());
    }
    for (TopField f : fields) {
      if (f.name().startsWith("__")) {
        w.report(name + " must not select an introspection top level field.", f.position());
      }
    }
  }

  private static List<TopField> topFields(Walker w, List<Selection> selectionSet) {
    List<TopField> fields = new ArrayList<>();
    collect(w, selectionSet, fields, new HashSet<>());
    Set<String> seen = new HashSet<>();
    List<TopField> unique = new ArrayList<>();
    for (TopField f : fields) {
      if (seen.add(f.name())) {
        unique.add(f);
      }
    }
    return unique;
  }

  private static void collect(Walker w, List<Selection> selections, List<TopField> out, Set<String> inFragment) {
    w.enter();
    try {
      for (Selection s : selections) {
        if (s instanceof Field f) {
          out.add(new TopField(f.name(), f.position()));
        } else if (s instanceof InlineFragment inline) {
          collect(w, inline.selectionSet(), out, inFragment);
        } else if (s instanceof FragmentSpread spread) {
          FragmentDefinition def = w.notes.of(spread).definition;
          if (def == null) {
            return; // gqlparser stops collecting this selection set here
          }
          if (inFragment.add(def.name())) {
            collect(w, def.selectionSet(), out, inFragment);
          }
        }
      }
    } finally {
      w.exit();
    }
  }
}
