package dev.gatehouse.sync;

import static dev.gatehouse.sync.SyncFixture.allowed;
import static dev.gatehouse.sync.SyncFixture.decide;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.engine.bundle.Bundle;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.sync.config.SyncConfig;
import dev.gatehouse.sync.fixture.BundleServer;
import dev.gatehouse.sync.fixture.Grants;
import dev.gatehouse.sync.fixture.Policies;
import dev.gatehouse.sync.fixture.SigningKey;
import dev.gatehouse.sync.grants.GrantVerifier;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleSyncTest {
  static final String TOKEN = "enforcer-token-1";
  static final Instant NOW = Instant.parse("2026-12-07T20:00:00Z");
  static SigningKey key;
  static Bundle policies;

  BundleServer server;
  BundleSync sync;
  final List<String> failures = new CopyOnWriteArrayList<>();
  final List<GrantVerifier.Rejected> rejected = new CopyOnWriteArrayList<>();
  final SyncEvents events = new SyncEvents() {
    @Override
    public void bundleFailed(String bundle, String stage, String error) {
      failures.add(bundle + " " + stage + ": " + error);
    }

    @Override
    public void grantsRejected(String bundle, String revision, List<GrantVerifier.Rejected> r) {
      rejected.addAll(r);
    }
  };

  @BeforeAll
  static void keys() {
    key = new SigningKey("cp-2026-12");
    policies = Policies.bundle("policies-rev-1", key);
  }

  @BeforeEach
  void start() throws Exception {
    server = new BundleServer(TOKEN);
  }

  @AfterEach
  void stop() {
    if (sync != null) {
      sync.close();
    }
    server.close();
  }

  static ObjectNode grant(String id, String subject, List<String> actions) {
    return Grants.serviceGrant(id, subject, "payments-api", "payments-prod", actions,
        NOW.minus(Duration.ofMinutes(5)), NOW.plus(Duration.ofHours(1)));
  }

  private BundleSync startSync(SyncConfig config) throws InterruptedException {
    sync = new BundleSync(config, Clock.systemUTC(), events);
    sync.start();
    return sync;
  }

  static void await(BooleanSupplier cond, long millis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + millis;
    while (!cond.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("condition not met within " + millis + " ms");
      }
      Thread.sleep(10);
    }
  }

  @Test
  void activatesPoliciesAndVerifiedGrantsTogetherAndFollowsRevocationByLongPoll() throws Exception {
    server.publish("policies", policies);
    server.publish("grants", Grants.bundle(1, List.of(Grants.entry(grant("g-1", "bob", List.of("write")), key)), key));
    startSync(new dev.gatehouse.sync.config.ConfigReader(n -> null, null).parse(
        SyncFixture.configJson(server, TOKEN, key, null, true)
            .replace("\"min_delay_seconds\":1", "\"min_delay_seconds\":60")
            .replace("\"max_delay_seconds\":2", "\"max_delay_seconds\":120")));
    assertThat(sync.awaitFirstActivation(10_000)).isTrue();
    assertThat(sync.metrics().downloads("grants", "ok")).isEqualTo(1);

    ActivePolicy first = sync.current().orElseThrow();
    assertThat(first.revisions()).containsEntry("policies", "policies-rev-1").containsEntry("grants", "grants-1");
    ObjectValue d = decide(sync, "bob", "POST", "/v1/refunds", NOW);
    assertThat(allowed(d)).isTrue();
    assertThat(d.get("grant_id").toString()).isEqualTo("\"g-1\"");
    assertThat(allowed(decide(sync, "carol", "POST", "/v1/refunds", NOW))).isFalse();

    // Revocation: the long poll is answered as soon as the revision changes.
    List<ActivePolicy> seen = new CopyOnWriteArrayList<>();
    sync.onActivation(seen::add);
    long t0 = System.nanoTime();
    server.publish("grants", Grants.bundle(2, List.of(Grants.entry(
        Grants.revoked(grant("g-1", "bob", List.of("write")), NOW, "alice"), key)), key));
    await(() -> !seen.isEmpty(), 3000);
    // Polling alone would wait 60-120 s (below): seeing it in seconds means the long poll answered.
    assertThat((System.nanoTime() - t0) / 1_000_000).as("ms to activate the revocation").isLessThan(5000);
    ObjectValue denied = decide(sync, "bob", "POST", "/v1/refunds", NOW);
    assertThat(allowed(denied)).isFalse();
    assertThat(denied.get("reason").toString()).contains("revoked");
    assertThat(sync.status()).extracting(BundleStatus::revision).containsExactly("policies-rev-1", "grants-2");
    assertThat(sync.status()).allSatisfy(s -> assertThat(s.lastError()).isNull());
    // Conditional requests: unchanged bundles answered 304 (policies kept long-polling meanwhile).
    assertThat(sync.metrics().downloads("policies", "ok")).isEqualTo(1);
  }

  @Test
  void tamperedUnsignedAndWronglySignedBundlesAreRefusedAndTheLastGoodKeepsServing() throws Exception {
    server.publish("policies", policies);
    server.publish("grants", Grants.bundle(1, List.of(Grants.entry(grant("g-1", "bob", List.of("write")), key)), key));
    startSync(SyncFixture.config(server, TOKEN, key, null));
    assertThat(sync.awaitFirstActivation(10_000)).isTrue();
    ActivePolicy good = sync.current().orElseThrow();

    // Unsigned grants bundle (granting carol) while a key is configured.
    server.publish("grants", Grants.unsigned(2, List.of(Grants.entry(grant("g-2", "carol", List.of("write")), key))));
    await(() -> statusOf("grants").lastError() != null, 5000);
    assertThat(statusOf("grants").lastError()).contains(".signatures.json");
    assertThat(sync.current().orElseThrow()).isSameAs(good);
    assertThat(allowed(decide(sync, "carol", "POST", "/v1/refunds", NOW))).isFalse();

    // Signed by another key with the same kid.
    SigningKey rogue = new SigningKey(key.kid);
    server.publish("grants", Grants.bundle(3, List.of(Grants.entry(grant("g-3", "carol", List.of("write")), rogue)), rogue));
    failures.clear();
    await(() -> !failures.isEmpty(), 5000);
    assertThat(failures.get(0)).startsWith("grants verify").contains("signature");
    assertThat(sync.current().orElseThrow()).isSameAs(good);

    // Tampered: a valid signed bundle whose bytes were altered after signing (data changed).
    Bundle valid = Grants.bundle(4, List.of(Grants.entry(grant("g-4", "carol", List.of("write")), key)), key);
    byte[] tampered = tamper(valid);
    failures.clear();
    server.publishRaw("grants", tampered, "grants-4");
    await(() -> !failures.isEmpty(), 5000);
    assertThat(failures.get(0)).contains("grants verify");
    assertThat(sync.current().orElseThrow()).isSameAs(good);
    assertThat(allowed(decide(sync, "bob", "POST", "/v1/refunds", NOW))).isTrue();

    // Corrupt bytes.
    failures.clear();
    server.publishRaw("grants", "not a tarball".getBytes(), "grants-5");
    await(() -> !failures.isEmpty(), 5000);
    assertThat(sync.current().orElseThrow()).isSameAs(good);

    // And then a good one activates again.
    server.publish("grants", Grants.bundle(6, List.of(Grants.entry(grant("g-6", "carol", List.of("write")), key)), key));
    await(() -> "grants-6".equals(sync.current().orElseThrow().revisions().get("grants")), 5000);
    assertThat(allowed(decide(sync, "carol", "POST", "/v1/refunds", NOW))).isTrue();
    assertThat(statusOf("grants").lastError()).isNull();
  }

  @Test
  void aGrantWhoseJwsFailsIsDroppedAndReportedTheOthersLoad() throws Exception {
    SigningKey rogue = new SigningKey(key.kid);
    ObjectNode forged = Grants.entry(grant("g-2", "mallory", List.of("write")), rogue);
    // Outer fields say carol, the JWS says bob: only the signed payload counts.
    ObjectNode swapped = Grants.entry(grant("g-3", "bob", List.of("read")), key);
    swapped.put("subject", "carol");
    ObjectNode noJws = grant("g-4", "dave", List.of("write"));
    server.publish("policies", policies);
    server.publish("grants", Grants.bundle(1, List.of(Grants.entry(grant("g-1", "bob", List.of("write")), key),
        forged, swapped, noJws), key));
    startSync(SyncFixture.config(server, TOKEN, key, null));
    assertThat(sync.awaitFirstActivation(10_000)).isTrue();

    assertThat(allowed(decide(sync, "bob", "POST", "/v1/refunds", NOW))).isTrue();
    assertThat(allowed(decide(sync, "mallory", "POST", "/v1/refunds", NOW))).isFalse();
    assertThat(allowed(decide(sync, "dave", "POST", "/v1/refunds", NOW))).isFalse();
    assertThat(allowed(decide(sync, "carol", "GET", "/v1/payments", NOW))).isFalse();
    assertThat(allowed(decide(sync, "bob", "GET", "/v1/payments", NOW))).isTrue();
    assertThat(rejected).extracting(GrantVerifier.Rejected::id).containsExactlyInAnyOrder("g-2", "g-4");
    assertThat(rejected).filteredOn(r -> r.id().equals("g-2")).first()
        .extracting(GrantVerifier.Rejected::reason).isEqualTo("bad signature");
    assertThat(sync.metrics().grantsRejected("grants")).isEqualTo(2);
    assertThat(statusOf("grants").lastError()).contains("2 grant(s) dropped");
  }

  @Test
  void overlappingRootsAreRefused() throws Exception {
    server.publish("policies", policies);
    server.publish("grants", Grants.bundle(1, List.of(), key));
    startSync(SyncFixture.config(server, TOKEN, key, null));
    assertThat(sync.awaitFirstActivation(10_000)).isTrue();
    ActivePolicy good = sync.current().orElseThrow();

    Bundle claimsConfig = Grants.unsigned(2, List.of());
    claimsConfig = claimsConfig.withManifest(claimsConfig.manifest().withRoots(List.of("gatehouse/grants", "gatehouse/config")))
        .signed(key.bundleSigning());
    server.publish("grants", claimsConfig);
    await(() -> statusOf("grants").lastError() != null, 5000);
    assertThat(statusOf("grants").lastError()).contains("overlapping roots");
    assertThat(sync.current().orElseThrow()).isSameAs(good);
  }

  @Test
  void persistedBundlesServeWhenTheServerIsDownAtStart(@TempDir Path dir) throws Exception {
    server.publish("policies", policies);
    server.publish("grants", Grants.bundle(7, List.of(Grants.entry(grant("g-1", "bob", List.of("write")), key)), key));
    SyncConfig config = SyncFixture.config(server, TOKEN, key, dir);
    startSync(config);
    assertThat(sync.awaitFirstActivation(10_000)).isTrue();
    await(() -> dir.resolve("bundles/grants/bundle.tar.gz").toFile().exists(), 5000);
    sync.close();
    server.close();

    // A new process, the control plane unreachable.
    sync = new BundleSync(config, Clock.systemUTC(), events);
    sync.start();
    assertThat(sync.awaitFirstActivation(10_000)).isTrue();
    assertThat(sync.current().orElseThrow().revisions()).containsEntry("grants", "grants-7");
    assertThat(allowed(decide(sync, "bob", "POST", "/v1/refunds", NOW))).isTrue();
    // The grant still expires on time without the server.
    assertThat(allowed(decide(sync, "bob", "POST", "/v1/refunds", NOW.plus(Duration.ofHours(2))))).isFalse();
    await(() -> statusOf("grants").lastError() != null, 5000);
    assertThat(statusOf("grants").lastError()).startsWith("download:");
  }

  /**
   * The replay attack: grants-2 revokes g-1; then the server (an attacker in the path, or a stale
   * cache or mirror) serves the older grants-1, validly signed by the control plane, where g-1 is
   * still active. Signature checks alone would resurrect the revoked grant.
   */
  @Test
  void anOlderValidlySignedGrantsBundleCannotResurrectARevokedGrant(@TempDir Path dir) throws Exception {
    Bundle grants1 = Grants.bundle(1, List.of(Grants.entry(grant("g-1", "bob", List.of("write")), key)), key);
    Bundle grants2 = Grants.bundle(2, List.of(Grants.entry(
        Grants.revoked(grant("g-1", "bob", List.of("write")), NOW, "alice"), key)), key);
    server.publish("policies", policies);
    server.publish("grants", grants1);
    SyncConfig config = SyncFixture.config(server, TOKEN, key, dir);
    List<String> replays = new CopyOnWriteArrayList<>();
    SyncEvents recording = new SyncEvents() {
      @Override
      public void replayRefused(String bundle, String offered, String newest, String error) {
        replays.add(bundle + " " + offered + " < " + newest);
      }
    };
    sync = new BundleSync(config, Clock.systemUTC(), recording);
    sync.start();
    assertThat(sync.awaitFirstActivation(10_000)).isTrue();
    assertThat(allowed(decide(sync, "bob", "POST", "/v1/refunds", NOW))).isTrue();

    server.publish("grants", grants2);
    await(() -> "grants-2".equals(statusOf("grants").revision()), 5000);
    assertThat(allowed(decide(sync, "bob", "POST", "/v1/refunds", NOW))).isFalse();

    // The replay, while running: refused as a security event, the revocation stays in force.
    server.publish("grants", grants1);
    await(() -> !replays.isEmpty(), 5000);
    assertThat(replays).first().isEqualTo("grants grants-1 < grants-2");
    assertThat(allowed(decide(sync, "bob", "POST", "/v1/refunds", NOW))).isFalse();
    assertThat(statusOf("grants").revision()).isEqualTo("grants-2");
    assertThat(statusOf("grants").lastError()).startsWith("security: replay refused: revision grants-1 is older"
        + " than grants-2");
    StringBuilder metrics = new StringBuilder();
    sync.metrics().render(metrics, sync.status());
    assertThat(metrics.toString()).containsPattern("gatehouse_bundle_replays_refused_total\\{bundle=\"grants\"\\} [1-9]");
    sync.close();

    // A restart (container restart: the persistence directory survives) facing the stale server:
    // grants-1 is refused against the persisted floor and the persisted grants-2 serves instead.
    replays.clear();
    sync = new BundleSync(config, Clock.systemUTC(), recording);
    sync.start();
    assertThat(sync.awaitFirstActivation(10_000)).isTrue();
    assertThat(sync.current().orElseThrow().revisions()).containsEntry("grants", "grants-2");
    assertThat(allowed(decide(sync, "bob", "POST", "/v1/refunds", NOW))).isFalse();
    assertThat(replays).contains("grants grants-1 < grants-2");
    sync.close();

    // Recovery when the control plane really started over (data directory reset): the operator
    // drops the floor on restart (gatehouse sidecar --reset-revision-floor), and grants-1 activates.
    sync = new BundleSync(config, Clock.systemUTC(), recording);
    assertThat(sync.resetRevisionFloors()).containsEntry("grants", "grants-2");
    sync.start();
    assertThat(sync.awaitFirstActivation(10_000)).isTrue();
    assertThat(sync.current().orElseThrow().revisions()).containsEntry("grants", "grants-1");
    assertThat(allowed(decide(sync, "bob", "POST", "/v1/refunds", NOW))).isTrue();
  }

  @Test
  void anEpochInTheSignedManifestOrdersBeforeTheSequence(@TempDir Path dir) throws Exception {
    server.publish("policies", policies);
    server.publish("grants", Grants.bundle(40, List.of(), key));
    startSync(SyncFixture.config(server, TOKEN, key, dir));
    assertThat(sync.awaitFirstActivation(10_000)).isTrue();
    // A control plane that started over with a newer epoch in its (signed) manifest metadata: accepted.
    server.publish("grants", withEpoch(Grants.bundle(1, List.of(Grants.entry(grant("g-1", "bob", List.of("write")),
        key)), key), 2));
    await(() -> "grants-1".equals(statusOf("grants").revision()), 5000);
    assertThat(allowed(decide(sync, "bob", "POST", "/v1/refunds", NOW))).isTrue();
    // The old epoch's bundles are older, whatever their sequence.
    server.publish("grants", Grants.bundle(41, List.of(), key));
    await(() -> statusOf("grants").lastError() != null, 5000);
    assertThat(statusOf("grants").lastError()).contains("replay refused");
    assertThat(statusOf("grants").revision()).isEqualTo("grants-1");
  }

  static Bundle withEpoch(Bundle b, long epoch) {
    dev.gatehouse.engine.bundle.Manifest m = b.manifest();
    dev.gatehouse.engine.bundle.Manifest withEpoch = new dev.gatehouse.engine.bundle.Manifest(m.revision(), m.roots(),
        m.regoVersion(), m.fileRegoVersions(), (ObjectValue) ObjectValue.of("epoch",
            dev.gatehouse.engine.value.NumberValue.of(epoch)));
    return Bundle.of(withEpoch, b.modules(), b.data()).signed(key.bundleSigning());
  }

  @Test
  void aTamperedPersistedBundleIsNotLoaded(@TempDir Path dir) throws Exception {
    server.publish("policies", policies);
    server.publish("grants", Grants.bundle(7, List.of(), key));
    SyncConfig config = SyncFixture.config(server, TOKEN, key, dir);
    startSync(config);
    assertThat(sync.awaitFirstActivation(10_000)).isTrue();
    await(() -> dir.resolve("bundles/grants/bundle.tar.gz").toFile().exists(), 5000);
    sync.close();
    server.close();
    java.nio.file.Files.write(dir.resolve("bundles/grants/bundle.tar.gz"),
        tamper(Grants.bundle(8, List.of(Grants.entry(grant("g-9", "carol", List.of("write")), key)), key)));

    sync = new BundleSync(config, Clock.systemUTC(), events);
    sync.start();
    assertThat(sync.awaitFirstActivation(1500)).isFalse();
    assertThat(failures).anyMatch(f -> f.startsWith("grants persisted"));
  }

  @Test
  void aFailedPersistWriteIsReportedAndServingContinues(@TempDir Path dir) throws Exception {
    // A file where the persistence directory should be: every write fails, as on a full or read-only disk.
    Path notADir = dir.resolve("cache");
    java.nio.file.Files.writeString(notADir, "x");
    List<String> persistErrors = new CopyOnWriteArrayList<>();
    server.publish("policies", policies);
    server.publish("grants", Grants.bundle(1, List.of(Grants.entry(grant("g-1", "bob", List.of("write")), key)), key));
    sync = new BundleSync(SyncFixture.config(server, TOKEN, key, notADir), Clock.systemUTC(), new SyncEvents() {
      @Override
      public void persistFailed(String bundle, String error) {
        persistErrors.add(bundle + ": " + error);
      }
    });
    sync.start();
    assertThat(sync.awaitFirstActivation(10_000)).isTrue();
    await(() -> persistErrors.size() >= 2, 5000);
    assertThat(allowed(decide(sync, "bob", "POST", "/v1/refunds", NOW))).isTrue();
    StringBuilder metrics = new StringBuilder();
    sync.metrics().render(metrics, sync.status());
    assertThat(metrics.toString()).contains("gatehouse_bundle_persist_failures_total{bundle=\"grants\"} 1");
  }

  @Test
  void serverErrorsAndWrongTokensAreReportedNotActivated() throws Exception {
    server.failWith(500);
    startSync(SyncFixture.config(server, TOKEN, key, null));
    await(() -> statusOf("grants").lastError() != null, 5000);
    assertThat(statusOf("grants").lastError()).contains("HTTP 500");
    assertThat(sync.current()).isEmpty();
    server.failWith(0);
    server.publish("policies", policies);
    server.publish("grants", Grants.bundle(1, List.of(), key));
    // Backoff retries quickly after the first failures.
    assertThat(sync.awaitFirstActivation(10_000)).isTrue();
  }

  @Test
  void wrongTokenIsRefusedByTheServer() throws Exception {
    server.publish("policies", policies);
    server.publish("grants", Grants.bundle(1, List.of(), key));
    startSync(SyncFixture.config(server, "wrong", key, null));
    await(() -> statusOf("policies").lastError() != null, 5000);
    assertThat(statusOf("policies").lastError()).contains("HTTP 401");
    assertThat(sync.current()).isEmpty();
  }

  private BundleStatus statusOf(String name) {
    return sync.status().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }

  /** The signed bundle's tarball with data.json changed after signing (signature kept). */
  static byte[] tamper(Bundle signed) throws Exception {
    Path tmp = java.nio.file.Files.createTempDirectory("tamper");
    signed.writeDirectory(tmp);
    Path data = tmp.resolve("data.json");
    String json = java.nio.file.Files.readString(data).replace("\"carol\"", "\"bob\"");
    java.nio.file.Files.writeString(data, json.replace("\"write\"", "\"admin\""));
    Bundle reread = Bundle.read(tmp, Bundle.ReadOptions.SKIP_VERIFICATION);
    assertThat(reread.signatures()).isEqualTo(signed.signatures());
    return reread.toTarGz();
  }
}
