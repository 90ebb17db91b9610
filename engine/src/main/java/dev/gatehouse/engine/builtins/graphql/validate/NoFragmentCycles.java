package dev.gatehouse.engine.builtins.graphql.validate;

import dev.gatehouse.engine.builtins.graphql.ast.Field;
import dev.gatehouse.engine.builtins.graphql.ast.FragmentDefinition;
import dev.gatehouse.engine.builtins.graphql.ast.FragmentSpread;
import dev.gatehouse.engine.builtins.graphql.ast.InlineFragment;
import dev.gatehouse.engine.builtins.graphql.ast.Selection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A fragment must not spread itself, directly or through other fragments. */
final class NoFragmentCycles implements Rule {
  private final Set<String> visited = new HashSet<>();

  @Override
  public void onFragment(Walker w, FragmentDefinition fragment) {
    new Search(w).visit(fragment);
  }

  private final class Search {
    final Walker w;
    final List<FragmentSpread> spreadPath = new ArrayList<>();
    final Map<String, Integer> pathIndex = new HashMap<>();

    Search(Walker w) {
      this.w = w;
    }

    void visit(FragmentDefinition fragment) {
      if (!visited.add(fragment.name())) {
        return;
      }
      List<FragmentSpread> spreads = spreadsIn(fragment.selectionSet());
      if (spreads.isEmpty()) {
        return;
      }
      w.enter();
      pathIndex.put(fragment.name(), spreadPath.size());
      for (FragmentSpread spread : spreads) {
        Integer cycleIndex = pathIndex.get(spread.name());
        spreadPath.add(spread);
        if (cycleIndex == null) {
          FragmentDefinition next = w.fragment(spread.name());
          if (next != null) {
            visit(next);
          }
        } else {
          List<String> names = new ArrayList<>();
          for (FragmentSpread s : spreadPath.subList(cycleIndex, spreadPath.size() - 1)) {
            names.add("\"" + s.name() + "\"");
          }
          String via = names.isEmpty() ? "" : " via " + String.join(", ", names);
          w.report("Cannot spread fragment \"" + spread.name() + "\" within itself" + via + ".", spread.position());
        }
        spreadPath.remove(spreadPath.size() - 1);
      }
      pathIndex.remove(fragment.name());
      w.exit();
    }
  }

  /** The spreads of a selection set, nested ones included, in gqlparser's (stack) order. */
  static List<FragmentSpread> spreadsIn(List<Selection> selectionSet) {
    List<FragmentSpread> spreads = new ArrayList<>();
    List<List<Selection>> toVisit = new ArrayList<>();
    toVisit.add(selectionSet);
    while (!toVisit.isEmpty()) {
      List<Selection> set = toVisit.remove(toVisit.size() - 1);
      for (Selection s : set) {
        if (s instanceof FragmentSpread spread) {
          spreads.add(spread);
        } else if (s instanceof Field f) {
          toVisit.add(f.selectionSet());
        } else if (s instanceof InlineFragment inline) {
          toVisit.add(inline.selectionSet());
        }
      }
    }
    return spreads;
  }
}
