package dev.gatehouse.engine.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Golden files under src/test/resources/format: inputs and the output OPA v1.22.2 gave for them. */
class RegoFormatterGoldenTest {
  static Stream<Arguments> cases() throws IOException, URISyntaxException {
    Path root = Path.of(RegoFormatterGoldenTest.class.getResource("/format").toURI());
    List<Path> inputs;
    try (Stream<Path> s = Files.walk(root)) {
      inputs = s.filter(p -> p.toString().endsWith(".rego")).sorted().toList();
    }
    return inputs.stream().map(p -> Arguments.of(root.relativize(p).toString(), p));
  }

  private static RegoFormatter.Target target(String name) {
    if (name.startsWith("v0_to_v1/")) {
      return RegoFormatter.Target.V0_V1;
    }
    return name.startsWith("v0/") ? RegoFormatter.Target.V0 : RegoFormatter.Target.V1;
  }

  private static String read(Path p) throws IOException {
    return Files.readString(p, StandardCharsets.UTF_8);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void formatsLikeOpa(String name, Path input) throws IOException {
    String expected = read(Path.of(input + ".formatted"));
    assertThat(RegoFormatter.format(name, read(input), target(name))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void formattingTwiceChangesNothing(String name, Path input) throws IOException {
    String once = RegoFormatter.format(name, read(input), target(name));
    assertThat(RegoFormatter.format(name, once, target(name))).isEqualTo(once);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void opasOutputIsAFixedPoint(String name, Path input) throws IOException {
    String expected = read(Path.of(input + ".formatted"));
    assertThat(RegoFormatter.format(name, expected, target(name))).isEqualTo(expected);
  }

  /**
   * Issue 13 item 15: opa 1.22.2's fmt drops the {@code with} modifiers of an expression whose
   * last call argument spans lines and holds a comment, which changes the program's meaning.
   * gatehouse fmt copies it byte for byte (the golden case above), on purpose: formatting with
   * either tool must give one result. This says so: the input has the modifiers, the output not.
   */
  @org.junit.jupiter.api.Test
  void copiesOpasDroppedWithAfterACommentedMultiLineArgument() throws IOException, URISyntaxException {
    Path input = Path.of(getClass().getResource("/format/v1/with_dropped_after_commented_argument.rego").toURI());
    String out = RegoFormatter.format("x.rego", read(input), RegoFormatter.Target.V1);
    assertThat(out).isEqualTo(read(Path.of(input + ".formatted")));
    assertThat(withs(read(input))).isEqualTo(2);
    assertThat(withs(out)).as("opa's output, copied: the with modifiers are gone").isZero();
  }

  private static long withs(String source) {
    dev.gatehouse.engine.ast.Module m = dev.gatehouse.engine.parse.RegoParser.parseModule("x.rego", source,
        dev.gatehouse.engine.ast.RegoVersion.V1);
    return m.rules().stream().flatMap(r -> r.body().exprs().stream()).mapToLong(e -> e.with().size()).sum();
  }
}
