package dev.gatehouse.engine.builtins.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.engine.builtins.Eval;
import org.junit.jupiter.api.Test;

/** Expected values recorded with {@code opa eval} (OPA v1.22.2). */
class GraphBuiltinsTest {
  private static final String G = "{\"a\": [\"b\"], \"b\": {\"c\"}, \"c\": [\"a\", \"d\"], \"e\": []}";

  @Test
  void reachableFollowsArraysAndSetsAndSurvivesCycles() {
    assertThat(Eval.json("graph.reachable(" + G + ", {\"a\"})")).isEqualTo("[\"a\",\"b\",\"c\"]");
  }

  @Test
  void verticesMissingFromTheGraphAreNotReached() {
    assertThat(Eval.json("graph.reachable(" + G + ", [\"z\", \"e\"])")).isEqualTo("[\"e\"]");
  }

  @Test
  void reachablePathsStopAtCyclesAndMissingVertices() {
    assertThat(Eval.json("graph.reachable_paths(" + G + ", {\"a\"})")).isEqualTo("[[\"a\",\"b\",\"c\"]]");
    assertThat(Eval.json("graph.reachable_paths(" + G + ", {\"e\"})")).isEqualTo("[[\"e\"]]");
  }

  @Test
  void initialVerticesMustBeAnArrayOrSet() {
    assertThatThrownBy(() -> Eval.strict("graph.reachable(" + G + ", input)", "\"a\""))
        .hasMessageContaining("graph.reachable: operand 2 must be {array, set} but got string");
  }
}
