package dev.gatehouse.engine.builtins.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.engine.RegoException;
import dev.gatehouse.engine.builtins.Eval;
import org.junit.jupiter.api.Test;

/** Expected values and messages recorded with {@code opa eval --strict-builtin-errors} (OPA v1.22.2). */
class JsonPatchTest {

  @Test
  void addsToASetByNamingTheMemberAsItsOwnPath() {
    assertThat(Eval.json("json.patch({\"s\": {\"x\", \"y\"}}, [{\"op\": \"add\", \"path\": \"/s/z\", \"value\": \"z\"}])"))
        .isEqualTo("{\"s\":[\"x\",\"y\",\"z\"]}");
  }

  @Test
  void refusesToAddASetMemberUnderAnotherName() {
    assertThatThrownBy(() -> Eval.strict(
        "json.patch({\"s\": {\"x\"}}, [{\"op\": \"add\", \"path\": \"/s/q\", \"value\": \"z\"}])"))
        .isInstanceOf(RegoException.class)
        .hasMessageContaining("json.patch: set key \"q\" does not equal value to be inserted \"z\"");
  }

  @Test
  void patchesInsideACompositeSetMemberAndReplacesThatMember() {
    assertThat(Eval.json("json.patch({\"s\": {{\"a\": 1}}}, [{\"op\": \"add\", \"path\": [\"s\", {\"a\": 1}, \"b\"], \"value\": 2}])"))
        .isEqualTo("{\"s\":[{\"a\":1,\"b\":2}]}");
  }

  @Test
  void removesASetMember() {
    assertThat(Eval.json("json.patch({\"s\": {\"x\", \"y\"}}, [{\"op\": \"remove\", \"path\": \"/s/x\"}])"))
        .isEqualTo("{\"s\":[\"y\"]}");
  }

  @Test
  void dashAppendsWhenAddingButIsOutOfBoundsWhenRemoving() {
    assertThat(Eval.json("json.patch([1, 2], [{\"op\": \"add\", \"path\": \"/-\", \"value\": 3}])")).isEqualTo("[1,2,3]");
    assertThatThrownBy(() -> Eval.strict("json.patch({\"a\": [1, 2]}, [{\"op\": \"remove\", \"path\": \"/a/-\"}])"))
        .hasMessageContaining("json.patch: index for array delete out of bounds");
  }

  @Test
  void missingIntermediatePathsAreNotCreated() {
    assertThatThrownBy(() -> Eval.strict("json.patch({\"a\": {\"b\": 1}}, [{\"op\": \"add\", \"path\": \"/x/y\", \"value\": 1}])"))
        .hasMessageContaining("json.patch: path \"x\" does not exist in object term {\"a\": {\"b\": 1}}");
  }

  @Test
  void replaceNeedsAnExistingTarget() {
    assertThatThrownBy(() -> Eval.strict("json.patch({\"a\": {\"b\": 1}}, [{\"op\": \"replace\", \"path\": \"/a/c\", \"value\": 1}])"))
        .hasMessageContaining("json.patch: cannot delete child key \"c\" that does not exist");
  }

  @Test
  void aFailedTestFailsTheWholePatchAndAPassingOneChangesNothing() {
    assertThat(Eval.json("json.patch({\"a\": 1}, [{\"op\": \"test\", \"path\": \"/a\", \"value\": 1}, {\"op\": \"copy\", \"from\": \"/a\", \"path\": \"/b\"}])"))
        .isEqualTo("{\"a\":1,\"b\":1}");
    assertThatThrownBy(() -> Eval.strict("json.patch({\"a\": 1}, [{\"op\": \"test\", \"path\": \"/a\", \"value\": 2}])"))
        .hasMessageContaining("json.patch: value from EditTree != patch value.\n\nExpected: 2\n\nFound: 1");
  }

  @Test
  void aFailingPatchIsUndefinedOutsideStrictMode() {
    dev.gatehouse.engine.Policy p = dev.gatehouse.engine.Rego.builder().module("t.rego", "package t\n").compile();
    assertThat(Eval.run(p, "json.patch({\"a\": 1}, [{\"op\": \"test\", \"path\": \"/a\", \"value\": 2}])",
        dev.gatehouse.engine.EvalOptions.builder().build())).isNull();
  }

  @Test
  void escapedSegmentsNameKeysWithSlashAndTilde() {
    assertThat(Eval.json("json.patch({\"a/b\": {\"c~d\": 1}}, [{\"op\": \"move\", \"from\": \"/a~1b/c~0d\", \"path\": \"/e\"}])"))
        .isEqualTo("{\"a/b\":{},\"e\":1}");
  }

  @Test
  void anUnknownOperationIsAnError() {
    assertThatThrownBy(() -> Eval.strict("json.patch({}, [{\"op\": \"frob\", \"path\": \"/a\"}])"))
        .hasMessageContaining("json.patch: unrecognized op: 'frob'");
  }
}
