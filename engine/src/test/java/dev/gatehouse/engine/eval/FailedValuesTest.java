package dev.gatehouse.engine.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.EvalListener;
import dev.gatehouse.engine.EvalOptions;
import dev.gatehouse.engine.Policy;
import dev.gatehouse.engine.Rego;
import dev.gatehouse.engine.ast.Location;
import dev.gatehouse.engine.value.Json;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a failed expression reports to {@link EvalListener#failed} (test --var-values): the
 * values opa's compiled expression holds. The CLI's parity fixtures compare the printed report.
 */
class FailedValuesTest {
  private static final Policy POLICY = Rego.builder().module("t.rego", """
      package t

      nums := [5, 6]

      sum if {
      	x := 1
      	y := 2
      	x + y == 4
      }

      negated if {
      	x := 1
      	not x + 1 == 2
      }

      refs if {
      	y := {"a": {"b": 1}}
      	i := 0
      	y.a.b == nums[i]
      }

      under_with if {
      	input.x == 1 with input as {"x": 2}
      }

      printed if {
      	print("once")
      	x := 1
      	x == 2
      }
      """).compile();

  private static List<String> lastFailure(String rule) {
    List<List<EvalListener.Seen>> failures = new ArrayList<>();
    POLICY.prepare("data.t." + rule).eval(EvalOptions.builder().printHook((at, msg) -> { }).listener(new EvalListener() {
      @Override
      public void evaluated(Location location, boolean succeeded) {}

      @Override
      public boolean wantsFailedValues() {
        return true;
      }

      @Override
      public void failed(Location location, List<Seen> seen) {
        failures.add(seen);
      }
    }).build());
    assertThat(failures).isNotEmpty();
    return failures.get(failures.size() - 1).stream()
        .map(s -> s.kind() + " " + (s.name() != null ? s.name() : s.at().row() + ":" + s.at().col()) + " = " + s.value())
        .toList();
  }

  @Test
  void nestedCallsAreReportedWithTheirPlaceAndValue() {
    assertThat(lastFailure("sum")).containsExactly("CALL 8:2 = 3", "VAR x = 1", "VAR y = 2");
  }

  @Test
  void callsLiftedOutOfANegationAreReportedAsWritten() {
    assertThat(lastFailure("negated")).containsExactly("CALL 13:6 = 2", "VAR x = 1");
  }

  @Test
  void referencesThroughVariablesAndWithVariableOperands() {
    assertThat(lastFailure("refs")).containsExactly("VAR y = {\"a\": {\"b\": 1}}", "REF 19:2 = 1", "VAR i = 0",
        "REF 19:11 = 5");
  }

  @Test
  void referencesUnderWithAreEvaluatedUnderIt() {
    assertThat(lastFailure("under_with")).containsExactly("REF 23:2 = 2");
  }

  @Test
  void onlyVariablesWhenNothingNestedIsThere() {
    assertThat(lastFailure("printed")).containsExactly("VAR x = 1");
  }
}
