package dev.gatehouse.engine.builtins;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Builtin results and errors against real OPA: each line of {@code builtins/<category>.tsv} is
 * an expression and what OPA v1.22.2 gave for it (values, number spellings, error codes and
 * messages). Cases whose OPA answer is a compile-time type error are not in the fixtures: type
 * checking belongs to the compiler.
 */
class OpaOracleTest {

  @TestFactory
  Stream<DynamicTest> numbersAndCollections() throws IOException {
    return cases("numbers");
  }

  @TestFactory
  Stream<DynamicTest> strings() throws IOException {
    return cases("strings");
  }

  @TestFactory
  Stream<DynamicTest> sprintf() throws IOException {
    return cases("sprintf");
  }

  @TestFactory
  Stream<DynamicTest> regexAndGlob() throws IOException {
    return cases("patterns");
  }

  @TestFactory
  Stream<DynamicTest> encoding() throws IOException {
    return cases("encoding");
  }

  @TestFactory
  Stream<DynamicTest> time() throws IOException {
    return cases("time");
  }

  @TestFactory
  Stream<DynamicTest> net() throws IOException {
    return cases("net");
  }

  @TestFactory
  Stream<DynamicTest> uri() throws IOException {
    return cases("uri");
  }

  @TestFactory
  Stream<DynamicTest> unitsSemverUuid() throws IOException {
    return cases("misc");
  }

  @TestFactory
  Stream<DynamicTest> renderTemplate() throws IOException {
    return cases("template");
  }

  private static Stream<DynamicTest> cases(String category) throws IOException {
    String text;
    try (InputStream in = OpaOracleTest.class.getResourceAsStream("/builtins/" + category + ".tsv")) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    List<DynamicTest> tests = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int tab = line.indexOf('\t');
      String expression = line.substring(0, tab);
      String expected = line.substring(tab + 1);
      tests.add(DynamicTest.dynamicTest(category + ": " + expression, () ->
          assertThat(RegoEval.eval(expression).replace("\n", "\\n")).isEqualTo(RegoEval.normalize(expected))));
    }
    assertThat(tests).isNotEmpty();
    return tests.stream();
  }
}
