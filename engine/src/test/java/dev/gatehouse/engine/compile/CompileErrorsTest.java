package dev.gatehouse.engine.compile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.gatehouse.engine.Rego;
import dev.gatehouse.engine.RegoError;
import dev.gatehouse.engine.RegoException;
import dev.gatehouse.engine.ast.RegoVersion;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Compile-time errors, with the codes, lines and messages `opa check` (v1.22.2) prints for the same modules. */
class CompileErrorsTest {

  private static List<String> errors(String source, boolean strict) {
    RegoException e = catchThrowableOfType(RegoException.class,
        () -> Rego.builder().module("m.rego", source).strict(strict).compile());
    assertThat(e).as("compiling should fail").isNotNull();
    return e.errors().stream().map(RegoError::toString).toList();
  }

  @Test
  void rulesDependingOnThemselvesAreRecursionErrorsWithTheirCycle() {
    String src = """
        package x
        p if q
        q if r[_]
        r contains 1 if p
        f(x) := g(x)
        g(x) := f(x)
        s := data.x
        """;
    assertThat(errors(src, false)).containsExactly(
        "m.rego:2: rego_recursion_error: rule data.x.p is recursive: data.x.p -> data.x.q -> data.x.r -> data.x.p",
        "m.rego:3: rego_recursion_error: rule data.x.q is recursive: data.x.q -> data.x.r -> data.x.p -> data.x.q",
        "m.rego:4: rego_recursion_error: rule data.x.r is recursive: data.x.r -> data.x.p -> data.x.q -> data.x.r",
        "m.rego:5: rego_recursion_error: rule data.x.f is recursive: data.x.f -> data.x.g -> data.x.f",
        "m.rego:6: rego_recursion_error: rule data.x.g is recursive: data.x.g -> data.x.f -> data.x.g",
        "m.rego:7: rego_recursion_error: rule data.x.s is recursive: data.x.s -> data.x.s");
  }

  @Test
  void aDynamicRefOnlyDependsOnRulesItsConstantTailCanReach() {
    // opa v1.22.2 compiles this (conformance case planner-ir "issue 7399")
    Rego.builder()
        .module("a.rego", "package test\np := data[first].allow.see.something_else if first := \"primary\"\n")
        .module("b.rego", "package primary\nallow.see.something_else if true\n")
        .compile();
  }

  @Test
  void v1ModulesRejectShadowingImportsAndVariablesNamedInputOrData() {
    String src = """
        package x
        import data.foo
        import data.foo
        p if { x := 1 }
        q if { input := 1; input == 1 }
        r := 1 if { data := 2 }
        """;
    assertThat(errors(src, false)).containsExactly(
        "m.rego:3: rego_compile_error: import must not shadow import data.foo",
        "m.rego:5: rego_compile_error: variables must not shadow input (use a different variable name)",
        "m.rego:6: rego_compile_error: variables must not shadow data (use a different variable name)");
  }

  @Test
  void v0ModulesAllowWhatV1Rejects() {
    Rego.builder().module("m.rego", "package x\nimport data.a\nimport data.a\np { input := 1; input == 1 }\n",
        RegoVersion.V0).compile();
  }

  @Test
  void strictModeReportsUnusedImportsAssignmentsAndArguments() {
    String src = """
        package x
        import rego.v1
        import input.foo as bar
        p if { some y; x := 1; true }
        q := z if { z := 1 }
        r if { [a, b] := [1, 2]; a == 1 }
        s if { every k in [1] { k > 0; j := 1 } }
        t := [v | v := 1; w := 2]
        f(a) := 1
        """;
    assertThat(errors(src, true)).containsExactly(
        "m.rego:3: rego_compile_error: import input.foo as bar unused",
        "m.rego:4: rego_compile_error: assigned var x unused",
        "m.rego:6: rego_compile_error: assigned var b unused",
        "m.rego:7: rego_compile_error: assigned var j unused",
        "m.rego:8: rego_compile_error: assigned var w unused",
        "m.rego:9: rego_compile_error: unused argument a. (hint: use _ (wildcard variable) instead)");
  }

  @Test
  void builtinArgumentsOfAKnownWrongTypeAreTypeErrors() {
    // opa check (v1.22.2) reports the same three calls; its want lines also name the parameters
    List<String> errs = errors("package x\np := count(1)\nq := concat(1, [\"a\"])\nr if { x := \"a\" + 1 }\n", false);
    assertThat(errs).hasSize(3);
    assertThat(errs.get(0)).startsWith("m.rego:2: rego_type_error: count: invalid argument(s)\n\thave: (number, ???)");
    assertThat(errs.get(1)).startsWith("m.rego:3: rego_type_error: concat: invalid argument(s)\n\thave: (number, array<string>, ???)");
    assertThat(errs.get(2)).startsWith("m.rego:4: rego_type_error: plus: invalid argument(s)\n\thave: (string, number, ???)");
  }

  @Test
  void argumentsOfUnknownTypeAreNotTypeErrors() {
    Rego.builder().module("m.rego", """
        package x
        p := count(input.items)
        q := upper(data.names[_])
        r := concat(",", [v | v := input.list[_]])
        s := sum([n | some n in numbers.range(1, 3)])
        """).dataJson("{\"names\": [\"a\"]}").compile();
  }

  @Test
  void aRuleInsideAnotherRulesCompleteValueConflicts() {
    assertThat(errors("package test\np := 1\np.q := 2\n", false)).containsExactly(
        "m.rego:2: rego_type_error: rule data.test.p conflicts with:\n  rule data.test.p.q at m.rego:3");
  }
}
