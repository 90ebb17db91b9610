package dev.gatehouse.engine.test;

import dev.gatehouse.engine.EvalOptions;
import dev.gatehouse.engine.Policy;
import dev.gatehouse.engine.QueryResult;
import dev.gatehouse.engine.RegoException;
import dev.gatehouse.engine.ast.Module;
import dev.gatehouse.engine.ast.Rule;
import dev.gatehouse.engine.ast.Scalar;
import dev.gatehouse.engine.load.Loader;
import dev.gatehouse.engine.value.BooleanValue;
import dev.gatehouse.engine.value.Json;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Runs Rego tests with {@code opa test}'s semantics: every rule named {@code test_*} in any package
 * is a test that passes when it evaluates to true; {@code todo_*} rules are skipped; a test whose
 * head has a variable key ({@code test_x[name] if ...}) reports one result per key. Tests run in
 * parallel against one compiled, thread-safe policy.
 */
public final class TestRunner {
  private TestRunner() {}

  /** Loads, compiles and runs the tests under the paths; compile errors throw RegoException. */
  public static List<TestResult> run(List<Path> paths, TestOptions options) {
    Policy policy = Loader.load(paths).toBuilder(options.version()).compile();
    return run(policy, options);
  }

  private record Candidate(String pkg, String name, String file, int row, boolean todo, boolean parameterized) {}

  public static List<TestResult> run(Policy policy, TestOptions options) {
    Map<String, Candidate> found = new LinkedHashMap<>();
    for (Module m : policy.modules()) {
      String pkg = m.pkg().path().toString();
      for (Rule r : m.rules()) {
        String name = r.head().name();
        boolean test = name.startsWith("test_");
        boolean todo = name.startsWith("todo_");
        if (!test && !todo || r.head().isFunction()) {
          continue;
        }
        boolean parameterized = r.head().ref().size() > 1
            && !(r.head().ref().get(1) instanceof Scalar s && s.value() instanceof StringValue);
        String key = pkg + "." + name;
        if (options.run() != null && !options.run().matcher(key).find()) {
          continue;
        }
        found.putIfAbsent(key, new Candidate(pkg, name, m.file(), r.location().row(), todo, parameterized));
      }
    }
    return found.values().parallelStream()
        .flatMap(c -> runOne(policy, c, options).stream())
        .collect(Collectors.toList());
  }

  private static List<TestResult> runOne(Policy policy, Candidate c, TestOptions options) {
    if (c.todo()) {
      return List.of(new TestResult(c.pkg(), c.name(), c.file(), c.row(), false, true, null, 0, ""));
    }
    StringBuilder output = new StringBuilder();
    long start = System.nanoTime();
    try {
      String query = c.pkg() + "[" + Json.quote(c.name()) + "]";
      List<QueryResult> rs = policy.prepare(query).eval(EvalOptions.builder()
          .timeout(options.timeout())
          .printHook((loc, msg) -> {
            synchronized (output) {
              output.append(msg).append('\n');
            }
          })
          .build());
      long took = System.nanoTime() - start;
      if (c.parameterized()) {
        List<TestResult> out = new ArrayList<>();
        if (!rs.isEmpty() && rs.get(0).value() instanceof ObjectValue cases) {
          for (Value k : cases.keys()) {
            boolean pass = BooleanValue.TRUE.equals(cases.get(k));
            String caseName = c.name() + "[" + (k instanceof StringValue s ? Json.quote(s.value()) : k.toString()) + "]";
            out.add(new TestResult(c.pkg(), caseName, c.file(), c.row(), !pass, false, null, took, output.toString()));
          }
        }
        if (out.isEmpty()) {
          out.add(new TestResult(c.pkg(), c.name(), c.file(), c.row(), true, false, null, took, output.toString()));
        }
        return out;
      }
      boolean pass = !rs.isEmpty() && BooleanValue.TRUE.equals(rs.get(0).value());
      return List.of(new TestResult(c.pkg(), c.name(), c.file(), c.row(), !pass, false, null, took, output.toString()));
    } catch (RegoException e) {
      return List.of(new TestResult(c.pkg(), c.name(), c.file(), c.row(), false, false, e.getMessage(),
          System.nanoTime() - start, output.toString()));
    }
  }
}
