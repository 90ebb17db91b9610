package dev.gatehouse.injector.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.injector.Mappers;
import dev.gatehouse.injector.TestSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The webhook with the policy library it ships with (../policies), fed the library's own recorded
 * AdmissionReviews: every one is answered, and a pod the webhook injects still passes the
 * guardrails (the default sidecar must satisfy the rules it helps enforce).
 */
class ShippedGuardrailsTest {
  private static final Path POLICIES = Path.of("..", "policies");
  private static final Path REVIEWS = POLICIES.resolve("gatehouse/testdata/admission");

  @TempDir
  static Path dir;
  static HttpsHarness h;

  @BeforeAll
  static void start() throws Exception {
    h = new HttpsHarness(dir, POLICIES, HttpsHarness.config("", ""), TestSupport.fixedClock());
    h.awaitReady();
  }

  @AfterAll
  static void stop() {
    h.close();
  }

  private static List<Path> reviews() throws Exception {
    try (Stream<Path> s = Files.list(REVIEWS)) {
      return s.map(d -> d.resolve("admission-review.json")).filter(Files::isRegularFile).sorted().toList();
    }
  }

  @Test
  void everyRecordedReviewGetsAnAdmissionAnswerWithItsUid() throws Exception {
    List<Path> files = reviews();
    assertThat(files).hasSizeGreaterThanOrEqualTo(5);
    for (Path f : files) {
      byte[] body = Files.readAllBytes(f);
      HttpsHarness.Response r = h.post("/validate", body);
      assertThat(r.status()).as(f.toString()).isEqualTo(200);
      JsonNode resp = r.review();
      assertThat(resp.get("uid").asText()).isEqualTo(Mappers.JSON.readTree(body).at("/request/uid").asText());
      assertThat(resp.get("allowed").isBoolean()).isTrue();
      assertThat(resp.at("/auditAnnotations/decision").asText()).as(f.toString()).isIn("allowed", "denied");
    }
  }

  @Test
  void aPrivilegedPodIsDeniedByThePodSecurityRules() throws Exception {
    JsonNode resp = h.post("/validate", Files.readAllBytes(REVIEWS.resolve("pod_create_privileged/admission-review.json")))
        .review();
    assertThat(resp.get("allowed").asBoolean()).isFalse();
    assertThat(resp.at("/status/code").asInt()).isEqualTo(403);
    assertThat(resp.at("/auditAnnotations/deny-rules").asText()).contains("pss-privileged");
    assertThat(resp.at("/status/message").asText()).contains("[pss-privileged] ");
  }

  @Test
  void anInjectedPodStillPassesTheGuardrails() throws Exception {
    ObjectNode review = (ObjectNode) Mappers.JSON.readTree(
        Files.readAllBytes(REVIEWS.resolve("pod_from_replicaset/admission-review.json")));
    JsonNode before = h.post("/validate", TestSupport.toBytes(review)).review();
    assertThat(before.get("allowed").asBoolean()).isTrue();

    JsonNode mutated = h.post("/mutate", TestSupport.toBytes(review)).review();
    assertThat(mutated.has("patch")).isTrue();
    JsonNode pod = io.fabric8.zjsonpatch.JsonPatch.apply(
        Mappers.JSON.readTree(Base64.getDecoder().decode(mutated.get("patch").asText())), review.at("/request/object"));
    assertThat(pod.at("/spec/initContainers/0/name").asText()).isEqualTo("gatehouse-sidecar");
    ((ObjectNode) review.get("request")).set("object", pod);

    JsonNode after = h.post("/validate", TestSupport.toBytes(review)).review();
    assertThat(after.get("allowed").asBoolean()).as(after.toString()).isTrue();
    assertThat(after.has("warnings")).as(after.toString()).isFalse();
  }
}
