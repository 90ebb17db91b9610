package dev.gatehouse.injector.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.injector.Mappers;
import dev.gatehouse.injector.TestSupport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Real-shaped AdmissionReviews replayed over HTTPS against the fixture guardrail policy. */
class WebhookServerTest {
  @TempDir
  static Path dir;
  static HttpsHarness h;
  static final TestSupport.MutableClock CLOCK = new TestSupport.MutableClock(TestSupport.FIXTURE_NOW);

  @BeforeAll
  static void start() throws Exception {
    h = new HttpsHarness(dir, TestSupport.resourceDir("policies/guardrails"),
        HttpsHarness.config("  maxBodyBytes: 65536\n", ""), CLOCK);
    h.awaitReady();
  }

  @AfterAll
  static void stop() {
    h.close();
  }

  @BeforeEach
  void resetClock() {
    CLOCK.set(TestSupport.FIXTURE_NOW);
  }

  private static ObjectNode review(String name) {
    return TestSupport.json("reviews/" + name + ".json");
  }

  private static HttpsHarness.Response validate(ObjectNode review) throws Exception {
    return h.post("/validate", TestSupport.toBytes(review));
  }

  private static List<String> strings(JsonNode arr) {
    List<String> out = new ArrayList<>();
    if (arr != null) {
      arr.forEach(n -> out.add(n.asText()));
    }
    return out;
  }

  @Test
  void aPrivilegedPodIsDeniedWithRuleMessagesWarningsAndAuditAnnotations() throws Exception {
    HttpsHarness.Response r = validate(review("create-pod"));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.contentType()).startsWith("application/json");
    JsonNode body = r.json();
    assertThat(body.get("apiVersion").asText()).isEqualTo("admission.k8s.io/v1");
    assertThat(body.get("kind").asText()).isEqualTo("AdmissionReview");
    JsonNode resp = r.review();
    assertThat(resp.get("uid").asText()).isEqualTo("3b1c2f6e-8a4d-4f0e-9c71-2d5e6f7a8b90");
    assertThat(resp.get("allowed").asBoolean()).isFalse();
    assertThat(resp.at("/status/code").asInt()).isEqualTo(403);
    assertThat(resp.at("/status/reason").asText()).isEqualTo("Forbidden");
    assertThat(resp.at("/status/message").asText()).isEqualTo("[privileged-container] container \"shell\" is privileged");
    assertThat(strings(resp.get("warnings")))
        .containsExactly("[image-latest] container \"shell\" uses \"busybox:latest\"; pin a version");
    JsonNode audit = resp.get("auditAnnotations");
    assertThat(audit.get("decision").asText()).isEqualTo("denied");
    assertThat(audit.get("deny-rules").asText()).isEqualTo("privileged-container");
    assertThat(audit.get("warn-rules").asText()).isEqualTo("image-latest");
    assertThat(audit.has("dryrun-rules")).isFalse();
    assertThat(audit.get("policy-revision").asText()).hasSize(12);
    assertThat(resp.has("patch")).isFalse();
  }

  @Test
  void aDeploymentIsAllowedWithItsWarningWhileTheDryrunRuleIsOnlyAuditedAndCounted() throws Exception {
    HttpsHarness.Response r = validate(review("create-deployment"));
    JsonNode resp = r.review();
    assertThat(resp.get("uid").asText()).isEqualTo("9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a");
    assertThat(resp.get("allowed").asBoolean()).isTrue();
    assertThat(resp.has("status")).isFalse();
    assertThat(strings(resp.get("warnings"))).containsExactly(
        "[image-latest] container \"checkout\" uses \"registry.example.com/payments/checkout:latest\"; pin a version");
    assertThat(resp.at("/auditAnnotations/dryrun-rules").asText()).isEqualTo("owner-label");
    assertThat(resp.at("/auditAnnotations/decision").asText()).isEqualTo("allowed");
    String metrics = h.get("/metrics").text();
    assertThat(metrics).contains(
        "gatehouse_webhook_rule_violations_total{endpoint=\"/validate\",rule=\"owner-label\",action=\"dryrun\",dry_run=\"false\"}");
    assertThat(h.logs()).contains("\"rule\":\"owner-label\"");
  }

  @Test
  void anUpdateThatMakesAContainerPrivilegedIsDenied() throws Exception {
    JsonNode resp = validate(review("update-deployment")).review();
    assertThat(resp.get("uid").asText()).isEqualTo("c0ffee00-1111-4222-8333-444455556666");
    assertThat(resp.get("allowed").asBoolean()).isFalse();
    assertThat(resp.at("/status/message").asText()).isEqualTo("[privileged-container] container \"checkout\" is privileged");
    assertThat(resp.has("warnings")).isFalse();
  }

  @Test
  void aDeleteInAProtectedNamespaceIsJudgedOnTheOldObject() throws Exception {
    JsonNode resp = validate(review("delete-deployment")).review();
    assertThat(resp.get("allowed").asBoolean()).isFalse();
    assertThat(resp.at("/status/message").asText())
        .isEqualTo("[protected-delete] deleting Deployment \"ledger\" in protected namespace \"prod\" needs a break-glass");
    ObjectNode breakGlass = review("delete-deployment");
    ((ObjectNode) breakGlass.at("/request/oldObject/metadata")).putObject("annotations")
        .put("gatehouse.dev/break-glass", "INC-4711");
    assertThat(validate(breakGlass).review().get("allowed").asBoolean()).isTrue();
  }

  @Test
  void execIsAllowedOnlyWhileTheUsersGrantIsActive() throws Exception {
    JsonNode ok = validate(review("connect-exec")).review();
    assertThat(ok.get("uid").asText()).isEqualTo("e7ec0001-2222-4333-8444-555566667777");
    assertThat(ok.get("allowed").asBoolean()).isTrue();

    CLOCK.set(Instant.parse("2026-03-01T11:00:00Z"));
    JsonNode expired = validate(review("connect-exec")).review();
    assertThat(expired.get("allowed").asBoolean()).isFalse();
    assertThat(expired.at("/status/message").asText())
        .isEqualTo("[exec-needs-grant] alice@example.com needs an active pod-exec grant for payments/api-7d9f8-x2k4q");

    CLOCK.set(TestSupport.FIXTURE_NOW);
    ObjectNode otherUser = review("connect-exec");
    ((ObjectNode) otherUser.at("/request/userInfo")).put("username", "mallory@example.com");
    assertThat(validate(otherUser).review().get("allowed").asBoolean()).isFalse();
  }

  @ParameterizedTest
  @CsvSource({
      "connect-attach, false, exec-needs-grant",
      "connect-portforward, true, ''",
      "ephemeral-containers, false, ephemeral-needs-grant"})
  void attachPortForwardAndEphemeralContainersAreGuarded(String fixture, boolean allowed, String rule) throws Exception {
    JsonNode resp = validate(review(fixture)).review();
    assertThat(resp.get("uid").asText()).isEqualTo(review(fixture).at("/request/uid").asText());
    assertThat(resp.get("allowed").asBoolean()).isEqualTo(allowed);
    if (!allowed) {
      assertThat(resp.at("/auditAnnotations/deny-rules").asText()).isEqualTo(rule);
    }
  }

  @Test
  void aDryRunIsDecidedTheSameAndMarkedInWarningsMetricsAndLogs() throws Exception {
    ObjectNode dry = review("create-pod");
    ((ObjectNode) dry.get("request")).put("dryRun", true).put("uid", "dry-run-0001");
    JsonNode resp = validate(dry).review();
    assertThat(resp.get("allowed").asBoolean()).isFalse();
    assertThat(strings(resp.get("warnings"))).contains("this request is a dry run");
    assertThat(h.get("/metrics").text()).contains(
        "gatehouse_webhook_requests_total{endpoint=\"/validate\",decision=\"denied\",dry_run=\"true\"} ");
    assertThat(h.logs()).contains("\"uid\":\"dry-run-0001\"").contains("\"dryRun\":true");
  }

  @Test
  void mutateAnswersWithTheExactPatchThatAddsTheSidecar() throws Exception {
    HttpsHarness.Response r = h.post("/mutate", TestSupport.bytes("reviews/mutate-pod.json"));
    assertThat(r.status()).isEqualTo(200);
    JsonNode resp = r.review();
    assertThat(resp.get("uid").asText()).isEqualTo("0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d");
    assertThat(resp.get("allowed").asBoolean()).isTrue();
    assertThat(resp.get("patchType").asText()).isEqualTo("JSONPatch");
    JsonNode patch = Mappers.JSON.readTree(Base64.getDecoder().decode(resp.get("patch").asText()));
    assertThat(patch).isEqualTo(TestSupport.json("reviews/mutate-pod.patch.json").get("patch"));
    assertThat(resp.at("/auditAnnotations/injection").asText()).isEqualTo("injected native sidecar");
  }

  @Test
  void mutateLeavesPodsAloneWhenNotCreating() throws Exception {
    ObjectNode update = review("mutate-pod");
    ObjectNode req = (ObjectNode) update.get("request");
    req.put("operation", "UPDATE").set("oldObject", req.get("object").deepCopy());
    JsonNode resp = h.post("/mutate", TestSupport.toBytes(update)).review();
    assertThat(resp.get("allowed").asBoolean()).isTrue();
    assertThat(resp.has("patch")).isFalse();
  }

  @Test
  void mutateRefusesAPodWithAnInvalidOverride() throws Exception {
    ObjectNode bad = review("mutate-pod");
    ((ObjectNode) bad.at("/request/object/metadata/annotations")).put("sidecar.gatehouse.dev/cpu-limit", "fast");
    JsonNode resp = h.post("/mutate", TestSupport.toBytes(bad)).review();
    assertThat(resp.get("allowed").asBoolean()).isFalse();
    assertThat(resp.at("/status/code").asInt()).isEqualTo(400);
    assertThat(resp.at("/status/message").asText()).contains("sidecar.gatehouse.dev/cpu-limit").contains("\"fast\"");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "not JSON | /validate | this is not json | invalid_json",
      "truncated JSON | /validate | {\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionRev | invalid_json",
      "trailing garbage | /validate | {\"apiVersion\":\"x\"} {} | invalid_json",
      "a JSON array | /validate | [1,2] | invalid_review",
      "v1beta1 | /validate | {\"apiVersion\":\"admission.k8s.io/v1beta1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"u\"}} | invalid_review",
      "wrong kind | /mutate | {\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"Pod\"} | invalid_review",
      "no request | /validate | {\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\"} | invalid_review",
      "no uid | /validate | {\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"operation\":\"CREATE\"}} | invalid_review",
      "empty body | /mutate | '' | empty_body"})
  void malformedBodiesGetA400WithAJsonError(String name, String path, String body, String code) throws Exception {
    HttpsHarness.Response r = h.post(path, body.getBytes(StandardCharsets.UTF_8));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.contentType()).startsWith("application/json");
    assertThat(r.json().get("error").asText()).isEqualTo(code);
    assertThat(r.json().get("message").asText()).isNotBlank();
    assertThat(h.get("/health").status()).isEqualTo(200);
  }

  @Test
  void anObjectOfTheWrongKindOrShapeIsA400() throws Exception {
    ObjectNode mismatch = review("create-pod");
    ((ObjectNode) mismatch.at("/request/object")).put("kind", "Deployment").put("apiVersion", "apps/v1");
    HttpsHarness.Response r = h.post("/validate", TestSupport.toBytes(mismatch));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().get("error").asText()).isEqualTo("wrong_kind");
    assertThat(r.json().get("message").asText())
        .isEqualTo("request.object is a \"Deployment\" but request.kind says \"Pod\"");

    ObjectNode shape = review("create-pod");
    ((ObjectNode) shape.at("/request/object/spec")).put("containers", "shell");
    r = h.post("/validate", TestSupport.toBytes(shape));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().get("message").asText())
        .isEqualTo("request.object is not a valid Pod: spec.containers: expected a list");

    r = h.post("/mutate", TestSupport.bytes("reviews/create-deployment.json"));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().get("message").asText()).startsWith("/mutate only handles pods; got apps/v1 Deployment");
  }

  @Test
  void aBodyOverTheLimitIsA400WhetherDeclaredOrChunked() throws Exception {
    String answer = h.raw("POST /validate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
        + "Content-Length: 5000000\r\n\r\n", "{\"a\":1}".getBytes(StandardCharsets.UTF_8), 0);
    assertThat(answer).startsWith("HTTP/1.1 400").contains("\"error\":\"body_too_large\"")
        .contains("the body is 5000000 bytes; the limit is 65536");

    byte[] big = ("{\"pad\":\"" + "x".repeat(70_000) + "\"}").getBytes(StandardCharsets.UTF_8);
    HttpsHarness.Response r = h.postChunked("/validate", big);
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().get("error").asText()).isEqualTo("body_too_large");
    assertThat(h.get("/health").status()).isEqualTo(200);
  }

  @Test
  void aClientTooSlowToSendItsBodyGetsA400() throws Exception {
    byte[] body = TestSupport.bytes("reviews/create-pod.json");
    String answer = h.raw("POST /validate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
        + "Content-Length: " + body.length + "\r\n\r\n", body, 1500);
    assertThat(answer).startsWith("HTTP/1.1 400").contains("\"error\":\"body_timeout\"")
        .contains("not received within 700ms");
    assertThat(h.get("/health").status()).isEqualTo(200);
  }

  @Test
  void mutateRefusesOverridesTheConfigurationDoesNotAllowWith403() throws Exception {
    ObjectNode image = review("mutate-pod");
    ((ObjectNode) image.at("/request/object/metadata/annotations"))
        .put("sidecar.gatehouse.dev/image", "ghcr.io/someone-else/gatehouse:0.1.0");
    JsonNode resp = h.post("/mutate", TestSupport.toBytes(image)).review();
    assertThat(resp.get("allowed").asBoolean()).isFalse();
    assertThat(resp.at("/status/code").asInt()).isEqualTo(403);
    assertThat(resp.at("/status/message").asText()).contains("the sidecar image is pinned");

    ObjectNode optOut = review("mutate-pod");
    ((ObjectNode) optOut.get("request")).put("namespace", "payments-prod");
    ((ObjectNode) optOut.at("/request/object/metadata/labels")).put("gatehouse.dev/inject", "false");
    resp = h.post("/mutate", TestSupport.toBytes(optOut)).review();
    assertThat(resp.at("/status/code").asInt()).isEqualTo(403);
    assertThat(resp.at("/status/message").asText()).contains("namespace payments-prod requires the Gatehouse sidecar");
  }

  @Test
  void mutateAnswersPodsWithUnnamedContainersOrVolumesWithoutThrowing() throws Exception {
    ObjectNode noName = review("mutate-pod");
    ((ObjectNode) noName.at("/request/object/spec/containers/0")).putNull("name");
    ((ObjectNode) noName.at("/request/object/spec/volumes/0")).remove("name");
    HttpsHarness.Response r = h.post("/mutate", TestSupport.toBytes(noName));
    assertThat(r.status()).isIn(200, 400);
    if (r.status() == 200) {
      assertThat(r.review().at("/auditAnnotations/decision").asText()).isNotEqualTo("error");
      assertThat(r.review().at("/status/code").asInt()).isNotEqualTo(500);
    }
    assertThat(h.logs()).doesNotContain("NullPointerException").doesNotContain("internal error");
  }

  @Test
  void aBodyThatIsNotDeclaredJsonIsA415() throws Exception {
    String answer = h.raw("POST /validate HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\n"
        + "Content-Length: 7\r\n\r\n", "{\"a\":1}".getBytes(StandardCharsets.UTF_8), 0);
    assertThat(answer).startsWith("HTTP/1.1 415").contains("\"error\":\"unsupported_media_type\"")
        .contains("application/json");
    answer = h.raw("POST /mutate HTTP/1.1\r\nHost: localhost\r\nContent-Length: 7\r\n\r\n",
        "{\"a\":1}".getBytes(StandardCharsets.UTF_8), 0);
    assertThat(answer).startsWith("HTTP/1.1 415");
    // a charset parameter is fine
    byte[] body = TestSupport.bytes("reviews/create-pod.json");
    answer = h.raw("POST /validate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json; charset=utf-8\r\n"
        + "Content-Length: " + body.length + "\r\n\r\n", body, 0);
    assertThat(answer).startsWith("HTTP/1.1 200");
  }

  @Test
  void aClientTooSlowToSendItsHeadersIsCutOff() throws Exception {
    long start = System.nanoTime();
    String answer = h.slowHeaders("POST /validate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
        + "X-Slow: 1\r\nX-Slower: 2\r\nX-Slowest: 3\r\n", 400);
    long ms = (System.nanoTime() - start) / 1_000_000;
    // headerTimeout is 700ms in this test's configuration; the client would need 2.4 s
    assertThat(ms).isLessThan(2000);
    assertThat(answer).doesNotContain("HTTP/1.1 200");
    assertThat(h.get("/health").status()).isEqualTo(200);
  }

  @Test
  void aNumberWithThousandsOfDigitsIsNamedAsSuch() throws Exception {
    String body = "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"u\",\"n\":"
        + "9".repeat(5000) + "}}";
    HttpsHarness.Response r = h.post("/validate", body.getBytes(StandardCharsets.UTF_8));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().get("error").asText()).isEqualTo("invalid_json");
    assertThat(r.json().get("message").asText()).contains("number").contains("5000 digits").doesNotContain("nests");
  }

  @Test
  void healthMetricsAndUnknownPathsAnswerJsonOrPrometheusText() throws Exception {
    HttpsHarness.Response health = h.get("/health");
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.json().get("status").asText()).isEqualTo("ok");
    assertThat(h.get("/health/live").status()).isEqualTo(200);

    validate(review("create-pod"));
    HttpsHarness.Response metrics = h.get("/metrics");
    assertThat(metrics.contentType()).startsWith("text/plain; version=0.0.4");
    assertThat(metrics.text())
        .contains("# TYPE gatehouse_webhook_request_duration_seconds histogram")
        .contains("gatehouse_webhook_request_duration_seconds_bucket{endpoint=\"/validate\",decision=\"denied\",le=\"+Inf\"}")
        .contains("gatehouse_webhook_rule_violations_total{endpoint=\"/validate\",rule=\"privileged-container\",action=\"deny\",dry_run=\"false\"}")
        .contains("gatehouse_webhook_reloads_total{kind=\"policy\",result=\"success\"} 1")
        .contains("# TYPE gatehouse_webhook_log_lines_dropped_total counter")
        .contains("gatehouse_webhook_log_lines_dropped_total 0");

    HttpsHarness.Response missing = h.get("/nope");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.json().get("error").asText()).isEqualTo("not_found");
    HttpsHarness.Response wrongMethod = h.get("/validate");
    assertThat(wrongMethod.status()).isEqualTo(405);
    assertThat(wrongMethod.json().get("error").asText()).isEqualTo("method_not_allowed");
  }

  @Test
  void everyLogLineIsJson() throws Exception {
    validate(review("create-deployment"));
    for (String line : h.logs().split("\n")) {
      if (!line.isBlank()) {
        assertThat(Mappers.JSON.readTree(line).has("msg")).as(line).isTrue();
      }
    }
  }
}
