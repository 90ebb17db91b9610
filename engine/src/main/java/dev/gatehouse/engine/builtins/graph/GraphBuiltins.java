package dev.gatehouse.engine.builtins.graph;

import static dev.gatehouse.engine.types.Types.ANY;
import static dev.gatehouse.engine.types.Types.ANY_ARRAY;
import static dev.gatehouse.engine.types.Types.ANY_SET;
import static dev.gatehouse.engine.types.Types.any;
import static dev.gatehouse.engine.types.Types.func;
import static dev.gatehouse.engine.types.Types.named;
import static dev.gatehouse.engine.types.Types.objectOf;
import static dev.gatehouse.engine.types.Types.setOf;

import dev.gatehouse.engine.builtins.Builtin;
import dev.gatehouse.engine.builtins.BuiltinException;
import dev.gatehouse.engine.builtins.BuiltinProvider;
import dev.gatehouse.engine.builtins.core.Args;
import dev.gatehouse.engine.builtins.core.Fn;
import dev.gatehouse.engine.types.Type;
import dev.gatehouse.engine.value.ArrayValue;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.SetValue;
import dev.gatehouse.engine.value.Value;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * graph.reachable and graph.reachable_paths over a graph given as an object from vertex to an
 * array or set of neighbours. ({@code walk} lives with the core collection builtins.)
 */
public final class GraphBuiltins implements BuiltinProvider {
  private static final Type VERTICES = any(ANY_ARRAY, ANY_SET);
  private static final Type GRAPH = objectOf(ANY, VERTICES);

  @Override
  public List<Builtin> builtins() {
    return List.of(
        Fn.of("graph", "graph.reachable", func(named("output", setOf(ANY)),
            named("graph", GRAPH), named("initial", VERTICES)), (c, a) -> reachable(Args.obj(a, 0), initial(a[1]))),
        Fn.of("graph", "graph.reachable_paths", func(named("output", setOf(ANY_ARRAY)),
            named("graph", GRAPH), named("initial", VERTICES)), (c, a) -> paths(Args.obj(a, 0), initial(a[1]))));
  }

  private static List<Value> initial(Value v) {
    if (v instanceof ArrayValue a) {
      return a.elements();
    }
    if (v instanceof SetValue s) {
      return s.sorted();
    }
    throw BuiltinException.operandType(2, v, "{array, set}");
  }

  /** Neighbours in OPA's iteration order; anything but an array or set has none. */
  private static List<Value> neighbours(Value edges) {
    if (edges instanceof ArrayValue a) {
      return a.elements();
    }
    if (edges instanceof SetValue s) {
      return s.sorted();
    }
    return List.of();
  }

  /** Breadth-first from the initial vertices; a vertex counts as reached only if the graph has it. */
  static SetValue reachable(ObjectValue graph, List<Value> initial) {
    ArrayDeque<Value> queue = new ArrayDeque<>(initial);
    Set<Value> reached = new HashSet<>();
    SetValue.Builder out = SetValue.builder();
    while (!queue.isEmpty()) {
      Value node = queue.poll();
      Value edges = graph.get(node);
      if (edges == null) {
        continue;
      }
      for (Value n : neighbours(edges)) {
        if (!reached.contains(n)) {
          queue.add(n);
        }
      }
      if (reached.add(node)) {
        out.add(node);
      }
    }
    return out.build();
  }

  /**
   * Every maximal path from an initial vertex: a path ends at a vertex without edges, just before
   * a vertex missing from the graph, or where it would revisit a vertex already on it.
   */
  static SetValue paths(ObjectValue graph, List<Value> initial) {
    SetValue.Builder out = SetValue.builder();
    for (Value root : initial) {
      Value edges = graph.get(root);
      if (edges == null) {
        continue;
      }
      List<Value> next = neighbours(edges);
      if (next.isEmpty()) {
        out.add(ArrayValue.of(root));
        continue;
      }
      for (Value n : next) {
        List<Value> path = new ArrayList<>();
        path.add(root);
        Set<Value> onPath = new HashSet<>();
        onPath.add(root);
        extend(graph, n, path, onPath, out);
      }
    }
    return out.build();
  }

  private static void extend(ObjectValue graph, Value node, List<Value> path, Set<Value> onPath, SetValue.Builder out) {
    Value edges = graph.get(node);
    if (edges == null) {
      out.add(ArrayValue.of(path));
      return;
    }
    List<Value> here = new ArrayList<>(path);
    here.add(node);
    List<Value> next = neighbours(edges);
    if (next.isEmpty()) {
      out.add(ArrayValue.of(here));
      return;
    }
    Set<Value> seen = new HashSet<>(onPath);
    seen.add(node);
    for (Value n : next) {
      if (seen.contains(n)) {
        out.add(ArrayValue.of(here));
      } else {
        extend(graph, n, here, seen, out);
      }
    }
  }
}
