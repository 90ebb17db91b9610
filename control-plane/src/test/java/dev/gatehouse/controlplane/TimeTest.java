package dev.gatehouse.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.gatehouse.engine.bundle.Bundle;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Break-glass, auto-approval, scheduled starts, expiry and the pending TTL, on a clock the test moves. */
class TimeTest {
  @TempDir
  Path tmp;

  final TestClock clock = new TestClock(Instant.parse("2026-12-07T09:00:00Z"));

  private Harness start(List<JsonNode> hooks) throws Exception {
    HttpServer sink = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    sink.createContext("/hook", ex -> {
      hooks.add(Jsons.parse(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
      ex.sendResponseHeaders(204, -1);
      ex.close();
    });
    sink.start();
    return new Harness(tmp.resolve("data"), o -> o.clock(clock).tickInterval(Duration.ofHours(1))
        .pendingTtl(Duration.ofHours(1)).webhook(URI.create("http://127.0.0.1:" + sink.getAddress().getPort() + "/hook"))) {
      @Override
      public void close() {
        super.close();
        sink.stop(0);
      }
    };
  }

  private static JsonNode grantsInBundle(Harness h) {
    Harness.Res b = h.get(Harness.ENFORCER, "/bundles/grants");
    Bundle bundle = Bundle.readTarGz(new ByteArrayInputStream(b.raw().body()), "grants", Bundle.ReadOptions.SKIP_VERIFICATION);
    return Jsons.fromValue(bundle.data()).at("/gatehouse/grants");
  }

  @Test
  void breakGlassIsGrantedAtOnceNotifiedAndListedUntilReviewed() throws Exception {
    List<JsonNode> hooks = new CopyOnWriteArrayList<>();
    try (Harness h = start(hooks)) {
      Harness.Res r = h.post(Harness.CAROL, "/api/v1/requests", "{\"target\":{\"kind\":\"pod-exec\",\"namespace\":"
          + "\"payments-prod\",\"pod\":\"payments-api-7d9f8b6c5-x2x4q\",\"container\":\"app\"},\"duration\":\"30m\","
          + "\"reason\":\"Payments API is dropping connections; heap dump\",\"break_glass\":true}");
      assertThat(r.status()).isEqualTo(201);
      assertThat(r.json().get("state").asText()).isEqualTo("approved");
      assertThat(r.json().get("needs_review").asBoolean()).isTrue();
      String grant = r.json().get("grant_id").asText();
      JsonNode g = h.get(Harness.CAROL, "/api/v1/grants/" + grant).json();
      assertThat(g.get("break_glass").asBoolean()).isTrue();
      assertThat(g.get("expires_at").asText()).isEqualTo("2026-12-07T09:30:00Z");
      assertThat(grantsInBundle(h)).hasSize(1);
      assertThat(h.get(Harness.PAT, "/api/v1/requests?needs_review=true").json().get("requests")).hasSize(1);

      long deadline = System.currentTimeMillis() + 5000;
      while (hooks.stream().noneMatch(x -> x.get("event").asText().equals("break_glass")) && System.currentTimeMillis() < deadline) {
        Thread.sleep(20);
      }
      JsonNode bg = hooks.stream().filter(x -> x.get("event").asText().equals("break_glass")).findFirst().orElseThrow();
      assertThat(bg.get("text").asText()).startsWith("BREAK-GLASS: carol");
      assertThat(bg.get("channels").toString()).contains("security-oncall");

      // a post-hoc review takes it off the list
      Harness.Res review = h.post(Harness.ALICE, "/api/v1/requests/" + r.json().get("id").asText() + "/reviews",
          "{\"decision\":\"approve\",\"comment\":\"heap dump was needed\"}");
      assertThat(review.status()).isEqualTo(201);
      assertThat(h.get(Harness.PAT, "/api/v1/requests?needs_review=true").json().get("requests")).isEmpty();
      JsonNode types = h.get(Harness.AUDITOR, "/api/v1/audit?limit=1000").json().get("events");
      assertThat(types.toString()).contains("break_glass.issued", "break_glass.reviewed");
    }
  }

  @Test
  void onCallReadIsAutoApproved() throws Exception {
    try (Harness h = start(new CopyOnWriteArrayList<>())) {
      Harness.Res r = h.post(Harness.ALICE, "/api/v1/requests", "{\"target\":{\"kind\":\"service\",\"service\":\"ledger\","
          + "\"actions\":[\"read\"]},\"duration\":\"1h\",\"reason\":\"Check ledger balances for INC-88\",\"ticket\":\"INC-88\"}");
      assertThat(r.status()).isEqualTo(201);
      assertThat(r.json().get("state").asText()).isEqualTo("approved");
      // the namespace came from the service catalogue, not from the requester
      assertThat(r.json().get("target").get("namespace").asText()).isEqualTo("payments-prod");
      assertThat(h.get(Harness.ALICE, "/api/v1/grants/" + r.json().get("grant_id").asText()).json().get("approvers")).isEmpty();
      // a namespace that disagrees with the catalogue is refused
      Harness.Res wrong = h.post(Harness.ALICE, "/api/v1/requests", "{\"target\":{\"kind\":\"service\",\"service\":\"ledger\","
          + "\"namespace\":\"payments-staging\",\"actions\":[\"read\"]},\"duration\":\"1h\",\"reason\":\"Check ledger balances\"}");
      assertThat(wrong.status()).isEqualTo(422);
      assertThat(wrong.body()).contains("catalogue");
    }
  }

  @Test
  void scheduledGrantsStartLaterAndEveryGrantExpires() throws Exception {
    List<JsonNode> hooks = new CopyOnWriteArrayList<>();
    try (Harness h = start(hooks)) {
      String body = "{\"target\":{\"kind\":\"service\",\"service\":\"payments-api\",\"namespace\":\"payments-prod\","
          + "\"actions\":[\"write\"]},\"duration\":\"2h\",\"reason\":\"Deploy window for the settlement fix\","
          + "\"ticket\":\"PAY-77\",\"start_at\":\"2026-12-07T13:00:00Z\"}";
      String id = h.file(Harness.BOB, body);
      h.post(Harness.ALICE, "/api/v1/requests/" + id + "/reviews", "{\"decision\":\"approve\"}");
      JsonNode approved = h.post(Harness.CAROL, "/api/v1/requests/" + id + "/reviews", "{\"decision\":\"approve\"}").json();
      String grant = approved.get("grant_id").asText();
      JsonNode g = h.get(Harness.BOB, "/api/v1/grants/" + grant).json();
      assertThat(g.get("state").asText()).isEqualTo("scheduled");
      assertThat(g.get("not_before").asText()).isEqualTo("2026-12-07T13:00:00Z");
      assertThat(g.get("expires_at").asText()).isEqualTo("2026-12-07T15:00:00Z");
      String rev1 = h.get(Harness.ENFORCER, "/bundles/grants").raw().headers().firstValue("ETag").orElseThrow();
      assertThat(grantsInBundle(h)).hasSize(1);

      clock.advance(Duration.ofHours(4)); // 13:00
      h.cp.service().tick(Duration.ZERO);
      assertThat(h.get(Harness.BOB, "/api/v1/grants/" + grant).json().get("state").asText()).isEqualTo("active");
      assertThat(h.get(Harness.BOB, "/api/v1/grants?active=true").json().get("grants")).hasSize(1);

      clock.advance(Duration.ofMinutes(110)); // 14:50: ten minutes left
      h.cp.service().tick(Duration.ofMinutes(10));
      long deadline = System.currentTimeMillis() + 5000;
      while (hooks.stream().noneMatch(x -> x.get("event").asText().equals("grant.expiring")) && System.currentTimeMillis() < deadline) {
        Thread.sleep(20);
      }
      assertThat(hooks.stream().filter(x -> x.get("event").asText().equals("grant.expiring")).findFirst().orElseThrow()
          .get("text").asText()).contains(grant, "gatehouse grant extend");
      clock.advance(Duration.ofMinutes(10)); // 15:00: expires_at reached
      h.cp.service().tick(Duration.ZERO);
      assertThat(h.get(Harness.BOB, "/api/v1/grants/" + grant).json().get("state").asText()).isEqualTo("expired");
      Harness.Res after = h.get(Harness.ENFORCER, "/bundles/grants");
      assertThat(after.raw().headers().firstValue("ETag").orElseThrow()).isNotEqualTo(rev1);
      assertThat(grantsInBundle(h)).isEmpty();
      String audit = h.get(Harness.AUDITOR, "/api/v1/audit?limit=1000").body();
      assertThat(audit).contains("grant.activated", "grant.expired");
    }
  }

  @Test
  void pendingRequestsExpireAfterTheTtl() throws Exception {
    try (Harness h = start(new CopyOnWriteArrayList<>())) {
      String id = h.file(Harness.BOB, Harness.prodWrite("1h"));
      clock.advance(Duration.ofMinutes(59));
      h.cp.service().tick(Duration.ZERO);
      assertThat(h.get(Harness.BOB, "/api/v1/requests/" + id).json().get("state").asText()).isEqualTo("pending");
      clock.advance(Duration.ofMinutes(1));
      h.cp.service().tick(Duration.ZERO);
      assertThat(h.get(Harness.BOB, "/api/v1/requests/" + id).json().get("state").asText()).isEqualTo("expired");
      Harness.Res late = h.post(Harness.ALICE, "/api/v1/requests/" + id + "/reviews", "{\"decision\":\"approve\"}");
      assertThat(late.status()).isEqualTo(409);
      assertThat(late.json().get("error").asText()).isEqualTo("request_closed");
    }
  }

  @Test
  void extendingAGrantIsANewRequestDecidedByPolicyStartingWhenTheGrantEnds() throws Exception {
    try (Harness h = start(new CopyOnWriteArrayList<>())) {
      String id = h.file(Harness.BOB, Harness.prodWrite("1h"));
      h.post(Harness.ALICE, "/api/v1/requests/" + id + "/reviews", "{\"decision\":\"approve\"}");
      String grant = h.post(Harness.CAROL, "/api/v1/requests/" + id + "/reviews", "{\"decision\":\"approve\"}").json()
          .get("grant_id").asText();
      Harness.Res ext = h.post(Harness.BOB, "/api/v1/grants/" + grant + "/extend",
          "{\"duration\":\"1h\",\"reason\":\"The replay needs another hour\",\"ticket\":\"PAY-1234\"}");
      assertThat(ext.status()).isEqualTo(201);
      assertThat(ext.json().get("extends").asText()).isEqualTo(grant);
      assertThat(ext.json().get("state").asText()).isEqualTo("pending");
      assertThat(ext.json().get("start_at").asText()).isEqualTo("2026-12-07T10:00:00Z");
      // only the grant's subject may extend it
      assertThat(h.post(Harness.CAROL, "/api/v1/grants/" + grant + "/extend", "{\"duration\":\"1h\",\"reason\":\"longer please\"}")
          .status()).isEqualTo(403);
    }
  }
}
