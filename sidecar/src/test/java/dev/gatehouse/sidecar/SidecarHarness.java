package dev.gatehouse.sidecar;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.engine.bundle.Bundle;
import dev.gatehouse.sync.BundleSync;
import dev.gatehouse.sync.SyncEvents;
import dev.gatehouse.sync.config.ConfigReader;
import dev.gatehouse.sync.config.SyncConfig;
import dev.gatehouse.sync.fixture.BundleServer;
import dev.gatehouse.sync.fixture.Grants;
import dev.gatehouse.sync.fixture.Policies;
import dev.gatehouse.sync.fixture.SigningKey;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * A complete setup: a real upstream, a fixture bundle server serving the repository's policies and
 * signed grants (as the grant contract describes), a BundleSync configured through an OPA
 * configuration, and a sidecar in front of the upstream with JWT identities.
 */
final class SidecarHarness implements AutoCloseable {
  static final String TOKEN = "enforcer-token";
  static final SigningKey KEY = new SigningKey("cp-2026-12");
  static Bundle policies;

  final Upstream upstream;
  final BundleServer server;
  final Tokens idp = new Tokens("idp-1");
  final OffsetClock clock = new OffsetClock();
  final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
  final PrintStream log = new PrintStream(logBytes, true);
  final Path dir;
  final AtomicLong seq = new AtomicLong();
  BundleSync sync;
  Sidecar sidecar;
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  SidecarHarness(Path dir) throws Exception {
    this.dir = dir;
    synchronized (SidecarHarness.class) {
      if (policies == null) {
        policies = Policies.bundle("policies-" + System.nanoTime(), KEY);
      }
    }
    upstream = new Upstream();
    server = new BundleServer(TOKEN);
    server.publish("policies", policies);
  }

  SyncConfig syncConfig(boolean persist) {
    String json = dev.gatehouse.sync.fixture.Configs.opaConfig(server.url(), TOKEN, KEY, persist ? dir.resolve("cache") : null);
    return new ConfigReader(n -> null, null).parse(json);
  }

  void startSidecar(boolean persist, String identityHeader) throws Exception {
    sync = new BundleSync(syncConfig(persist), clock, Sidecar.loggingEvents(new JsonLog(log, clock)));
    sync.start();
    SidecarOptions o = new SidecarOptions(URI.create("http://127.0.0.1:" + upstream.port()), "127.0.0.1", 0,
        "127.0.0.1", 0, "payments-api", "payments-prod", null,
        new SidecarOptions.Jwt(idp.writeJwks(dir).toString(), Tokens.ISSUER, Tokens.AUDIENCE, null),
        identityHeader, clock, log, null);
    sidecar = Sidecar.start(o, sync);
  }

  /** Publishes a grants bundle and waits until the sidecar has activated it. */
  String publishGrants(List<ObjectNode> entries) throws InterruptedException {
    long n = seq.incrementAndGet();
    server.publish("grants", Grants.bundle(n, entries, KEY));
    String rev = "grants-" + n;
    await(() -> sync.current().map(a -> rev.equals(a.revisions().get("grants"))).orElse(false), 5000);
    return rev;
  }

  static ObjectNode grant(String id, String subject, List<String> actions, Instant notBefore, Instant expiresAt) {
    return Grants.serviceGrant(id, subject, "payments-api", "payments-prod", actions, notBefore, expiresAt);
  }

  ObjectNode activeGrant(String id, String subject, List<String> actions) {
    Instant now = clock.instant();
    return grant(id, subject, actions, now.minus(Duration.ofMinutes(5)), now.plus(Duration.ofHours(1)));
  }

  static ObjectNode signed(ObjectNode grant) {
    return Grants.entry(grant, KEY);
  }

  String bearer(String sub) {
    return "Bearer " + idp.token(sub, Tokens.AUDIENCE, clock.instant().plus(Duration.ofMinutes(10)));
  }

  URI url(String path) {
    return URI.create("http://127.0.0.1:" + sidecar.port() + path);
  }

  HttpResponse<String> get(String path, String authorization) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(url(path)).timeout(Duration.ofSeconds(10)).GET();
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> admin(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sidecar.adminPort() + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  String logText() {
    return logBytes.toString();
  }

  static void await(BooleanSupplier cond, long millis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + millis;
    while (!cond.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("condition not met within " + millis + " ms");
      }
      Thread.sleep(5);
    }
  }

  @Override
  public void close() throws Exception {
    if (sidecar != null) {
      sidecar.close();
    }
    if (sync != null) {
      sync.close();
    }
    server.close();
    upstream.close();
  }
}
