package dev.gatehouse.engine.builtins.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.engine.builtins.Eval;
import org.junit.jupiter.api.Test;

/** json.filter / json.remove; expected values recorded with {@code opa eval} (OPA v1.22.2). */
class JsonPathsTest {

  @Test
  void filterUnescapesTildeOneAndTildeZero() {
    assertThat(Eval.json("json.filter({\"a/b\": {\"c~d\": 1, \"x\": 2}, \"y\": 3}, [\"a~1b/c~0d\"])"))
        .isEqualTo("{\"a/b\":{\"c~d\":1}}");
  }

  @Test
  void removeTakesASetOfPathsWithOrWithoutLeadingSlash() {
    assertThat(Eval.json("json.remove({\"a/b\": {\"c~d\": 1, \"x\": 2}, \"y\": 3}, {\"/a~1b/c~0d\", \"y\"})"))
        .isEqualTo("{\"a/b\":{\"x\":2}}");
  }

  @Test
  void filterMixesSegmentArraysAndStringPathsThroughArrays() {
    assertThat(Eval.json("json.filter({\"a\": [{\"b\": 1, \"c\": 2}, {\"b\": 3}]}, [[\"a\", \"0\", \"c\"], \"a/1\"])"))
        .isEqualTo("{\"a\":[{\"c\":2},{\"b\":3}]}");
  }

  @Test
  void removeClosesTheGapsInArrays() {
    assertThat(Eval.json("json.remove({\"a\": [0, 1, 2, 3]}, [\"a/1\", \"a/3\"])")).isEqualTo("{\"a\":[0,2]}");
  }

  @Test
  void aShorterPathWinsOverLongerOnesThroughIt() {
    assertThat(Eval.json("json.filter({\"a\": {\"b\": 7}}, {\"a\", \"a/b\"})")).isEqualTo("{\"a\":{\"b\":7}}");
    assertThat(Eval.json("json.remove({\"a\": {\"b\": 7}, \"c\": 1}, {\"a\", \"a/b\"})")).isEqualTo("{\"c\":1}");
  }

  @Test
  void pathsOfTheWrongTypeAreOperandErrorsWithOpasWording() {
    assertThatThrownBy(() -> Eval.strict("json.remove({\"a\": 1}, [input])", "1"))
        .hasMessageContaining("json.remove: operand 2 must be one of {set, array} containing string paths"
            + " or array of path segments but got number");
    assertThatThrownBy(() -> Eval.strict("json.filter({\"a\": 1}, input)", "\"a\""))
        .hasMessageContaining("json.filter: operand 2 must be one of {set, array} but got string");
  }
}
