package dev.gatehouse.injector.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.injector.Mappers;
import dev.gatehouse.injector.TestSupport;
import dev.gatehouse.injector.notify.Receiver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Break-glass through the shipped policy library over HTTPS: only eligible people get in, the
 * answer carries a break-glass audit annotation and one warning, and the notification reaches a
 * real local HTTP receiver (retried when it fails, never holding up the admission).
 */
class BreakGlassTest {
  private static final Path REVIEWS = Path.of("..", "policies", "gatehouse", "testdata", "admission");

  @TempDir
  static Path dir;
  static HttpsHarness h;
  static Receiver receiver;

  @BeforeAll
  static void start() throws Exception {
    receiver = new Receiver();
    h = new HttpsHarness(dir, Path.of("..", "policies"), HttpsHarness.config("",
        "notifications:\n  webhookUrl: " + receiver.url() + "\n  timeout: 500ms\n  retryBackoff: 50ms\n  maxAttempts: 3\n"),
        new TestSupport.MutableClock(Instant.parse("2025-06-02T10:00:00Z")));
    h.awaitReady();
  }

  @AfterAll
  static void stop() {
    h.close();
    receiver.close();
  }

  @BeforeEach
  void reset() {
    receiver.reset();
  }

  /** frank's deploy to payments-prod (no grants loaded here), by someone else, with break-glass. */
  private static byte[] breakGlassDeploy(String user, String... groups) throws Exception {
    ObjectNode review = (ObjectNode) Mappers.JSON.readTree(Files.readAllBytes(REVIEWS.resolve("deployment_create/admission-review.json")));
    ObjectNode info = (ObjectNode) review.at("/request/userInfo");
    info.put("username", user);
    info.putArray("groups").addAll(List.of(groups).stream().map(g -> (JsonNode) Mappers.JSON.getNodeFactory().textNode(g)).toList());
    ObjectNode annotations = (ObjectNode) review.at("/request/object/metadata/annotations");
    annotations.put("gatehouse.dev/break-glass", "INC-4411 payments down, rolling back");
    annotations.put("gatehouse.dev/break-glass-expires", "2025-06-02T10:45:00Z");
    return TestSupport.toBytes(review);
  }

  /** The log line is written once the receiver's answer is in, a moment after the receiver saw the call. */
  private static void awaitLog(String fragment) throws InterruptedException {
    long until = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (!h.logs().contains(fragment) && System.nanoTime() < until) {
      Thread.sleep(20);
    }
    assertThat(h.logs()).contains(fragment);
  }

  private static List<String> strings(JsonNode arr) {
    List<String> out = new ArrayList<>();
    if (arr != null) {
      arr.forEach(n -> out.add(n.asText()));
    }
    return out;
  }

  @Test
  void anEligibleBreakGlassIsAdmittedAnnotatedWarnedOnceAndNotifiedWithRetries() throws Exception {
    receiver.failFirst(1);
    JsonNode resp = h.post("/validate", breakGlassDeploy("pat", "platform-admins")).review();
    assertThat(resp.get("allowed").asBoolean()).isTrue();
    assertThat(resp.at("/auditAnnotations/break-glass").asText())
        .isEqualTo("pat: INC-4411 payments down, rolling back (until 2025-06-02T10:45:00Z)");
    assertThat(resp.at("/auditAnnotations/warn-rules").asText()).contains("break-glass");
    List<String> warnings = strings(resp.get("warnings"));
    assertThat(warnings).filteredOn(w -> w.contains("INC-4411")).hasSize(1);
    assertThat(warnings.get(0)).startsWith("[break-glass] create Deployment payments-api in payments-prod by pat");

    List<Receiver.Call> calls = receiver.await(2, Duration.ofSeconds(10));
    assertThat(calls).hasSize(2);
    assertThat(calls.get(0).status()).isEqualTo(500);
    Receiver.Call delivered = calls.get(1);
    assertThat(delivered.status()).isEqualTo(200);
    assertThat(delivered.contentType()).startsWith("application/json");
    JsonNode body = delivered.json();
    assertThat(body.get("text").asText()).contains("Break-glass").contains("pat").contains("payments-prod/payments-api")
        .contains("INC-4411 payments down, rolling back");
    assertThat(strings(body.get("channels"))).containsExactly("platform-admins", "security-oncall");
    assertThat(body.at("/breakGlass/user").asText()).isEqualTo("pat");
    assertThat(body.get("uid").asText()).isEqualTo(Mappers.JSON.readTree(breakGlassDeploy("pat")).at("/request/uid").asText());
    awaitLog("\"msg\":\"notification sent\"");
    assertThat(h.get("/metrics").text()).contains("gatehouse_webhook_notifications_total{result=\"sent\"} ");
  }

  @Test
  void breakGlassByAnyoneElseIsDeniedAndNotifiesNobody() throws Exception {
    JsonNode resp = h.post("/validate", breakGlassDeploy("zoe", "marketing")).review();
    assertThat(resp.get("allowed").asBoolean()).isFalse();
    assertThat(resp.at("/status/message").asText()).contains("break-glass is limited to");
    assertThat(resp.at("/auditAnnotations").has("break-glass")).isFalse();
    Thread.sleep(300);
    assertThat(receiver.calls()).isEmpty();
  }

  @Test
  void aReceiverThatHangsNeverHoldsUpTheAdmission() throws Exception {
    receiver.hang(Duration.ofSeconds(5));
    long start = System.nanoTime();
    JsonNode resp = h.post("/validate", breakGlassDeploy("pat", "platform-admins")).review();
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertThat(resp.get("allowed").asBoolean()).isTrue();
    assertThat(ms).isLessThan(1500);
    // Every attempt times out after 500ms; after 3 the failure is logged.
    awaitLog("\"msg\":\"notification failed\"");
    assertThat(receiver.calls()).hasSize(3);
  }
}
