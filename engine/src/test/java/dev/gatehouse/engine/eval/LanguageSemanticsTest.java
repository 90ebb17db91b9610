package dev.gatehouse.engine.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.engine.Policy;
import dev.gatehouse.engine.Rego;
import dev.gatehouse.engine.RegoException;
import dev.gatehouse.engine.ast.RegoVersion;
import dev.gatehouse.engine.value.Json;
import dev.gatehouse.engine.value.Value;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Language behaviour the conformance suite exercises, kept here so that it is tested without
 * the suite. Expected values are what `opa eval` (v1.22.2) prints for the same policies.
 */
class LanguageSemanticsTest {

  private static String eval(String query, String input, String data, String... modules) {
    Rego.Builder b = Rego.builder();
    for (int i = 0; i < modules.length; i++) {
      b.module("m" + i + ".rego", modules[i]);
    }
    if (data != null) {
      b.dataJson(data);
    }
    Policy p = b.compile();
    Optional<Value> v = p.prepare(query).evalValue(input == null ? null : Json.parse(input));
    return v.map(Value::toJson).orElse("undefined");
  }

  @Test
  void andBindsTighterThanOrAndOperandsAreClosedScopes() {
    String m = """
        package test
        import future.keywords.and
        import future.keywords.or
        p if { input.a and input.b or input.c }
        q if {
          a := -100
          { a := 1; a > 0 } and { a := 2; a > 1 }
          a == -100
        }
        xs := [x | x := input.xs[_]; x < 0 or x > 10]
        """;
    assertThat(eval("data.test.p", "{\"a\": false, \"b\": true, \"c\": true}", null, m)).isEqualTo("true");
    assertThat(eval("data.test.p", "{\"a\": true, \"b\": false, \"c\": false}", null, m)).isEqualTo("undefined");
    assertThat(eval("data.test.q", "{}", null, m)).isEqualTo("true");
    assertThat(eval("data.test.xs", "{\"xs\": [-1, 5, 12, 3]}", null, m)).isEqualTo("[-1,12]");
  }

  @Test
  void orSucceedsOnceEvenWhenBothOperandsHold() {
    String m = """
        package test
        import rego.v2
        n := count([1 | input.a or input.b])
        """;
    assertThat(eval("data.test.n", "{\"a\": true, \"b\": true}", null, m)).isEqualTo("1");
  }

  @Test
  void notWithABodyNegatesTheWholeBody() {
    String m = """
        package test
        import future.keywords.not
        p if { not { input.x == 1; input.y == 2 } }
        """;
    assertThat(eval("data.test.p", "{\"x\": 1, \"y\": 3}", null, m)).isEqualTo("true");
    assertThat(eval("data.test.p", "{\"x\": 1, \"y\": 2}", null, m)).isEqualTo("undefined");
  }

  @Test
  void withAfterAChainAppliesToEveryOperand() {
    String m = """
        package test
        import future.keywords.and
        p if { input.x > 0 and input.y > 0 with input as {"x": 1, "y": 2} }
        """;
    assertThat(eval("data.test.p", null, null, m)).isEqualTo("true");
  }

  @Test
  void refHeadRulesAtSeveralDepthsBuildOneObject() {
    String m = """
        package test
        p[q].r.s := i if q := ["a", "b", "c"][i]
        p.d.r := 3
        p.e := 4
        """;
    assertThat(eval("data.test.p", null, null, m))
        .isEqualTo("{\"a\":{\"r\":{\"s\":0}},\"b\":{\"r\":{\"s\":1}},\"c\":{\"r\":{\"s\":2}},\"d\":{\"r\":3},\"e\":4}");
  }

  @Test
  void twoRulesWritingTheSameKeyConflictAtEvaluation() {
    String m = "package test\np.q.r := 1\np.q[s] := 2 if s := \"r\"\n";
    assertThatThrownBy(() -> eval("data.test.p.q", null, null, m))
        .isInstanceOf(RegoException.class)
        .hasMessageContaining("eval_conflict_error: object keys must be unique");
  }

  @Test
  void baseDataWinsOverARuleAtTheSamePathWhenTheParentIsRead() {
    String m = "package topdown.conflicts\nk := \"bar\"\n";
    assertThat(eval("data.topdown.conflicts", null, "{\"topdown\": {\"conflicts\": {\"k\": \"foo\"}}}", m))
        .isEqualTo("{\"k\":\"foo\"}");
  }

  @Test
  void anEmptyPackageIsAnEmptyObject() {
    assertThat(eval("data", null, "{}", "package a.b\n", "package x\np := data.a.b\n"))
        .isEqualTo("{\"a\":{\"b\":{}},\"x\":{\"p\":{}}}");
  }

  @Test
  void integerKeysReadStringKeysOfTheDataDocument() {
    assertThat(eval("data.test.p", null, "{\"nested\": {\"2\": \"bar\"}}", "package test\np := data.nested[2]\n"))
        .isEqualTo("\"bar\"");
    assertThat(eval("data.test.p", null, "{\"nested\": {\"2\": \"bar\"}}",
        "package test\np := obj[2] if obj := data.nested\n")).isEqualTo("undefined");
  }

  @Test
  void aOneTermQueryReportsFalseValues() {
    assertThat(eval("data.jit.allow", "{}", null, "package jit\ndefault allow := false\nallow if input.ok\n"))
        .isEqualTo("false");
  }

  @Test
  void aMockRunsWithoutOtherMocks() {
    String m = """
        package test
        f(x) := object.union_n(x) if {x: i | x := ["a", "a"][i]}
        g(x) := count(x)
        p if { q with count as f }
        q if { r with object.union_n as g }
        r if { object.union_n([{}]) }
        """;
    assertThat(eval("data.test.p", null, null, m)).isEqualTo("true");
  }

  @Test
  void metadataChainRunsFromTheRuleOutToItsPackage() {
    String m = """
        # METADATA
        # description: The Rego test suite
        package testing

        # METADATA
        # title: Testing annotations
        # authors:
        # - The OPA contributors
        p := rego.metadata.chain()
        """;
    assertThat(eval("data.testing.p", null, null, m)).isEqualTo(
        "[{\"annotations\":{\"authors\":[{\"name\":\"The OPA contributors\"}],\"scope\":\"rule\","
            + "\"title\":\"Testing annotations\"},\"path\":[\"testing\",\"p\"]},"
            + "{\"annotations\":{\"description\":\"The Rego test suite\",\"scope\":\"package\"},\"path\":[\"testing\"]}]");
  }

  @Test
  void functionParametersShadowRulesOfTheSameName() {
    assertThat(eval("data.test", null, null, "package test\nfoo[\"bar\"](x) := x + 1\nx := foo.bar(2)\n"))
        .isEqualTo("{\"foo\":{},\"x\":3}");
  }

  @Test
  void aReferenceThatBindsAVariableRunsBeforeTheComparisonReadingIt() {
    assertThat(eval("data.test.p", "{\"foos\": [2, 1, 0]}", null,
        "package test\np := foo if {\n  some foo\n  foo == input.foos[foo]\n}\n")).isEqualTo("1");
  }

  @Test
  void negatedCallsEvaluateTheirArgumentsBeforeTheNegation() {
    String m = """
        package t
        a if not equal(input.x, 1)
        b if not input.x != 1
        c if not is_string(input.missing)
        d if not count(input.xs) > 0
        e if not input.a.b
        f if not startswith("abc", "b")
        """;
    assertThat(eval("data.t", "{}", null, m)).isEqualTo("{\"a\":true,\"e\":true,\"f\":true}");
  }

  @Test
  void withTheNotKeywordTheArgumentsStayInsideTheNegation() {
    String m = "package negation\nimport future.keywords.not\np := [x | x := \"foo\"; not f(input.x)]\nf(_) := true\n";
    assertThat(eval("data.negation.p", "{}", null, m)).isEqualTo("[\"foo\"]");
  }

  @Test
  void aDataOverrideBelowAReadDocumentMergesIntoBaseDataButReplacesRuleValues() {
    String m = """
        package t
        v := r if { r := data.cfg with data.cfg.rules as {"c": 3, "a": 9} }
        w := r if { r := data.cfg.rules with data.cfg.rules as {"c": 3} }
        y := r if { r := data.cfg with data.cfg.rules.a as 7 }
        q := r if { r := data.virt with data.virt.a as {"d": 3} }
        """;
    String virt = "package virt\na := {\"b\": 1}\n";
    String data = "{\"cfg\": {\"rules\": {\"a\": 1, \"b\": 2}, \"other\": 1}}";
    assertThat(eval("data.t", null, data, m, virt)).isEqualTo("{\"q\":{\"a\":{\"d\":3}},"
        + "\"v\":{\"other\":1,\"rules\":{\"a\":9,\"b\":2,\"c\":3}},\"w\":{\"c\":3},"
        + "\"y\":{\"other\":1,\"rules\":{\"a\":7,\"b\":2}}}");
  }

  @Test
  void v0PartialSetsAndV1StyleObjectsUnderIf() {
    Policy p = Rego.builder()
        .module("m.rego", "package test\nimport future.keywords\nq[7] = 8 if true\na[x] if q[x]\ns[x] { x := 1 }\n",
            RegoVersion.V0)
        .compile();
    assertThat(p.prepare("data.test").evalValue(null).orElseThrow().toJson())
        .isEqualTo("{\"a\":{\"7\":true},\"q\":{\"7\":8},\"s\":[1]}");
  }
}
