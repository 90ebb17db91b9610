package dev.gatehouse.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.bundle.Bundle;
import dev.gatehouse.engine.bundle.DataPatch;
import dev.gatehouse.engine.bundle.VerificationConfig;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleTest {
  @TempDir
  Path tmp;

  @Test
  void aRevocationWakesLongPollsWithinASecond() throws Exception {
    try (Harness h = new Harness(tmp.resolve("data"))) {
      String id = h.file(Harness.BOB, Harness.prodWrite("1h"));
      h.post(Harness.ALICE, "/api/v1/requests/" + id + "/reviews", "{\"decision\":\"approve\"}");
      String grant = h.post(Harness.CAROL, "/api/v1/requests/" + id + "/reviews", "{\"decision\":\"approve\"}").json()
          .get("grant_id").asText();
      Harness.Res first = h.get(Harness.ENFORCER, "/bundles/grants");
      String etag = first.raw().headers().firstValue("ETag").orElseThrow();
      Bundle before = Bundle.readTarGz(new ByteArrayInputStream(first.raw().body()), "grants", verifying(h));

      // Nothing changes: the long poll answers 304 after the wait.
      long t0 = System.nanoTime();
      Harness.Res idle = h.send(Harness.ENFORCER, HttpRequest.newBuilder(URI.create(h.url() + "/bundles/grants"))
          .header("If-None-Match", etag).header("Prefer", "wait=1").GET());
      assertThat(idle.status()).isEqualTo(304);
      assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(900);

      CompletableFuture<Harness.Res> poll = CompletableFuture.supplyAsync(() -> h.send(Harness.ENFORCER,
          HttpRequest.newBuilder(URI.create(h.url() + "/bundles/grants")).header("If-None-Match", etag)
              .header("Prefer", "wait=30").GET()));
      Thread.sleep(300); // let the poll park
      assertThat(poll).isNotDone();
      long revokedAt = System.nanoTime();
      assertThat(h.post(Harness.BOB, "/api/v1/grants/" + grant + "/revoke", "{\"reason\":\"done early\"}").status()).isEqualTo(200);
      Harness.Res woke = poll.get();
      long ms = (System.nanoTime() - revokedAt) / 1_000_000;
      assertThat(woke.status()).isEqualTo(200);
      assertThat(ms).isLessThan(1000);
      Bundle b = Bundle.readTarGz(new ByteArrayInputStream(woke.raw().body()), "grants", verifying(h));
      assertThat(b.manifest().revision()).isNotEqualTo(etag);
      // The client held the previous revision: the answer may be a delta from it.
      var data = b.isDelta() ? DataPatch.apply(before.data(), b.patch()) : b.data();
      var entry = Jsons.fromValue(data).at("/gatehouse/grants/0");
      assertThat(entry.get("revoked").asBoolean()).isTrue();
      assertThat(entry.get("revoked_by").asText()).isEqualTo("bob");
      // the JWS was re-signed: its payload says revoked too
      var payload = Jsons.parse(com.nimbusds.jose.JWSObject.parse(entry.get("jws").asText()).getPayload().toString());
      assertThat(payload.get("revoked").asBoolean()).isTrue();
    }
  }

  static Bundle.ReadOptions verifying(Harness h) {
    return Bundle.ReadOptions.verifying(new VerificationConfig(
        Map.of(h.cp.keyId(), new VerificationConfig.Key(h.cp.publicKeyPem(), "ES256", null)), h.cp.keyId(), null, null));
  }

  private static Bundle fetch(Harness h, String ifNoneMatch) throws Exception {
    HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(h.url() + "/bundles/grants")).GET();
    if (ifNoneMatch != null) {
      rb.header("If-None-Match", ifNoneMatch);
    }
    Harness.Res r = h.send(Harness.ENFORCER, rb);
    assertThat(r.status()).isEqualTo(200);
    Bundle b = Bundle.readTarGz(new ByteArrayInputStream(r.raw().body()), "grants", verifying(h));
    assertThat(r.raw().headers().firstValue("ETag")).contains(b.manifest().revision());
    return b;
  }

  /**
   * A client at a recent revision gets an OPA delta bundle of the changed grants only, signed,
   * naming its base; applied to the base it gives exactly the new snapshot's data. A client at an
   * unknown revision gets the snapshot.
   */
  @Test
  void aClientAtARecentRevisionGetsASignedDeltaThatRebuildsTheSnapshot() throws Exception {
    try (Harness h = new Harness(tmp.resolve("data"))) {
      java.util.List<String> grants = new java.util.ArrayList<>();
      for (String d : new String[] {"1h", "2h", "3h"}) {
        String id = h.file(Harness.BOB, Harness.prodWrite(d));
        h.post(Harness.ALICE, "/api/v1/requests/" + id + "/reviews", "{\"decision\":\"approve\"}");
        var granted = h.post(Harness.CAROL, "/api/v1/requests/" + id + "/reviews", "{\"decision\":\"approve\"}").json();
        grants.add(granted.get("grant_id").asText());
      }
      Bundle base = fetch(h, null);
      assertThat(base.isDelta()).isFalse();
      assertThat(Jsons.fromValue(base.data()).at("/gatehouse/grants").size()).isEqualTo(3);

      assertThat(h.post(Harness.BOB, "/api/v1/grants/" + grants.get(1) + "/revoke", "{\"reason\":\"done\"}").status())
          .isEqualTo(200);
      Bundle delta = fetch(h, base.manifest().revision());
      Bundle snapshot = fetch(h, null);
      assertThat(delta.isDelta()).isTrue();
      assertThat(delta.isSigned()).isTrue();
      assertThat(delta.manifest().revision()).isEqualTo(snapshot.manifest().revision());
      assertThat(delta.manifest().metadata().get("base_revision").toString())
          .isEqualTo("\"" + base.manifest().revision() + "\"");
      assertThat(delta.manifest().metadata().get("epoch")).isEqualTo(snapshot.manifest().metadata().get("epoch"));
      assertThat(delta.patch()).hasSize(1);
      assertThat(delta.patch().get(0).op()).isEqualTo("replace");
      assertThat(DataPatch.apply(base.data(), delta.patch())).isEqualTo(snapshot.data());

      // Unknown or stale revisions get the snapshot.
      assertThat(fetch(h, "grants-999").isDelta()).isFalse();
      assertThat(fetch(h, "W/\"nonsense\"").isDelta()).isFalse();
    }
  }

  @Test
  void policiesBundleIsSignedAndLeavesTheGrantsRootAlone() throws Exception {
    try (Harness h = new Harness(tmp.resolve("data"))) {
      Harness.Res r = h.get(Harness.ENFORCER, "/bundles/policies");
      assertThat(r.status()).isEqualTo(200);
      Bundle b = Bundle.readTarGz(new ByteArrayInputStream(r.raw().body()), "policies", Bundle.ReadOptions.verifying(
          new VerificationConfig(Map.of(h.cp.keyId(), new VerificationConfig.Key(h.cp.publicKeyPem(), "ES256", null)),
              h.cp.keyId(), null, null)));
      assertThat(b.manifest().revision()).isEqualTo(h.cp.policies().current().orElseThrow().revision());
      assertThat(b.manifest().roots()).contains("gatehouse/jit", "gatehouse/sidecar", "gatehouse/config", "gatehouse/teams",
          "gatehouse/oncall").doesNotContain("gatehouse/grants", "gatehouse/testdata");
      assertThat(b.modules()).extracting(Bundle.ModuleFile::path).noneMatch(p -> p.endsWith("_test.rego"));
      // humans without the enforcer role get no bundles
      assertThat(h.get(Harness.BOB, "/bundles/grants").status()).isEqualTo(403);
      assertThat(h.get(null, "/bundles/grants").status()).isEqualTo(401);
    }
  }

  @Test
  void restartKeepsRequestsGrantsKeysAndTheChain() throws Exception {
    Path data = tmp.resolve("data");
    String id;
    String grant;
    String kid;
    String etag;
    try (Harness h = new Harness(data)) {
      id = h.file(Harness.BOB, Harness.prodWrite("1h"));
      h.post(Harness.ALICE, "/api/v1/requests/" + id + "/reviews", "{\"decision\":\"approve\"}");
      grant = h.post(Harness.CAROL, "/api/v1/requests/" + id + "/reviews", "{\"decision\":\"approve\"}").json()
          .get("grant_id").asText();
      kid = h.cp.keyId();
      etag = h.get(Harness.ENFORCER, "/bundles/grants").raw().headers().firstValue("ETag").orElseThrow();
    }
    try (Harness h = new Harness(data)) {
      assertThat(h.cp.keyId()).isEqualTo(kid);
      assertThat(h.get(Harness.BOB, "/api/v1/requests/" + id).json().get("state").asText()).isEqualTo("approved");
      assertThat(h.get(Harness.BOB, "/api/v1/grants/" + grant).json().get("state").asText()).isEqualTo("active");
      assertThat(h.get(Harness.ENFORCER, "/bundles/grants").raw().headers().firstValue("ETag")).hasValue(etag);
      // a second vote after the restart is still a second vote
      assertThat(h.post(Harness.ALICE, "/api/v1/requests/" + id + "/reviews", "{\"decision\":\"approve\"}").status()).isEqualTo(409);
      var verify = h.get(Harness.AUDITOR, "/api/v1/audit/verify").json();
      assertThat(verify.get("ok").asBoolean()).isTrue();
      assertThat(verify.get("checked").asLong()).isGreaterThanOrEqualTo(6);
    }
  }

  /**
   * A control plane that starts over on an empty data directory numbers its grants bundles from
   * grants-1 again; enforcers refuse an older-looking bundle as a replay. The signed manifest's
   * metadata.epoch (the store's creation time, fixed for its life) orders the new store's bundles
   * after the old one's, while a replayed old bundle still carries the old epoch.
   */
  @Test
  void grantsBundlesOfAStoreThatStartsOverOrderAfterTheOldOnesByTheirSignedEpoch() throws Exception {
    long first;
    try (Harness h = new Harness(tmp.resolve("old"))) {
      first = epoch(h);
      assertThat(first).isPositive();
    }
    try (Harness h = new Harness(tmp.resolve("old"))) {
      assertThat(epoch(h)).as("the same store keeps its epoch across restarts").isEqualTo(first);
    }
    Thread.sleep(1100);
    try (Harness h = new Harness(tmp.resolve("new"))) {
      assertThat(epoch(h)).as("a store created later has a larger epoch").isGreaterThan(first);
    }
  }

  private static long epoch(Harness h) throws Exception {
    Harness.Res r = h.get(Harness.ENFORCER, "/bundles/grants");
    assertThat(r.status()).isEqualTo(200);
    Bundle b = Bundle.readTarGz(new ByteArrayInputStream(r.raw().body()), "grants", Bundle.ReadOptions.verifying(
        new VerificationConfig(Map.of(h.cp.keyId(), new VerificationConfig.Key(h.cp.publicKeyPem(), "ES256", null)),
            h.cp.keyId(), null, null)));
    assertThat(b.manifest().metadata()).as("signed manifest metadata").isNotNull();
    return ((dev.gatehouse.engine.value.NumberValue) b.manifest().metadata()
        .get(dev.gatehouse.engine.value.StringValue.of("epoch"))).longValue();
  }
}
