package dev.gatehouse.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Malformed calls get a clear 4xx JSON answer and change nothing. */
class BadInputTest {
  @TempDir
  Path tmp;

  private static void refused(Harness.Res r, int status, String error) {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    assertThat(r.json()).as(r.body()).isNotNull();
    assertThat(r.json().get("error").asText()).isEqualTo(error);
    assertThat(r.json().get("message").asText()).isNotBlank();
  }

  @Test
  void malformedBodiesAreRefusedWithoutChangingAnything() throws Exception {
    try (Harness h = new Harness(tmp.resolve("data"))) {
      refused(h.post(Harness.BOB, "/api/v1/requests", "{\"target\":"), 400, "malformed_json");
      refused(h.post(Harness.BOB, "/api/v1/requests", "[1,2]"), 400, "bad_body");
      refused(h.post(Harness.BOB, "/api/v1/requests", ""), 400, "bad_body");
      refused(h.post(Harness.BOB, "/api/v1/requests", "{\"duration\":\"1h\",\"requester\":\"alice\"}"), 400, "unknown_field");
      refused(h.post(Harness.BOB, "/api/v1/requests", "{\"target\":{\"kind\":\"service\",\"service\":\"payments-api\","
          + "\"actions\":[\"read\"],\"owner\":\"me\"},\"duration\":\"1h\"}"), 400, "unknown_field");
      refused(h.post(Harness.BOB, "/api/v1/requests", "{\"target\":{\"kind\":\"service\"},\"duration\":60}"), 400, "wrong_type");
      refused(h.post(Harness.BOB, "/api/v1/requests", "{\"target\":{\"kind\":\"service\"},\"duration\":\"1h\",\"break_glass\":\"yes\"}"),
          400, "wrong_type");
      refused(h.post(Harness.BOB, "/api/v1/requests", "{\"target\":{\"kind\":\"service\",\"actions\":\"read\"},\"duration\":\"1h\"}"),
          400, "wrong_type");
      refused(h.post(Harness.BOB, "/api/v1/requests", Harness.prodWrite("-1h")), 400, "invalid_duration");
      refused(h.post(Harness.BOB, "/api/v1/requests", Harness.prodWrite("0s")), 400, "invalid_duration");
      refused(h.post(Harness.BOB, "/api/v1/requests", Harness.prodWrite("forever")), 400, "invalid_duration");
      refused(h.post(Harness.BOB, "/api/v1/requests", Harness.prodWrite("9999999999999999h")), 400, "invalid_duration");
      Harness.Res tooLong = h.post(Harness.BOB, "/api/v1/requests", Harness.prodWrite("99999h"));
      refused(tooLong, 422, "invalid_request");
      assertThat(tooLong.json().get("violations").get(0).get("rule").asText()).isEqualTo("duration");
      refused(h.post(Harness.BOB, "/api/v1/requests", Harness.prodWrite("1h").replace("\"ticket\":\"PAY-1234\"",
          "\"start_at\":\"tomorrow\"")), 400, "invalid_time");
      refused(h.post(Harness.BOB, "/api/v1/requests", "{\"pad\":\"" + "x".repeat(70_000) + "\"}"), 413, "body_too_large");
      refused(h.get(Harness.BOB, "/api/v1/requests/req-nope"), 404, "not_found");
      refused(h.post(Harness.ALICE, "/api/v1/requests/req-nope/reviews", "{\"decision\":\"approve\"}"), 404, "not_found");
      refused(h.post(Harness.BOB, "/api/v1/grants/gr-nope/revoke", "{}"), 404, "not_found");
      refused(h.get(Harness.BOB, "/api/v1/requests?sort=asc"), 400, "unknown_parameter");
      refused(h.get(Harness.BOB, "/api/v1/requests?state=open"), 400, "bad_parameter");
      refused(h.get(Harness.BOB, "/api/v1/requests?limit=-3"), 400, "bad_parameter");
      refused(h.get(Harness.AUDITOR, "/api/v1/audit?from=x"), 400, "bad_parameter");
      refused(h.get(Harness.BOB, "/api/v1/nothing"), 404, "not_found");
      refused(h.send(Harness.BOB, HttpRequest.newBuilder(URI.create(h.url() + "/api/v1/requests"))
          .method("DELETE", HttpRequest.BodyPublishers.noBody())), 405, "method_not_allowed");

      String id = h.file(Harness.BOB, Harness.prodWrite("1h"));
      refused(h.post(Harness.ALICE, "/api/v1/requests/" + id + "/reviews", "{\"decision\":\"maybe\"}"), 400, "bad_decision");
      refused(h.post(Harness.ALICE, "/api/v1/requests/" + id + "/reviews", "{\"decision\":\"approve\",\"reviewer\":\"pat\"}"),
          400, "unknown_field");
      refused(h.post(Harness.ALICE, "/api/v1/requests/" + id + "/cancel", "{}"), 403, "not_requester");
      assertThat(h.post(Harness.BOB, "/api/v1/requests/" + id + "/cancel", "{}").json().get("state").asText()).isEqualTo("cancelled");
      refused(h.post(Harness.BOB, "/api/v1/requests/" + id + "/cancel", "{}"), 409, "request_closed");
      refused(h.post(Harness.ALICE, "/api/v1/requests/" + id + "/reviews", "{\"decision\":\"approve\"}"), 409, "request_closed");

      // nothing but the one valid request was stored; no review was recorded
      assertThat(h.get(Harness.PAT, "/api/v1/requests").json().get("requests")).hasSize(1);
      assertThat(h.get(Harness.PAT, "/api/v1/requests/" + id).json().get("reviews")).isEmpty();
      // and the server is still fine
      assertThat(h.get(null, "/health").status()).isEqualTo(200);
    }
  }

  @Test
  void rolesGateTheAuditLogAndIdentityNeverComesFromTheBody() throws Exception {
    try (Harness h = new Harness(tmp.resolve("data"))) {
      refused(h.get(Harness.BOB, "/api/v1/audit"), 403, "forbidden");
      refused(h.get(null, "/api/v1/requests"), 401, "unauthenticated");
      refused(h.get("not-a-token-at-all", "/api/v1/requests"), 401, "unauthenticated");
      Harness.Res r = h.post(Harness.BOB, "/api/v1/requests", Harness.prodWrite("1h"));
      assertThat(r.json().get("requester").asText()).isEqualTo("bob");
      String audit = h.get(Harness.AUDITOR, "/api/v1/audit?limit=1000").body();
      assertThat(audit).contains("auth.failed", "access.refused");
    }
  }
}
