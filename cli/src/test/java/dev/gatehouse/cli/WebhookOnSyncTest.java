package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.engine.bundle.Bundle;
import dev.gatehouse.sync.fixture.BundleServer;
import dev.gatehouse.sync.fixture.Grants;
import dev.gatehouse.sync.fixture.Policies;
import dev.gatehouse.sync.fixture.SigningKey;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gatehouse webhook --opa-config}: the webhook, as a process, pulls the repository's
 * policies and a grants bundle from a signed bundle server (the sync's fixture server, speaking the
 * control plane's protocol), and decides real CONNECT AdmissionReviews (kubectl exec, port-forward)
 * by the live, JWS-verified grants: a pod-exec grant admits, its revocation denies within seconds,
 * a forged grant entry is dropped, and a replayed older bundle does not bring the grant back.
 */
class WebhookOnSyncTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN = "enforcer-token-webhook";
  private static final Path REVIEWS = Path.of("../injector/src/test/resources/reviews");

  @Test
  void connectIsGatedByTheLiveVerifiedGrants(@TempDir Path dir) throws Exception {
    SigningKey key = new SigningKey("cp-webhook-1");
    Instant now = Instant.now();
    // alice@example.com may exec into payments/api-* (connect-exec.json is alice, payments, api-7d9f8-x2k4q)
    ObjectNode grant = podExecGrant("g-exec-1", "alice@example.com", "payments", "api-*",
        now.minus(Duration.ofMinutes(5)), now.plus(Duration.ofHours(1)));
    Bundle grants1 = Grants.bundle(1, List.of(Grants.entry(grant, key)), key);
    try (BundleServer server = new BundleServer(TOKEN)) {
      server.publish("policies", Policies.bundle("policies-rev-1", key));
      server.publish("grants", grants1);
      Path opa = dir.resolve("opa.yaml");
      Files.writeString(opa, """
          services:
            - name: control-plane
              url: %s
              credentials: {bearer: {token_path: %s}}
          bundles:
            policies:
              service: control-plane
              signing: {keyid: %s}
              polling: {min_delay_seconds: 1, max_delay_seconds: 2, long_polling_timeout_seconds: 10}
            grants:
              service: control-plane
              signing: {keyid: %s}
              polling: {min_delay_seconds: 1, max_delay_seconds: 2, long_polling_timeout_seconds: 10}
          keys:
            %s: {algorithm: ES256, key_path: %s}
          persistence_directory: %s
          """.formatted(server.url(), write(dir.resolve("token"), TOKEN), key.kid, key.kid, key.kid,
          write(dir.resolve("cp.pem"), key.publicPem()), dir.resolve("cache")));
      Cli.Result certs = Cli.run("webhook", "certs", "--host", "localhost", "-o", dir.resolve("pki").toString());
      assertThat(certs.exit()).as(certs.err()).isZero();
      int port = SidecarApisTest.freePort();
      Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
          System.getProperty("java.class.path"), "dev.gatehouse.cli.Main", "webhook", "--opa-config", opa.toString(),
          "--tls-cert", dir.resolve("pki/tls.crt").toString(), "--tls-key", dir.resolve("pki/tls.key").toString(),
          "--host", "127.0.0.1", "--port", String.valueOf(port))
          .redirectErrorStream(true).redirectOutput(dir.resolve("webhook.log").toFile()).start();
      HttpClient https = HttpClient.newBuilder().sslContext(trusting(dir.resolve("pki/ca.crt"))).build();
      String base = "https://localhost:" + port;
      try {
        awaitTrue(() -> status(https, base + "/health") == 200, 60, p, dir);
        JsonNode health = JSON.readTree(get(https, base + "/health").body());
        assertThat(health.path("policyRevision").asText()).isEqualTo("grants=grants-1,policies=policies-rev-1");

        // The grant admits kubectl exec; kubectl port-forward to another pod is still denied.
        JsonNode exec = review(https, base, "connect-exec");
        assertThat(exec.path("allowed").asBoolean()).as(exec.toString()).isTrue();

        // Revoked: the next long poll brings grants-2 and the exec is denied, with the pod-exec hint.
        server.publish("grants", Grants.bundle(2, List.of(Grants.entry(Grants.revoked(grant, now, "security-oncall"),
            key)), key));
        long t0 = System.nanoTime();
        awaitTrue(() -> !reviewQuietly(https, base, "connect-exec").path("allowed").asBoolean(true), 10, p, dir);
        long revokedMs = (System.nanoTime() - t0) / 1_000_000;
        assertThat(revokedMs).as("revocation to denial, ms").isLessThan(5000);
        JsonNode denied = review(https, base, "connect-exec");
        assertThat(denied.at("/status/code").asInt()).isEqualTo(403);
        assertThat(denied.at("/status/message").asText()).contains("pod-connect-grant", "revoked");

        // The signed older grants-1 served again (stale mirror, attacker): refused, still denied.
        server.publish("grants", grants1);
        awaitTrue(() -> logContains(dir, "replay refused"), 10, p, dir);
        assertThat(review(https, base, "connect-exec").path("allowed").asBoolean()).isFalse();

        // A grant entry whose JWS is not the control plane's (forged for bob's key): dropped, reported.
        SigningKey forger = new SigningKey(key.kid);
        ObjectNode forged = Grants.entry(podExecGrant("g-exec-2", "alice@example.com", "payments", "*",
            now.minus(Duration.ofMinutes(1)), now.plus(Duration.ofHours(1))), forger);
        server.publish("grants", Grants.bundle(3, List.of(forged), key));
        awaitTrue(() -> logContains(dir, "grant dropped: its JWS did not verify"), 10, p, dir);
        assertThat(review(https, base, "connect-exec").path("allowed").asBoolean()).isFalse();
        assertThat(Files.readString(dir.resolve("webhook.log"))).contains("g-exec-2");

        // The webhook's /metrics carries the bundle sync's counters next to its own.
        String metrics = get(https, base + "/metrics").body();
        assertThat(metrics).contains("gatehouse_webhook_requests_total{")
            .contains("gatehouse_bundle_replays_refused_total{bundle=\"grants\"} 1")
            .contains("gatehouse_grants_rejected_total{bundle=\"grants\"} 1");
      } finally {
        p.destroy();
        p.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  static ObjectNode podExecGrant(String id, String subject, String namespace, String pod, Instant notBefore,
      Instant expiresAt) {
    ObjectNode g = JSON.createObjectNode();
    g.put("id", id);
    g.put("request_id", "req-" + id);
    g.put("subject", subject);
    ObjectNode t = g.putObject("target");
    t.put("kind", "pod-exec");
    t.put("namespace", namespace);
    t.put("pod", pod);
    g.put("not_before", notBefore.toString().replaceAll("\\.\\d+Z$", "Z"));
    g.put("expires_at", expiresAt.toString().replaceAll("\\.\\d+Z$", "Z"));
    g.putArray("approvers").add("bob");
    g.put("policy_revision", "test");
    g.put("break_glass", false);
    return g;
  }

  private static String write(Path f, String content) throws Exception {
    Files.writeString(f, content);
    return f.toString();
  }

  private static JsonNode review(HttpClient https, String base, String name) throws Exception {
    HttpResponse<String> r = https.send(HttpRequest.newBuilder(URI.create(base + "/validate"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofFile(REVIEWS.resolve(name + ".json"))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body()).path("response");
  }

  private static JsonNode reviewQuietly(HttpClient https, String base, String name) {
    try {
      return review(https, base, name);
    } catch (Exception | AssertionError e) {
      return JSON.createObjectNode();
    }
  }

  private static boolean logContains(Path dir, String s) {
    try {
      return Files.readString(dir.resolve("webhook.log")).contains(s);
    } catch (Exception e) {
      return false;
    }
  }

  private static void awaitTrue(java.util.function.BooleanSupplier cond, int seconds, Process p, Path dir)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!cond.getAsBoolean()) {
      assertThat(p.isAlive()).as(Files.readString(dir.resolve("webhook.log"))).isTrue();
      assertThat(System.nanoTime()).as("within %d s: %s", seconds, Files.readString(dir.resolve("webhook.log")))
          .isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  private static int status(HttpClient https, String url) {
    try {
      return get(https, url).statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  private static HttpResponse<String> get(HttpClient https, String url) throws Exception {
    return https.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static SSLContext trusting(Path caPem) throws Exception {
    KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
    ks.load(null, null);
    try (InputStream in = Files.newInputStream(caPem)) {
      ks.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }
}
