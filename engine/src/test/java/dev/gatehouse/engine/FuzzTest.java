package dev.gatehouse.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.gatehouse.engine.ast.RegoVersion;
import dev.gatehouse.engine.value.ArrayValue;
import dev.gatehouse.engine.value.BooleanValue;
import dev.gatehouse.engine.value.NullValue;
import dev.gatehouse.engine.value.NumberValue;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Feeds the parser, compiler and evaluator mutated modules, random token soup and random inputs.
 * Whatever the input, the engine may only succeed or throw a {@link RegoException}: no other
 * exception, no StackOverflowError, and no evaluation running past its deadline. Seeds are fixed
 * so a failure reproduces; the failing source is printed in the assertion message. Longer runs:
 * {@code ./mvnw -pl engine test -Dtest=FuzzTest -DargLine="-Xss8m -Dfuzz.iterations=100000 -Dfuzz.seed=7"}.
 */
class FuzzTest {
  private static final String[] FRAGMENTS = {
      "{", "}", "[", "]", "(", ")", "|", ":=", "=", "==", ",", ".", ";", "\n", "\"", "`", "$\"", " if ", " else ",
      " not ", " some ", " in ", " every ", " with ", " as ", " contains ", " and ", " or ", "input", "data", "_",
      "x", "1", "-1", "1e400", "0.5", "count(", "sprintf(", "\"a\"", "true", "null", "# METADATA\n# title: t\n",
      "import rego.v1\n", "default ", "p[x]", "f(x)", "{x | x := 1}", "[x | x := [1][_]]", "{\"k\": 1}", "set()",
      "\\", "{{", "}}", "$\"{", "'", "@", "#", "1/0", "numbers.range(1, 1000000)", "walk(input, [p, v])"};

  private static List<String> corpus() throws IOException {
    try (InputStream in = FuzzTest.class.getResourceAsStream("/fuzz/corpus.rego.txt")) {
      String all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      List<String> modules = new ArrayList<>();
      for (String m : all.split("(?m)^----$")) {
        modules.add(m.strip() + "\n");
      }
      return modules;
    }
  }

  @Test
  void mutatedModulesOnlyEverFailWithRegoErrors() throws IOException {
    List<String> corpus = corpus();
    Random rnd = new Random(Long.getLong("fuzz.seed", 20261201));
    int compiled = 0;
    for (int i = 0, n = Integer.getInteger("fuzz.iterations", 3_000); i < n; i++) {
      String original = corpus.get(rnd.nextInt(corpus.size()));
      String mutant = mutate(original, rnd, 1 + rnd.nextInt(4));
      if (exercise(mutant, randomInput(rnd, 3))) {
        compiled++;
      }
    }
    // Mutants that still compile exercise the evaluator, not just error paths.
    assertThat(compiled).isGreaterThan(100);
  }

  @Test
  void randomTokenSoupOnlyEverFailsWithRegoErrors() {
    Random rnd = new Random(42);
    for (int i = 0; i < 2_000; i++) {
      StringBuilder sb = new StringBuilder("package soup\n");
      int n = 1 + rnd.nextInt(40);
      for (int j = 0; j < n; j++) {
        sb.append(FRAGMENTS[rnd.nextInt(FRAGMENTS.length)]);
      }
      exercise(sb.toString(), randomInput(rnd, 2));
    }
  }

  @Test
  void deeplyNestedInputIsRejectedWithARegoError() {
    String deep = "package deep\np := " + "[".repeat(50_000) + "]".repeat(50_000) + "\n";
    exercise(deep, null);
    String calls = "package deep\np := " + "count(".repeat(20_000) + "[]" + ")".repeat(20_000) + "\n";
    exercise(calls, null);
  }

  @Test
  void unboundedRecursionThroughFunctionsEndsWithAnError() {
    // not caught at compile time: the recursion goes through a dynamic data reference
    String src = "package r\nf(x) := y if y := data.r[\"f\"](x)\np := f(1)\n";
    exercise(src, null);
  }

  /** Returns true when the source compiled (evaluation errors are fine). */
  private static boolean exercise(String source, Value input) {
    RegoVersion version = source.contains("package fuzz.v0") ? RegoVersion.V0 : RegoVersion.V1;
    Policy policy;
    try {
      policy = Rego.builder().module("fuzz.rego", source, version).compile();
    } catch (RegoException e) {
      return false;
    } catch (Throwable t) {
      fail("compiling threw " + t + " for:\n" + source, t);
      return false;
    }
    long start = System.nanoTime();
    try {
      policy.prepare("data").eval(EvalOptions.builder().input(input).timeout(Duration.ofSeconds(2)).build());
    } catch (RegoException e) {
      // an evaluation error is an acceptable outcome
    } catch (Throwable t) {
      fail("evaluating threw " + t + " for:\n" + source, t);
    }
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertThat(ms).as("evaluation time of:\n" + source).isLessThan(10_000);
    return true;
  }

  private static String mutate(String s, Random rnd, int edits) {
    StringBuilder sb = new StringBuilder(s);
    for (int e = 0; e < edits && sb.length() > 0; e++) {
      int pos = rnd.nextInt(sb.length());
      switch (rnd.nextInt(4)) {
        case 0 -> sb.deleteCharAt(pos);
        case 1 -> sb.insert(pos, FRAGMENTS[rnd.nextInt(FRAGMENTS.length)]);
        case 2 -> {
          int len = Math.min(sb.length() - pos, 1 + rnd.nextInt(12));
          sb.delete(pos, pos + len);
        }
        default -> {
          int other = rnd.nextInt(sb.length());
          char c = sb.charAt(pos);
          sb.setCharAt(pos, sb.charAt(other));
          sb.setCharAt(other, c);
        }
      }
    }
    return sb.toString();
  }

  private static Value randomInput(Random rnd, int depth) {
    int kind = rnd.nextInt(depth <= 0 ? 4 : 7);
    return switch (kind) {
      case 0 -> NullValue.INSTANCE;
      case 1 -> BooleanValue.of(rnd.nextBoolean());
      case 2 -> NumberValue.of(rnd.nextInt(21) - 10);
      case 3 -> StringValue.of(List.of("a", "root", "admin", "", "x").get(rnd.nextInt(5)));
      case 4 -> {
        List<Value> elems = new ArrayList<>();
        for (int i = rnd.nextInt(4); i > 0; i--) {
          elems.add(randomInput(rnd, depth - 1));
        }
        yield ArrayValue.of(elems);
      }
      default -> {
        ObjectValue.Builder b = ObjectValue.builder();
        String[] keys = {"user", "name", "roles", "containers", "groups", "users", "items", "a", "b", "c", "x", "xs"};
        for (int i = rnd.nextInt(5); i > 0; i--) {
          b.put(keys[rnd.nextInt(keys.length)], randomInput(rnd, depth - 1));
        }
        yield b.build();
      }
    };
  }
}
