package dev.gatehouse.engine.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.Policy;
import dev.gatehouse.engine.Rego;
import dev.gatehouse.engine.ast.RegoVersion;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class TestRunnerTest {
  static final String POLICY = """
      package app

      default allow := false

      allow if input.user == "alice"

      unused(x) := x + 1
      """;
  static final String TESTS = """
      package app_test

      import data.app

      test_alice if app.allow with input as {"user": "alice"}

      test_bob if {
      	upper("y") == "x"
      	app.allow with input as {"user": "bob"}
      }

      todo_test_later if false

      todo_not_a_test if false

      test_cases[name] if {
      	some name, v in {"a": 1, "b": 2}
      	v > 0
      }
      """;

  static final Map<String, String> SOURCES = Map.of("app.rego", POLICY, "app_test.rego", TESTS);

  static Policy policy() {
    return Rego.builder().module("app.rego", POLICY).module("app_test.rego", TESTS).compile();
  }

  static TestOptions opts(boolean coverage, boolean trace) {
    return new TestOptions(null, Duration.ofSeconds(5), RegoVersion.V1, coverage, trace, false);
  }

  @Test
  void discoversTestsTodosAndParameterizedCases() {
    List<TestResult> rs = TestRunner.execute(policy(), SOURCES, opts(false, false)).results();
    assertThat(rs).extracting(TestResult::name).containsExactly("test_alice", "test_bob", "todo_test_later", "test_cases");
    assertThat(rs.get(0).passed()).isTrue();
    assertThat(rs.get(1).fail()).isTrue();
    assertThat(rs.get(2).skip()).isTrue();
    assertThat(rs.get(3).subResults()).containsExactly(Map.entry("a", false), Map.entry("b", false));
    assertThat(rs.get(3).passed()).isTrue();
  }

  @Test
  void aTracedFailureNamesTheFirstExpressionThatFailed() {
    TestResult bob = TestRunner.execute(policy(), SOURCES, opts(false, true)).results().get(1);
    assertThat(bob.failures()).extracting(TestResult.FailedExpr::row, TestResult.FailedExpr::text)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(8, "upper(\"y\") == \"x\""));
  }

  @Test
  void varValuesRecordTheLastFailedExpressionWithItsVariablesAndRuleValues() {
    String tests = """
        package v_test

        import data.app

        names := ["a", "b"]

        test_iterated if {
        	some n in names
        	n == "c"
        }

        test_rule if {
        	app.allow
        }
        """;
    Policy p = Rego.builder().module("app.rego", POLICY).module("v_test.rego", tests).compile();
    List<TestResult> rs = TestRunner.execute(p, Map.of(),
        opts(false, false).withReports(true, false, false)).results();
    TestResult iterated = rs.get(0);
    assertThat(iterated.failedLine().location().row()).isEqualTo(9);
    assertThat(iterated.failedLine().seen()).extracting(s -> s.name(), s -> s.value().toString())
        .containsExactly(org.assertj.core.groups.Tuple.tuple("n", "\"b\""));
    TestResult rule = rs.get(1);
    assertThat(rule.failedLine().location().row()).isEqualTo(13);
    assertThat(rule.failedLine().seen()).singleElement().satisfies(s -> {
      assertThat(s.name()).isNull();
      assertThat(s.at().col()).isEqualTo(2);
      assertThat(s.value().toString()).isEqualTo("false"); // default allow := false
    });
  }

  @Test
  void notesRecordTraceCallsOfTheTest() {
    String tests = """
        package n_test

        test_n if {
        	trace("hello")
        	x := 1
        	trace(sprintf("x=%v", [x]))
        	x == 2
        }
        """;
    Rego.Builder b = Rego.builder().module("n_test.rego", tests);
    TestResult r = TestRunner.execute(b, Map.of(), opts(false, false).withReports(false, true, false)).results().get(0);
    assertThat(r.notes()).extracting(n -> n.location().row(), TestResult.Note::message)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(4, "hello"), org.assertj.core.groups.Tuple.tuple(6, "x=1"));
  }

  @Test
  void benchmarksRunPassingTestsUntilTheyFillTheBenchTime() {
    List<TestResult> rs = TestRunner.execute(policy(), SOURCES, opts(false, false).withReports(false, false, true))
        .results();
    Bench.Result alice = rs.get(0).bench();
    assertThat(alice.n()).isGreaterThan(1);
    assertThat(alice.totalNanos()).isGreaterThanOrEqualTo(Bench.BENCH_TIME);
    assertThat(alice.evalNanos()).isPositive().isLessThanOrEqualTo(alice.totalNanos());
    assertThat(rs.get(1).bench()).as("a failing test is not benchmarked").isNull();
  }

  @Test
  void coverageSeparatesReachedRowsFromMissedOnes() {
    Coverage.Report r = TestRunner.execute(policy(), SOURCES,
        new TestOptions(Pattern.compile("test_alice"), Duration.ofSeconds(5), RegoVersion.V1, true, false, false))
        .coverage();
    Coverage.FileReport app = r.files().get("app.rego");
    // as opa v1.22.2 reports it: the default is not reached when allow is true; unused() never is
    assertThat(app.covered()).extracting(Coverage.Range::startRow).containsExactly(5, 5);
    assertThat(app.notCovered()).extracting(Coverage.Range::startRow).containsExactly(3, 7);
    assertThat(app.coveredLines()).isEqualTo(1);
    assertThat(app.notCoveredLines()).isEqualTo(2);
    assertThat(r.files().get("app_test.rego").covered()).extracting(Coverage.Range::startRow).contains(5);
    assertThat(r.files().get("app_test.rego").notCovered()).extracting(Coverage.Range::startRow).contains(7, 8, 9);
  }

  @Test
  void aFailingParameterizedCaseIsReportedAsFailedLikeOpa(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws java.io.IOException {
    java.nio.file.Files.writeString(dir.resolve("cases_test.rego"), """
        package cases_test

        test_double[name] if {
        	some name, c in {"one": [1, 2], "bad": [3, 5]}
        	c[0] * 2 == c[1]
        }
        """);
    TestResult r = TestRunner.execute(List.of(dir), TestOptions.defaults()).results().get(0);
    assertThat(r.subResults()).containsExactly(Map.entry("bad", true), Map.entry("one", false));
    assertThat(r.fail()).isTrue();
  }

  @Test
  void multiRowExpressionsCountEveryRowTheySpan() {
    String src = "package m\n\nx := {\n\t\"a\": 1,\n\t\"b\": 2,\n}\n\np if {\n\tcount([1,\n\t\t2]) == 2\n\tx.a == 1\n}\n";
    assertThat(Extent.endRow(src, src.indexOf("x :="), 3, true)).isEqualTo(6);
    assertThat(Extent.endRow(src, src.indexOf("p if"), 8, true)).isEqualTo(8);
    assertThat(Extent.endRow(src, src.indexOf("count("), 9, false)).isEqualTo(10);
    assertThat(Extent.endRow(src, src.indexOf("x.a"), 11, false)).isEqualTo(11);
  }

  @Test
  void theRunFilterMatchesQualifiedNames() {
    List<TestResult> rs = TestRunner.execute(policy(), SOURCES,
        new TestOptions(Pattern.compile("app_test\\.test_b"), Duration.ofSeconds(5), RegoVersion.V1, false)).results();
    assertThat(rs).extracting(TestResult::fullName).containsExactly("data.app_test.test_bob");
  }

  @Test
  void everyBodyOfATestIsItsOwnTestNumberedAsOpaDoes(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws java.io.IOException {
    // opa v1.22.2: test_x PASS, test_x#01 FAIL, test_x#02 PASS (cli/src/test/resources/parity has the recordings)
    java.nio.file.Files.writeString(dir.resolve("dup_test.rego"),
        "package dup\n\ntest_x if { 1 == 1 }\n\ntest_x if { 1 == 2 }\n\ntest_x if { 2 == 2 }\n");
    List<TestResult> rs = TestRunner.execute(List.of(dir), TestOptions.defaults()).results();
    assertThat(rs).extracting(TestResult::name, TestResult::row, TestResult::fail).containsExactly(
        org.assertj.core.groups.Tuple.tuple("test_x", 3, false),
        org.assertj.core.groups.Tuple.tuple("test_x#01", 5, true),
        org.assertj.core.groups.Tuple.tuple("test_x#02", 7, false));
  }
}
