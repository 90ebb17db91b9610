package dev.gatehouse.policytests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.Policy;
import dev.gatehouse.engine.value.Json;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays the corpus of recorded decisions in {@code src/test/resources/golden/}: each file holds
 * a decision path, the input and runtime data it was decided with, and the decision recorded by
 * the reference implementation ({@code scripts/record-golden}). A policy change that changes any
 * of these decisions fails here, and the failure shows both decisions.
 */
class GoldenDecisionsTest {
  private static final Path GOLDEN = Path.of("src", "test", "resources", "golden");

  record Golden(String name, String description, String path, Value data, Value input, Value expected) {
    static Golden read(Path file) {
      Value doc;
      try {
        doc = Json.parse(Files.readString(file));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      if (!(doc instanceof ObjectValue o)) {
        throw new IllegalArgumentException(file + ": a golden file is a JSON object");
      }
      return new Golden(file.getFileName().toString(), text(o, "description", file), text(o, "path", file),
          o.get("data"), required(o, "input", file), required(o, "expected", file));
    }

    private static Value required(ObjectValue o, String key, Path file) {
      Value v = o.get(key);
      if (v == null) {
        throw new IllegalArgumentException(file + ": missing \"" + key + "\"");
      }
      return v;
    }

    private static String text(ObjectValue o, String key, Path file) {
      if (!(required(o, key, file) instanceof StringValue s)) {
        throw new IllegalArgumentException(file + ": \"" + key + "\" must be a string");
      }
      return s.value();
    }
  }

  static List<Path> files() {
    try (Stream<Path> s = Files.list(GOLDEN)) {
      return s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void corpusCoversEveryDecisionPath() {
    List<String> paths = files().stream().map(Golden::read).map(Golden::path).distinct().sorted().toList();
    assertThat(paths).containsExactly(
        "data.gatehouse.admission.decision",
        "data.gatehouse.jit.request.decision",
        "data.gatehouse.jit.review.decision",
        "data.gatehouse.sidecar.decision");
  }

  @TestFactory
  Stream<DynamicTest> recordedDecisionsStillHold() {
    // Files recorded with the same runtime data share one compiled policy.
    Map<Value, Policy> compiled = new HashMap<>();
    return files().stream().map(file -> {
      Golden g = Golden.read(file);
      // No test source URI: surefire's -Dtest filter would silently drop the test.
      return DynamicTest.dynamicTest(g.name() + ": " + g.description(), () -> {
        Policy policy = compiled.computeIfAbsent(g.data() == null ? ObjectValue.EMPTY : g.data(), PolicyLibrary::compileWith);
        Optional<Value> actual = policy.prepare(g.path()).evalValue(g.input());
        assertThat(actual)
            .as("%s: %s is undefined", g.name(), g.path())
            .isPresent();
        assertThat(actual.get())
            .as("%s: decision of %s changed%nexpected: %s%nactual:   %s", g.name(), g.path(),
                Json.write(g.expected()), Json.write(actual.get()))
            .isEqualTo(g.expected());
      });
    });
  }
}
