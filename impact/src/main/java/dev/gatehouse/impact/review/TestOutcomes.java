package dev.gatehouse.impact.review;

import dev.gatehouse.engine.RegoException;
import dev.gatehouse.engine.ast.RegoVersion;
import dev.gatehouse.engine.test.Coverage;
import dev.gatehouse.engine.test.TestOptions;
import dev.gatehouse.engine.test.TestResult;
import dev.gatehouse.engine.test.TestRunner;
import dev.gatehouse.impact.ImpactException;
import dev.gatehouse.impact.git.PolicySnapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The Rego tests of one revision, run with the engine's test runner (as {@code gatehouse test
 * --coverage} runs them). The runner loads from the file system, so the snapshot's files are
 * written to a scratch directory first (never into the repository), and file names in the
 * results are shown relative to the repository again.
 *
 * @param outcomes test name ({@code data.pkg.test_x}, or {@code data.pkg.test_x[case]} for each
 *     case of a parameterized test) → {@code PASS}, {@code FAIL}, {@code ERROR} or {@code SKIP}
 * @param locations test name → {@code file:row}
 * @param coverage percentage of covered lines, null when the tests did not run
 * @param loadError why the tests could not run (a compile error), or null
 */
public record TestOutcomes(Map<String, String> outcomes, Map<String, String> locations, Double coverage,
    String loadError) {

  public long count(String outcome) {
    return outcomes.values().stream().filter(outcome::equals).count();
  }

  public static TestOutcomes run(PolicySnapshot snap, Duration timeout) {
    Path dir;
    try {
      dir = Files.createTempDirectory("gatehouse-impact-");
    } catch (IOException e) {
      throw new ImpactException("cannot create a scratch directory for the tests: " + e.getMessage(), e);
    }
    try {
      for (Map.Entry<String, byte[]> f : snap.files().entrySet()) {
        Path p = dir.resolve(f.getKey());
        Files.createDirectories(p.getParent());
        Files.write(p, f.getValue());
      }
      Path root = snap.prefix().isEmpty() ? dir : dir.resolve(snap.prefix());
      TestRunner.Run run;
      try {
        run = TestRunner.execute(java.util.List.of(root),
            new TestOptions(null, timeout, RegoVersion.V1, true, false, false));
      } catch (RegoException e) {
        return new TestOutcomes(Map.of(), Map.of(), null, e.getMessage().replace(dir + "/", ""));
      }
      Map<String, String> outcomes = new TreeMap<>();
      Map<String, String> locations = new TreeMap<>();
      for (TestResult r : run.results()) {
        String where = dir.relativize(Path.of(r.file())) + ":" + r.row();
        if (!r.subResults().isEmpty()) {
          r.subResults().forEach((k, failed) -> {
            outcomes.put(r.fullName() + "[" + k + "]", failed ? "FAIL" : "PASS");
            locations.put(r.fullName() + "[" + k + "]", where);
          });
          continue;
        }
        String o = r.skip() ? "SKIP" : r.error() != null ? "ERROR" : r.fail() ? "FAIL" : "PASS";
        outcomes.put(r.fullName(), o);
        locations.put(r.fullName(), where);
      }
      Coverage.Report cov = run.coverage();
      return new TestOutcomes(outcomes, locations, cov == null ? null : cov.percent(), null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      delete(dir);
    }
  }

  private static void delete(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a scratch directory left in /tmp is harmless
    }
  }
}
