package dev.gatehouse.injector.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.injector.TestSupport;
import dev.gatehouse.injector.certs.ServingCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Failure modes, deadlines, policy and certificate reloads: each test runs its own webhook. */
class WebhookLifecycleTest {
  @TempDir
  Path dir;

  private static byte[] conflictReview() {
    ObjectNode r = TestSupport.json("reviews/create-deployment.json");
    ((ObjectNode) r.at("/request/object/metadata/annotations")).put("fixture/conflict", "yes");
    return TestSupport.toBytes(r);
  }

  @Test
  void anEvaluationErrorDeniesWithTheReasonWhenFailingClosed() throws Exception {
    try (HttpsHarness h = new HttpsHarness(dir, TestSupport.resourceDir("policies/guardrails"),
        HttpsHarness.config("", ""), TestSupport.fixedClock())) {
      h.awaitReady();
      HttpsHarness.Response r = h.post("/validate", conflictReview());
      assertThat(r.status()).isEqualTo(200);
      JsonNode resp = r.review();
      assertThat(resp.get("uid").asText()).isEqualTo("9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a");
      assertThat(resp.get("allowed").asBoolean()).isFalse();
      assertThat(resp.at("/status/code").asInt()).isEqualTo(500);
      assertThat(resp.at("/status/message").asText())
          .startsWith("gatehouse could not decide, so the request is denied (failure mode closed): policy evaluation failed: ")
          .contains("eval_conflict_error");
      assertThat(resp.at("/auditAnnotations/decision").asText()).isEqualTo("error");
    }
  }

  @Test
  void failingOpenAllowsWithAWarning() throws Exception {
    try (HttpsHarness h = new HttpsHarness(dir, TestSupport.resourceDir("policies/guardrails"),
        HttpsHarness.config("", "validation:\n  failureMode: open\n"), TestSupport.fixedClock())) {
      h.awaitReady();
      JsonNode resp = h.post("/validate", conflictReview()).review();
      assertThat(resp.get("allowed").asBoolean()).isTrue();
      assertThat(resp.get("warnings").get(0).asText())
          .startsWith("gatehouse could not decide; allowed by failure mode open: policy evaluation failed");
      assertThat(h.get("/metrics").text()).contains("decision=\"error_allowed\"");
    }
  }

  @Test
  void anEvaluationOverItsDeadlineIsAnsweredPromptlyPerTheFailureMode() throws Exception {
    try (HttpsHarness h = new HttpsHarness(dir, TestSupport.resourceDir("policies/slow"),
        HttpsHarness.config("", "validation:\n  evaluationTimeout: 100ms\n"), TestSupport.fixedClock())) {
      h.awaitReady();
      long start = System.nanoTime();
      JsonNode resp = h.post("/validate", TestSupport.bytes("reviews/create-pod.json")).review();
      long ms = (System.nanoTime() - start) / 1_000_000;
      assertThat(resp.get("allowed").asBoolean()).isFalse();
      assertThat(resp.at("/status/message").asText()).endsWith("policy evaluation exceeded the 100ms deadline");
      // answered by the engine's deadline, well before the guard timer (deadline + 1s)
      assertThat(ms).isLessThan(5_000);
    }
  }

  @Test
  void brokenPoliciesKeepTheWebhookUnreadyUntilFixedThenTheNewPoliciesServe() throws Exception {
    Path policies = TestSupport.copyDir("policies/guardrails", dir.resolve("policies"));
    Path rego = policies.resolve("admission.rego");
    String good = Files.readString(rego);
    Files.writeString(rego, good + "\nthis is not rego\n");
    try (HttpsHarness h = new HttpsHarness(dir, policies, HttpsHarness.config("", ""), TestSupport.fixedClock())) {
      long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      HttpsHarness.Response health;
      do {
        Thread.sleep(50);
        health = h.get("/health");
      } while (!health.json().has("error") && System.nanoTime() < until);
      assertThat(health.status()).isEqualTo(503);
      assertThat(health.json().get("status").asText()).isEqualTo("loading");
      assertThat(health.json().get("error").asText()).contains("admission.rego").contains("rego_parse_error");
      JsonNode resp = h.post("/validate", TestSupport.bytes("reviews/create-pod.json")).review();
      assertThat(resp.get("allowed").asBoolean()).isFalse();
      assertThat(resp.at("/status/message").asText()).contains("policies are not loaded yet");

      Files.writeString(rego, good);
      h.server.refreshPolicies();
      assertThat(h.get("/health").status()).isEqualTo(200);
      assertThat(h.post("/validate", TestSupport.bytes("reviews/create-pod.json")).review()
          .at("/auditAnnotations/deny-rules").asText()).isEqualTo("privileged-container");

      // A later broken push keeps the last good policies in force.
      String revision = h.get("/health").json().get("policyRevision").asText();
      Files.writeString(rego, good.replace("\"privileged-container\"", "\"no-privileged\"") + "\nbroken(");
      h.server.refreshPolicies();
      assertThat(h.get("/health").json().get("policyRevision").asText()).isEqualTo(revision);
      // A good change is swapped in atomically: the next request sees the renamed rule.
      Files.writeString(rego, good.replace("\"privileged-container\"", "\"no-privileged\""));
      h.server.refreshPolicies();
      assertThat(h.get("/health").json().get("policyRevision").asText()).isNotEqualTo(revision);
      assertThat(h.post("/validate", TestSupport.bytes("reviews/create-pod.json")).review()
          .at("/auditAnnotations/deny-rules").asText()).isEqualTo("no-privileged");
      assertThat(h.logs()).contains("policy reload failed; keeping the policies in force");
    }
  }

  @Test
  void aRenewedCertificateIsServedWithoutARestart() throws Exception {
    try (HttpsHarness h = new HttpsHarness(dir, TestSupport.resourceDir("policies/guardrails"),
        HttpsHarness.config("", ""), TestSupport.fixedClock())) {
      h.awaitReady();
      assertThat(h.get("/health").status()).isEqualTo(200);
      // A new CA and serving pair replace the files (as a Secret update or cert-manager renewal would).
      ServingCertificates.Bundle renewed = ServingCertificates.generate("gatehouse-webhook", "gatehouse-system",
          List.of("localhost"), Duration.ofDays(2), null, null);
      Path next = dir.resolve("next");
      renewed.write(next);
      Files.copy(next.resolve("tls.crt"), dir.resolve("tls/tls.crt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      Files.copy(next.resolve("tls.key"), dir.resolve("tls/tls.key"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      h.server.refreshTls();
      assertThat(h.logs()).contains("tls certificate reloaded");
      h.trustOnly(next.resolve("ca.crt"));
      assertThat(h.get("/health").status()).isEqualTo(200);
      h.trustOnly(dir.resolve("tls/ca.crt"));
      assertThatThrownBy(() -> h.get("/health")).isInstanceOf(SSLHandshakeException.class);
      h.trustOnly(next.resolve("ca.crt"));
      assertThat(h.get("/metrics").text()).contains("gatehouse_webhook_reloads_total{kind=\"tls\",result=\"success\"} 1");
    }
  }

  @Test
  void anUnreadableCertificateUpdateKeepsTheOldOne() throws Exception {
    try (HttpsHarness h = new HttpsHarness(dir, TestSupport.resourceDir("policies/guardrails"),
        HttpsHarness.config("", ""), TestSupport.fixedClock())) {
      Files.writeString(dir.resolve("tls/tls.crt"), "-----BEGIN CERTIFICATE-----\ngarbage\n-----END CERTIFICATE-----\n");
      h.server.refreshTls();
      assertThat(h.get("/health/live").status()).isEqualTo(200);
      assertThat(h.logs()).contains("tls files unreadable; keeping the certificate in force");
    }
  }

  @Test
  void aCertificateWhoseKeyDoesNotMatchIsRefusedAndTheOldPairKeepsServing() throws Exception {
    try (HttpsHarness h = new HttpsHarness(dir, TestSupport.resourceDir("policies/guardrails"),
        HttpsHarness.config("", ""), TestSupport.fixedClock())) {
      h.awaitReady();
      // A renewal that updated the certificate but not the key (or the other way round): every
      // handshake would fail with it, so it must never be taken.
      ServingCertificates.Bundle other = ServingCertificates.generate("gatehouse-webhook", "gatehouse-system",
          List.of("localhost"), Duration.ofDays(2), null, null);
      Path next = dir.resolve("mismatch");
      other.write(next);
      Files.copy(next.resolve("tls.crt"), dir.resolve("tls/tls.crt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      h.server.refreshTls();
      assertThat(h.logs()).contains("tls files unreadable; keeping the certificate in force")
          .contains("does not match the private key");
      assertThat(h.get("/health").status()).isEqualTo(200);
      assertThat(h.get("/metrics").text()).contains("gatehouse_webhook_reloads_total{kind=\"tls\",result=\"failure\"} 1");
    }
  }

  @Test
  void startingWithACertificateAndAKeyThatDoNotMatchFails() throws Exception {
    Path a = dir.resolve("pair-a");
    Path b = dir.resolve("pair-b");
    ServingCertificates.generate("gatehouse-webhook", "gatehouse-system", List.of("localhost"), Duration.ofDays(1),
        null, null).write(a);
    ServingCertificates.generate("gatehouse-webhook", "gatehouse-system", List.of("localhost"), Duration.ofDays(1),
        null, null).write(b);
    assertThatThrownBy(() -> WebhookServer.start(new WebhookServer.Options(
        new dev.gatehouse.injector.policy.DirectoryPolicySource(dir), a.resolve("tls.crt"), b.resolve("tls.key"),
        "127.0.0.1", 0, dev.gatehouse.injector.config.ConfigLoader.defaults(), System.out, TestSupport.fixedClock())))
        .isInstanceOf(java.io.IOException.class)
        .hasMessageContaining("tls.crt: the certificate does not match the private key in " + b.resolve("tls.key"));
  }

  @Test
  void startingWithoutACertificateFailsWithTheFileName() {
    Path missing = dir.resolve("missing.crt");
    assertThatThrownBy(() -> WebhookServer.start(new WebhookServer.Options(
        new dev.gatehouse.injector.policy.DirectoryPolicySource(dir), missing, missing, "127.0.0.1", 0,
        dev.gatehouse.injector.config.ConfigLoader.defaults(), System.out, TestSupport.fixedClock())))
        .isInstanceOf(java.io.IOException.class).hasMessageContaining("missing.crt: no such file");
  }

  @Test
  void shutdownReportsUnreadyAndReleasesThePort() throws Exception {
    HttpsHarness h = new HttpsHarness(dir, TestSupport.resourceDir("policies/guardrails"),
        HttpsHarness.config("", ""), TestSupport.fixedClock());
    h.awaitReady();
    int port = h.server.port();
    h.close();
    assertThat(h.server.ready()).isFalse();
    try (java.net.ServerSocket s = new java.net.ServerSocket(port, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      assertThat(s.getLocalPort()).isEqualTo(port);
    }
    assertThat(h.logs()).contains("\"msg\":\"stopped\"");
    assertThatThrownBy(() -> h.get("/health")).isInstanceOf(java.io.IOException.class);
  }
}
