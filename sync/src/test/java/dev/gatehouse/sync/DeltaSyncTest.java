package dev.gatehouse.sync;

import static dev.gatehouse.sync.BundleSyncTest.NOW;
import static dev.gatehouse.sync.BundleSyncTest.TOKEN;
import static dev.gatehouse.sync.BundleSyncTest.await;
import static dev.gatehouse.sync.BundleSyncTest.grant;
import static dev.gatehouse.sync.SyncFixture.allowed;
import static dev.gatehouse.sync.SyncFixture.decide;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.engine.bundle.Bundle;
import dev.gatehouse.engine.bundle.DataPatch;
import dev.gatehouse.sync.config.SyncConfig;
import dev.gatehouse.sync.fixture.BundleServer;
import dev.gatehouse.sync.fixture.Grants;
import dev.gatehouse.sync.fixture.Policies;
import dev.gatehouse.sync.fixture.SigningKey;
import dev.gatehouse.sync.grants.GrantVerifier;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delta grants bundles: a revocation arrives as a signed {@code patch.json} with the changed
 * grants only. The security properties a snapshot has must hold for a delta too: it applies only
 * to the exact revision it was made from, it must be signed by the control plane, each grant in it
 * must carry the control plane's JWS, and an older one cannot be replayed.
 */
class DeltaSyncTest {
  static SigningKey key;
  static SigningKey attacker;
  static Bundle policies;

  BundleServer server;
  BundleSync sync;
  final List<String> failures = new CopyOnWriteArrayList<>();
  final List<GrantVerifier.Rejected> rejected = new CopyOnWriteArrayList<>();
  final List<String> replays = new CopyOnWriteArrayList<>();
  final SyncEvents events = new SyncEvents() {
    @Override
    public void bundleFailed(String bundle, String stage, String error) {
      failures.add(bundle + " " + stage + ": " + error);
    }

    @Override
    public void grantsRejected(String bundle, String revision, List<GrantVerifier.Rejected> r) {
      rejected.addAll(r);
    }

    @Override
    public void replayRefused(String bundle, String offered, String newest, String error) {
      replays.add(bundle + " " + offered + " < " + newest);
    }
  };

  // g-1 bob write, g-2 carol read, g-3 dave write (sorted by id: indexes 0, 1, 2)
  static ObjectNode g1 = grant("g-1", "bob", List.of("write"));
  static ObjectNode g2 = grant("g-2", "carol", List.of("read"));
  static ObjectNode g3 = grant("g-3", "dave", List.of("write"));

  @BeforeAll
  static void keys() {
    key = new SigningKey("cp-2026-12");
    attacker = new SigningKey("cp-2026-12"); // same kid, other key
    policies = Policies.bundle("policies-rev-1", key);
  }

  @BeforeEach
  void start() throws Exception {
    server = new BundleServer(TOKEN);
    server.publish("policies", policies);
    server.publish("grants", snapshot(1, g1, g2, g3));
  }

  @AfterEach
  void stop() {
    if (sync != null) {
      sync.close();
    }
    server.close();
  }

  static Bundle snapshot(long seq, ObjectNode... grants) {
    return Grants.bundle(seq, java.util.Arrays.stream(grants).map(g -> Grants.entry(g, key)).toList(), key);
  }

  static DataPatch.Op replace(int index, ObjectNode grant, SigningKey signer) {
    return DataPatch.Op.replace("/gatehouse/grants/" + index, Grants.value(Grants.entry(grant, signer)));
  }

  static DataPatch.Op upsert(int index, ObjectNode grant, SigningKey signer) {
    return DataPatch.Op.upsert("/gatehouse/grants/" + index, Grants.value(Grants.entry(grant, signer)));
  }

  static ObjectNode revoked(ObjectNode g) {
    return Grants.revoked(g, NOW, "alice");
  }

  private void startSync(Path dir) throws InterruptedException {
    SyncConfig config = SyncFixture.config(server, TOKEN, key, dir);
    sync = new BundleSync(config, Clock.systemUTC(), events);
    sync.start();
    assertThat(sync.awaitFirstActivation(10_000)).isTrue();
    assertThat(revision()).isEqualTo("grants-1");
  }

  private String revision() {
    return sync.status().stream().filter(s -> s.name().equals("grants")).findFirst().orElseThrow().revision();
  }

  private String lastError() {
    return sync.status().stream().filter(s -> s.name().equals("grants")).findFirst().orElseThrow().lastError();
  }

  private boolean bob() {
    return allowed(decide(sync, "bob", "POST", "/v1/refunds", NOW));
  }

  private boolean dave() {
    return allowed(decide(sync, "dave", "POST", "/v1/refunds", NOW));
  }

  private boolean eve() {
    return allowed(decide(sync, "eve", "POST", "/v1/refunds", NOW));
  }

  @Test
  void aRevocationArrivesAsADeltaAndIsAppliedToTheActiveGrants(@TempDir Path dir) throws Exception {
    startSync(dir);
    assertThat(bob()).isTrue();
    int snapshots = server.requests.get();
    // The server's snapshot moves on too (a client without a usable base would get it), but this
    // client holds grants-1, so it is answered with the delta of the one changed grant.
    server.publish("grants", snapshot(2, revoked(g1), g2, g3), "grants-1", Grants.delta(2, 1, List.of(replace(0, revoked(g1), key)), key));
    await(() -> "grants-2".equals(revision()), 5000);
    assertThat(server.deltasServed.get()).isGreaterThanOrEqualTo(1);
    assertThat(sync.metrics().deltas("grants", "applied")).isEqualTo(1);
    assertThat(bob()).isFalse();
    assertThat(dave()).isTrue();

    // A second delta on top of the first: dave's grant (index 2) revoked, a new one inserted.
    ObjectNode g0 = grant("g-0", "eve", List.of("write"));
    server.publish("grants", snapshot(3, g0, revoked(g1), g2, revoked(g3)), "grants-2", Grants.delta(3, 2, List.of(
        replace(2, revoked(g3), key), upsert(0, g0, key)), key));
    await(() -> "grants-3".equals(revision()), 5000);
    assertThat(dave()).isFalse();
    assertThat(eve()).isTrue();
    assertThat(bob()).isFalse();
    assertThat(sync.metrics().deltas("grants", "applied")).isEqualTo(2);
    assertThat(failures).isEmpty();
    assertThat(server.requests.get() - snapshots).as("requests").isLessThan(10);

    // A restart with the control plane down: the persisted snapshot and its deltas rebuild grants-3.
    sync.close();
    server.failWith(500);
    sync = new BundleSync(SyncFixture.config(server, TOKEN, key, dir), Clock.systemUTC(), events);
    sync.start();
    assertThat(sync.awaitFirstActivation(10_000)).isTrue();
    assertThat(revision()).isEqualTo("grants-3");
    assertThat(dave()).isFalse();
    assertThat(eve()).isTrue();
  }

  /**
   * A persisted delta that no longer verifies breaks the chain at the state before it; that state
   * is older than the persisted revision floor, so it is refused rather than served (it would
   * bring back the grant the broken delta revoked), and the process waits for the server.
   */
  @Test
  void aTamperedPersistedDeltaIsNotReplayedAndTheOlderStateIsNotServed(@TempDir Path dir) throws Exception {
    startSync(dir);
    server.publish("grants", snapshot(2, revoked(g1), g2, g3), "grants-1",
        Grants.delta(2, 1, List.of(replace(0, revoked(g1), key)), key));
    await(() -> "grants-2".equals(revision()), 5000);
    sync.close();
    Path deltaFile = dir.resolve("bundles/grants/deltas/000001.tar.gz");
    assertThat(deltaFile).exists();
    byte[] bytes = java.nio.file.Files.readAllBytes(deltaFile);
    bytes[bytes.length / 2] ^= 0x55;
    java.nio.file.Files.write(deltaFile, bytes);

    server.failWith(500);
    sync = new BundleSync(SyncFixture.config(server, TOKEN, key, dir), Clock.systemUTC(), events);
    sync.start();
    assertThat(sync.awaitFirstActivation(3000)).as("bob's revoked grant must not come back").isFalse();
    assertThat(replays).contains("grants grants-1 < grants-2");
    // The server back: its snapshot activates.
    server.failWith(0);
    assertThat(sync.awaitFirstActivation(10_000)).isTrue();
    assertThat(revision()).isEqualTo("grants-2");
    assertThat(bob()).isFalse();
  }

  @Test
  void aDeltaForAnotherBaseRevisionIsNotAppliedAndTheSnapshotIsFetchedInstead() throws Exception {
    startSync(null);
    // Made from grants-5: its index 1 is not carol's g-2 here. Applying it would hand eve a grant
    // in place of carol's and leave bob's revocation out.
    server.publish("grants", snapshot(7, revoked(g1), g2, g3), "grants-1", Grants.delta(6, 5, List.of(
        replace(1, grant("g-9", "eve", List.of("write")), key)), key));
    await(() -> "grants-7".equals(revision()), 5000);
    assertThat(sync.metrics().deltas("grants", "refused")).isGreaterThanOrEqualTo(1);
    assertThat(failures).anyMatch(f -> f.contains("delta") && f.contains("grants-5") && f.contains("grants-1"));
    assertThat(eve()).isFalse();
    assertThat(bob()).isFalse();
    assertThat(dave()).isTrue();
  }

  @Test
  void unsignedAndWronglySignedDeltasAreRefusedAndTheLastGoodGrantsKeepServing() throws Exception {
    startSync(null);
    // An attacker revokes nobody and adds eve: unsigned first, then signed with another key.
    List<DataPatch.Op> evil = List.of(upsert(3, grant("g-9", "eve", List.of("write")), key));
    server.publishDelta("grants", "grants-1", Grants.unsignedDelta(2, 1, evil).toTarGz(), "grants-2");
    await(() -> failures.stream().anyMatch(f -> f.contains("missing .signatures.json")), 5000);
    assertThat(revision()).isEqualTo("grants-1");
    assertThat(eve()).isFalse();
    assertThat(bob()).isTrue();

    failures.clear();
    server.publishDelta("grants", "grants-1", Grants.delta(2, 1, evil, attacker).toTarGz(), "grants-2");
    await(() -> failures.stream().anyMatch(f -> f.contains("verify")), 5000);
    assertThat(revision()).isEqualTo("grants-1");
    assertThat(eve()).isFalse();
    assertThat(bob()).isTrue();
    assertThat(sync.metrics().downloads("grants", "invalid")).isGreaterThanOrEqualTo(2);
  }

  @Test
  void aForgedGrantInsideASignedDeltaIsDroppedAndLaterDeltasStayAligned() throws Exception {
    startSync(null);
    // A validly signed delta whose inserted grant carries a JWS the control plane did not make.
    ObjectNode forged = grant("g-15", "eve", List.of("write"));
    server.publish("grants", Grants.bundle(2, List.of(Grants.entry(revoked(g1), key), Grants.entry(forged, attacker),
        Grants.entry(g2, key), Grants.entry(g3, key)), key), "grants-1", Grants.delta(2, 1, List.of(
        replace(0, revoked(g1), key), upsert(1, forged, attacker)), key));
    await(() -> "grants-2".equals(revision()), 5000);
    assertThat(rejected).extracting(GrantVerifier.Rejected::id).containsExactly("g-15");
    assertThat(lastError()).contains("1 grant(s) dropped");
    assertThat(eve()).isFalse();
    assertThat(bob()).isFalse();
    assertThat(dave()).isTrue();
    // The server's list is g-1, g-15, g-2, g-3: dave's g-3 is index 3 there. The dropped entry
    // keeps its place on the client, so the next delta revokes dave, not someone else.
    server.publish("grants", Grants.bundle(3, List.of(Grants.entry(revoked(g1), key), Grants.entry(forged, attacker),
        Grants.entry(g2, key), Grants.entry(revoked(g3), key)), key), "grants-2",
        Grants.delta(3, 2, List.of(replace(3, revoked(g3), key)), key));
    await(() -> "grants-3".equals(revision()), 5000);
    assertThat(sync.metrics().deltas("grants", "applied")).isEqualTo(2);
    assertThat(dave()).isFalse();
    assertThat(allowed(decide(sync, "carol", "GET", "/v1/refunds", NOW))).isTrue();
  }

  @Test
  void aDeltaThatEditsAFieldInsideASignedGrantIsRefused() throws Exception {
    startSync(null);
    server.publishDelta("grants", "grants-1", Grants.delta(2, 1, List.of(DataPatch.Op.replace(
        "/gatehouse/grants/1/subject", dev.gatehouse.engine.value.StringValue.of("eve"))), key));
    await(() -> sync.metrics().deltas("grants", "refused") >= 1, 5000);
    assertThat(failures).anyMatch(f -> f.contains("inside a signed grant"));
    assertThat(eve()).isFalse();
  }

  @Test
  void anOlderDeltaReplayedIsRefused() throws Exception {
    startSync(null);
    Bundle delta12 = Grants.delta(2, 1, List.of(replace(0, revoked(g1), key)), key);
    server.publish("grants", snapshot(2, revoked(g1), g2, g3), "grants-1", delta12);
    await(() -> "grants-2".equals(revision()), 5000);
    // grants-3 revokes dave...
    server.publish("grants", snapshot(3, revoked(g1), g2, revoked(g3)), "grants-2", Grants.delta(3, 2, List.of(replace(2, revoked(g3), key)), key));
    await(() -> "grants-3".equals(revision()), 5000);
    assertThat(dave()).isFalse();
    assertThat(replays).isEmpty();
    // ...then an attacker answers grants-3 with the validly signed, older delta grants-1 → grants-2.
    server.publishDelta("grants", "grants-3", delta12);
    await(() -> !replays.isEmpty(), 5000);
    assertThat(replays).first().isEqualTo("grants grants-2 < grants-3");
    assertThat(revision()).isEqualTo("grants-3");
    assertThat(dave()).isFalse();
    assertThat(bob()).isFalse();
    assertThat(sync.metrics().replaysRefused("grants")).isGreaterThanOrEqualTo(1);
  }
}
