package dev.gatehouse.engine.parity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.Policy;
import dev.gatehouse.engine.QueryResult;
import dev.gatehouse.engine.Rego;
import dev.gatehouse.engine.RegoError;
import dev.gatehouse.engine.RegoException;
import dev.gatehouse.engine.ast.Location;
import dev.gatehouse.engine.ast.RegoVersion;
import dev.gatehouse.engine.value.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Parity cases recorded from the real opa (v1.22.2, {@code scripts/record-parity}): each case in
 * {@code src/test/resources/parity} is a set of modules and a query, and what {@code opa eval}
 * printed for it: the values of each result, {@code undefined}, or its errors (parse, compile
 * and evaluation errors alike, with file, row, code and message). Modules are compiled in the
 * order the case lists them, which is how order-dependent bugs are caught.
 */
class OpaParityTest {
  static final Path CASES = Path.of("src/test/resources/parity");

  @TestFactory
  Stream<DynamicTest> evalMatchesOpa() {
    List<ParityCase> cases = ParityCase.all(CASES).stream().filter(c -> c.header().containsKey("query")).toList();
    assertThat(cases).isNotEmpty();
    return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(),
        () -> assertThat(eval(c)).as(c.name() + "\n" + c.files()).isEqualTo(c.recorded("opa"))));
  }

  /**
   * Known differences ({@code src/test/resources/parity-known}, most found by scripts/diff-test):
   * recorded from opa like the others, and still different. When one starts to match, this
   * fails so that the case moves to {@code parity/} and is kept matching.
   */
  @TestFactory
  Stream<DynamicTest> knownDifferencesStillDiffer() {
    return ParityCase.all(Path.of("src/test/resources/parity-known")).stream().map(c -> DynamicTest.dynamicTest(
        c.name(), () -> assertThat(eval(c)).as(c.name() + " now matches opa: move it to parity/")
            .isNotEqualTo(c.recorded("opa"))));
  }

  /** What gatehouse gives for the case, rendered as the recorder renders opa's JSON output. */
  static String eval(ParityCase c) {
    Rego.Builder b = Rego.builder()
        .regoVersion("true".equals(c.header().get("v0")) ? RegoVersion.V0 : RegoVersion.V1);
    for (Map.Entry<String, String> f : c.files().entrySet()) {
      if (f.getKey().endsWith(".rego")) {
        b.module(f.getKey(), f.getValue());
      } else if (f.getKey().equals("data.json")) {
        b.dataJson(f.getValue());
      }
    }
    try {
      Policy p = b.compile();
      List<QueryResult> rs = p.prepare(c.header().get("query")).eval((dev.gatehouse.engine.value.Value) null);
      if (rs.isEmpty()) {
        return "undefined";
      }
      List<String> lines = new ArrayList<>();
      for (QueryResult r : rs) {
        lines.add(r.expressions().stream().map(e -> Json.write(e.value())).collect(Collectors.joining(" ")));
      }
      return String.join("\n", lines);
    } catch (RegoException e) {
      return e.errors().stream().map(OpaParityTest::errorLine).collect(Collectors.joining("\n"));
    }
  }

  private static String errorLine(RegoError e) {
    Location l = e.location();
    String where = l == null || l == Location.NONE || l.file().isEmpty() ? "" : l.file() + ":" + l.row() + ": ";
    // opa's JSON keeps a type error's details (have/want, left/right) out of its message
    return "ERR " + where + e.code() + ": " + e.message().lines().findFirst().orElse("");
  }
}
