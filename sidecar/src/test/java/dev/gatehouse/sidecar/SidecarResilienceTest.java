package dev.gatehouse.sidecar;

import static dev.gatehouse.sidecar.SidecarHarness.await;
import static dev.gatehouse.sidecar.SidecarHarness.signed;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.engine.bundle.Bundle;
import dev.gatehouse.sync.fixture.Grants;
import dev.gatehouse.sync.fixture.SigningKey;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sidecar when the control plane misbehaves: down, serving bad bundles, or down at start. */
class SidecarResilienceTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void notReadyUntilTheFirstActivationThenServing(@TempDir Path dir) throws Exception {
    try (SidecarHarness h = new SidecarHarness(dir)) {
      h.startSidecar(false, null); // no grants bundle published yet
      assertThat(h.admin("/ready").statusCode()).isEqualTo(503);
      assertThat(JSON.readTree(h.admin("/health").body()).get("status").asText()).isEqualTo("unavailable");
      HttpResponse<String> r = h.get("/healthz", null);
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(JSON.readTree(r.body()).get("error").asText()).isEqualTo("unavailable");
      assertThat(h.admin("/live").statusCode()).isEqualTo(200);
      h.publishGrants(List.of());
      assertThat(h.admin("/ready").statusCode()).isEqualTo(200);
      assertThat(h.get("/healthz", null).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void controlPlaneDownStillEnforcesAndAGrantExpiringMeanwhileDeniesAndClosesItsWebSocket(@TempDir Path dir)
      throws Exception {
    try (SidecarHarness h = new SidecarHarness(dir)) {
      h.startSidecar(false, null);
      Instant now = h.clock.instant();
      ObjectNode g = SidecarHarness.grant("g-1", "ivy", List.of("read"), now.minus(Duration.ofMinutes(1)),
          now.plus(Duration.ofMinutes(30)));
      h.publishGrants(List.of(signed(g)));
      assertThat(h.get("/v1/payments", h.bearer("ivy")).statusCode()).isEqualTo(200);
      CompletableFuture<Integer> closed = new CompletableFuture<>();
      HttpClient.newHttpClient().newWebSocketBuilder().header("Authorization", h.bearer("ivy"))
          .buildAsync(URI.create("ws://127.0.0.1:" + h.sidecar.port() + "/ws"), new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onClose(WebSocket w, int status, String reason) {
              closed.complete(status);
              return null;
            }
          }).get(5, TimeUnit.SECONDS);

      h.server.close(); // the control plane goes away
      await(() -> h.sync.status().stream().allMatch(s -> s.lastError() != null), 5000);
      assertThat(h.get("/v1/payments", h.bearer("ivy")).statusCode()).isEqualTo(200);
      assertThat(h.get("/v1/payments", h.bearer("mallory")).statusCode()).isEqualTo(403);
      JsonNode health = JSON.readTree(h.admin("/health").body());
      assertThat(health.get("status").asText()).isEqualTo("ok");
      assertThat(health.get("bundles").get(1).get("last_error").asText()).startsWith("download:");

      // 31 minutes later (the token is minted on the shifted clock too): the grant has expired.
      long t0 = System.nanoTime();
      h.clock.advance(Duration.ofMinutes(31));
      assertThat(closed.get(1500, TimeUnit.MILLISECONDS)).isEqualTo(1008);
      assertThat((System.nanoTime() - t0) / 1_000_000).as("ms to close at expiry").isLessThan(1000);
      HttpResponse<String> r = h.get("/v1/payments", h.bearer("ivy"));
      assertThat(r.statusCode()).isEqualTo(403);
      assertThat(JSON.readTree(r.body()).get("reason").asText()).startsWith("grant g-1 expired at");
    }
  }

  @Test
  void tamperedUnsignedAndWronglySignedBundlesAreIgnoredAndReported(@TempDir Path dir) throws Exception {
    try (SidecarHarness h = new SidecarHarness(dir)) {
      h.startSidecar(false, null);
      h.publishGrants(List.of(signed(h.activeGrant("g-1", "jack", List.of("read")))));
      String good = h.sync.current().orElseThrow().revisions().get("grants");

      // Wrongly signed: another key under the control plane's kid.
      SigningKey rogue = new SigningKey(SidecarHarness.KEY.kid);
      h.server.publish("grants", Grants.bundle(90, List.of(Grants.entry(h.activeGrant("g-9", "mallory",
          List.of("read")), rogue)), rogue));
      await(() -> h.sync.status().get(1).lastError() != null, 5000);
      assertThat(h.sync.current().orElseThrow().revisions().get("grants")).isEqualTo(good);
      assertThat(h.get("/v1/payments", h.bearer("mallory")).statusCode()).isEqualTo(403);
      assertThat(h.get("/v1/payments", h.bearer("jack")).statusCode()).isEqualTo(200);
      JsonNode health = JSON.readTree(h.admin("/health").body());
      assertThat(health.get("bundles").get(1).get("last_error").asText()).startsWith("verify:");
      assertThat(health.get("bundles").get(1).get("revision").asText()).isEqualTo(good);

      // Unsigned.
      h.server.publish("grants", Grants.unsigned(91, List.of(signed(h.activeGrant("g-9", "mallory", List.of("read"))))));
      await(() -> h.sync.status().get(1).lastError().contains(".signatures.json"), 5000);
      assertThat(h.get("/v1/payments", h.bearer("mallory")).statusCode()).isEqualTo(403);

      // Tampered after signing.
      Bundle valid = Grants.bundle(92, List.of(signed(h.activeGrant("g-9", "mallory", List.of("read")))),
          SidecarHarness.KEY);
      Path t = Files.createTempDirectory(dir, "t");
      valid.writeDirectory(t);
      Files.writeString(t.resolve("data.json"), Files.readString(t.resolve("data.json")).replace("mallory", "mallorx"));
      h.server.publishRaw("grants", Bundle.read(t, Bundle.ReadOptions.SKIP_VERIFICATION).toTarGz(), "grants-92");
      await(() -> h.sync.status().get(1).lastError().contains("digest mismatch"), 5000);
      assertThat(h.sync.current().orElseThrow().revisions().get("grants")).isEqualTo(good);
      assertThat(h.logText()).contains("bundle not activated; the last good one keeps serving");
      assertThat(h.admin("/metrics").body()).contains("gatehouse_bundle_downloads_total{bundle=\"grants\",result=\"invalid\"}");
    }
  }

  @Test
  void persistedBundlesAreLoadedAtStartWhenTheControlPlaneIsDown(@TempDir Path dir) throws Exception {
    int port;
    try (SidecarHarness h = new SidecarHarness(dir)) {
      h.startSidecar(true, null);
      h.publishGrants(List.of(signed(h.activeGrant("g-1", "kate", List.of("read")))));
      await(() -> Files.exists(dir.resolve("cache/bundles/grants/bundle.tar.gz")), 5000);
      port = h.server.port();
    }
    // A restarted pod: same configuration (same server URL, now down), same cache directory.
    try (SidecarHarness h = new SidecarHarness(dir)) {
      h.server.close();
      h.sync = new dev.gatehouse.sync.BundleSync(new dev.gatehouse.sync.config.ConfigReader(n -> null, null)
          .parse(dev.gatehouse.sync.fixture.Configs.opaConfig("http://127.0.0.1:" + port + "/", SidecarHarness.TOKEN,
              SidecarHarness.KEY, dir.resolve("cache"))), h.clock, Sidecar.loggingEvents(new JsonLog(h.log, h.clock)));
      h.sync.start();
      h.sidecar = Sidecar.start(new SidecarOptions(URI.create("http://127.0.0.1:" + h.upstream.port()), "127.0.0.1", 0,
          "127.0.0.1", 0, "payments-api", "payments-prod", null,
          new SidecarOptions.Jwt(h.idp.writeJwks(dir).toString(), Tokens.ISSUER, Tokens.AUDIENCE, null),
          null, h.clock, h.log, null), h.sync);
      await(() -> h.sync.current().isPresent(), 10_000);
      assertThat(h.get("/v1/payments", h.bearer("kate")).statusCode()).isEqualTo(200);
      assertThat(h.get("/v1/payments", h.bearer("mallory")).statusCode()).isEqualTo(403);
      assertThat(h.logText()).contains("bundle server unreachable: serving the persisted bundle");
    }
  }

  @Test
  void aConfiguredMeshHeaderCarriesTheIdentity(@TempDir Path dir) throws Exception {
    try (SidecarHarness h = new SidecarHarness(dir)) {
      h.startSidecar(false, "x-forwarded-client-cert");
      h.publishGrants(List.of(signed(h.activeGrant("g-1", "spiffe://cluster.local/ns/billing/sa/invoicer",
          List.of("read")))));
      String xfcc = "By=spiffe://cluster.local/ns/payments-prod/sa/payments-api;Hash=abc;"
          + "URI=spiffe://cluster.local/ns/billing/sa/invoicer";
      HttpResponse<String> r = h.http.send(java.net.http.HttpRequest.newBuilder(h.url("/v1/payments"))
          .header("x-forwarded-client-cert", xfcc).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(JSON.readTree(r.body()).get("subject").asText()).isEqualTo("spiffe://cluster.local/ns/billing/sa/invoicer");
      // A bearer token, when present, wins over the header; a subject header sent by the caller is replaced.
      HttpResponse<String> r2 = h.http.send(java.net.http.HttpRequest.newBuilder(h.url("/v1/payments"))
          .header("x-forwarded-client-cert", xfcc).header("Authorization", h.bearer("mallory"))
          .header("x-gatehouse-subject", "spiffe://cluster.local/ns/billing/sa/invoicer").build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r2.statusCode()).isEqualTo(403);
    }
  }
}
