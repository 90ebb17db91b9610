package dev.gatehouse.engine.builtins.graphql.validate;

import dev.gatehouse.engine.builtins.graphql.ast.Field;
import dev.gatehouse.engine.builtins.graphql.ast.FragmentDefinition;
import dev.gatehouse.engine.builtins.graphql.ast.FragmentSpread;
import dev.gatehouse.engine.builtins.graphql.ast.InlineFragment;
import dev.gatehouse.engine.builtins.graphql.ast.Selection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Introspection ({@code __schema}, {@code __type}) may nest the list fields {@code fields},
 * {@code interfaces}, {@code possibleTypes} and {@code inputFields} at most twice, following
 * fragments but not around cycles.
 *
 * <p>gqlparser re-explores a fragment every time it is reached, which is exponential for
 * fragments spreading each other repeatedly. The answer for a fragment at a given depth is the
 * same each time unless cycle pruning was involved, so such answers are remembered.
 */
final class MaxIntrospectionDepth implements Rule {
  private static final int MAX_LISTS_DEPTH = 3;
  private static final int MAX_STEPS = 1_000_000;

  private final Map<String, Boolean> memo = new HashMap<>();
  private boolean pruned;
  private int steps;

  @Override
  public void onField(Walker w, Field field) {
    if (field.name().equals("__schema") || field.name().equals("__type")) {
      if (checkField(w, field, new HashSet<>(), 0)) {
        w.report("Maximum introspection depth exceeded", field.position());
      }
    }
  }

  private boolean checkSelections(Walker w, List<Selection> selections, Set<String> visited, int depth) {
    if (++steps > MAX_STEPS) {
      throw new ValidationLimitExceeded("Exceeded maximum validation effort for introspection depth");
    }
    w.enter();
    try {
      for (Selection s : selections) {
        if (s instanceof Field f && checkField(w, f, visited, depth)) {
          return true;
        }
        if (s instanceof FragmentSpread spread && checkSpread(w, spread, visited, depth)) {
          return true;
        }
        if (s instanceof InlineFragment inline && checkSelections(w, inline.selectionSet(), visited, depth)) {
          return true;
        }
      }
      return false;
    } finally {
      w.exit();
    }
  }

  private boolean checkField(Walker w, Field field, Set<String> visited, int depth) {
    switch (field.name()) {
      case "fields", "interfaces", "possibleTypes", "inputFields" -> {
        if (++depth >= MAX_LISTS_DEPTH) {
          return true;
        }
      }
      default -> { }
    }
    return checkSelections(w, field.selectionSet(), visited, depth);
  }

  private boolean checkSpread(Walker w, FragmentSpread spread, Set<String> visited, int depth) {
    String name = spread.name();
    if (visited.contains(name)) {
      pruned = true; // cycles are NoFragmentCycles' business
      return false;
    }
    FragmentDefinition fragment = w.notes.of(spread).definition;
    if (fragment == null) {
      return false; // unknown fragments are KnownFragmentNames' business
    }
    String key = name + "\u0000" + depth;
    Boolean known = memo.get(key);
    if (known != null) {
      return known;
    }
    boolean outerPruned = pruned;
    pruned = false;
    visited.add(name);
    boolean result = checkSelections(w, fragment.selectionSet(), visited, depth);
    visited.remove(name);
    if (!pruned) {
      memo.put(key, result);
    }
    pruned |= outerPruned;
    return result;
  }
}
