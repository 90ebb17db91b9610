package dev.gatehouse.policytests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.gatehouse.engine.RegoException;
import dev.gatehouse.engine.test.TestOptions;
import dev.gatehouse.engine.test.TestResult;
import dev.gatehouse.engine.test.TestRunner;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.opentest4j.TestAbortedException;

/**
 * Runs every Rego test of the policy library through the engine's test runner: one JUnit test per
 * Rego test, grouped by file, so that {@code ./mvnw verify} fails when a policy test fails and the
 * report names the Rego file and line.
 */
class RegoPolicyTests {

  @TestFactory
  Stream<DynamicNode> regoTests() {
    List<TestResult> results;
    try {
      results = TestRunner.run(List.of(PolicyLibrary.root()), TestOptions.defaults());
    } catch (RegoException e) {
      // A library that does not compile runs no tests: report that as one failure, not zero tests.
      return Stream.of(DynamicTest.dynamicTest("policies compile", () -> fail("policies do not compile:\n" + e.getMessage())));
    }
    if (results.isEmpty()) {
      return Stream.of(DynamicTest.dynamicTest("policies have tests", () -> fail("no Rego tests found under " + PolicyLibrary.root())));
    }
    Map<String, List<TestResult>> byFile = results.stream()
        .sorted(Comparator.comparing(TestResult::file).thenComparingInt(TestResult::row).thenComparing(TestResult::name))
        .collect(Collectors.groupingBy(r -> PolicyLibrary.display(r.file()), TreeMap::new, Collectors.toList()));
    return byFile.entrySet().stream().map(e -> DynamicContainer.dynamicContainer(e.getKey(),
        e.getValue().stream().map(RegoPolicyTests::asJUnit)));
  }

  private static DynamicTest asJUnit(TestResult r) {
    String where = PolicyLibrary.display(r.file()) + ":" + r.row();
    // No test source URI on purpose: surefire's -Dtest filter silently drops dynamic tests that
    // carry one. The file and line are in every failure message instead.
    return DynamicTest.dynamicTest(r.name(), () -> {
      if (r.skip()) {
        throw new TestAbortedException(where + ": " + r.packageName() + "." + r.name() + " is a todo_ test");
      }
      if (r.error() != null) {
        fail(where + ": " + r.packageName() + "." + r.name() + " raised an error:\n  " + r.error() + output(r));
      }
      if (r.fail()) {
        fail(where + ": " + r.packageName() + "." + r.name() + " failed" + output(r));
      }
      assertThat(r.passed()).isTrue();
    });
  }

  private static String output(TestResult r) {
    return r.output().isEmpty() ? "" : "\nprint output:\n  " + r.output().strip().replace("\n", "\n  ");
  }
}
