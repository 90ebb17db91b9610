package dev.gatehouse.engine.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.engine.EvalOptions;
import dev.gatehouse.engine.PreparedQuery;
import dev.gatehouse.engine.Rego;
import dev.gatehouse.engine.RegoException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** An evaluation the caller gave up on stops at the next check instead of running to its deadline. */
class CancellationTest {
  /** About 10^8 iterations: minutes of work, far past anything a test waits for. */
  private static final String SLOW = """
      package slow

      n := count([x | some a in numbers.range(1, 10000); some b in numbers.range(1, 10000); x := a * b])
      """;

  @Test
  void aCancelledEvaluationEndsWithEvalCancelError() {
    PreparedQuery q = Rego.builder().module("slow.rego", SLOW).compile().prepare("data.slow.n");
    AtomicInteger asked = new AtomicInteger();
    // The caller stops caring after the evaluation has started and been asked a few times.
    EvalOptions options = EvalOptions.builder().timeout(Duration.ofHours(1))
        .cancelled(() -> asked.incrementAndGet() > 3).build();
    assertThatThrownBy(() -> q.eval(options))
        .isInstanceOfSatisfying(RegoException.class, e -> {
          assertThat(e.errors().get(0).code()).isEqualTo("eval_cancel_error");
          assertThat(e.getMessage()).contains("cancelled");
        });
    assertThat(asked.get()).isEqualTo(4);
  }

  @Test
  void anEvaluationNobodyCancelsRunsToItsResult() {
    PreparedQuery q = Rego.builder().module("small.rego", "package small\n\nn := count([x | some x in numbers.range(1, 5000)])\n")
        .compile().prepare("data.small.n");
    AtomicBoolean cancel = new AtomicBoolean(false);
    assertThat(q.eval(EvalOptions.builder().cancelled(cancel::get).build()).get(0).value().toString())
        .isEqualTo("5000");
  }
}
