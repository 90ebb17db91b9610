package dev.gatehouse.injector.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.injector.TestSupport;
import dev.gatehouse.injector.config.WebhookConfig;
import dev.gatehouse.injector.inject.Injector;
import dev.gatehouse.injector.policy.DirectoryPolicySource;
import dev.gatehouse.injector.policy.PolicyStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 item 7: once the server has answered a request without its decision (the guard fired),
 * the evaluation behind it stops at the engine's next check instead of running to its own deadline.
 */
class AbandonedEvaluationTest {
  /** A guardrail that would take minutes: far past the test's patience and JUnit's 10-minute limit. */
  private static final String SLOW = """
      package gatehouse.admission

      work := count([x | some a in numbers.range(1, 20000); some b in numbers.range(1, 20000); x := a * b])

      decision := {"allowed": work > 0, "violations": [], "warnings": []}
      """;

  @Test
  void anAbandonedEvaluationStopsAndSaysWhy(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("slow.rego"), SLOW);
    // An evaluation deadline of an hour: only the abandonment can end this evaluation in time.
    WebhookConfig cfg = TestSupport.config("validation:\n  evaluationTimeout: 1h\n");
    PolicyStore store = new PolicyStore(new DirectoryPolicySource(dir), cfg.validation().decisionPath(),
        TestSupport.fixedClock(), r -> { });
    assertThat(store.refresh()).isTrue();
    AdmissionService service = new AdmissionService(cfg, store, new Injector(cfg.injection()), new Metrics(),
        TestSupport.fixedClock());
    AdmissionService.Prepared p = service.prepare(Endpoint.VALIDATE, TestSupport.bytes("reviews/create-pod.json"));
    AtomicInteger asked = new AtomicInteger();

    Answer a = service.decide(p, () -> asked.incrementAndGet() > 5);

    assertThat(asked.get()).isGreaterThan(5);
    assertThat(new String(a.body())).contains("policy evaluation abandoned: the request was already answered");
  }
}
