package dev.gatehouse.controlplane.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.controlplane.ControlPlane;
import dev.gatehouse.controlplane.Jsons;
import dev.gatehouse.controlplane.store.AuditEvent;
import dev.gatehouse.controlplane.store.GrantRecord;
import dev.gatehouse.controlplane.store.RequestRecord;
import dev.gatehouse.controlplane.store.RequestState;
import dev.gatehouse.controlplane.store.Store;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The web UI over HTTP: headers, sessions, CSRF, the pages and what they do, against a real control plane. */
class WebUiTest {
  static final Path POLICIES = Path.of("../policies").toAbsolutePath().normalize();
  static final Path FIXTURE = Path.of("src/test/resources/fixture").toAbsolutePath();
  static final String ALICE = "tok-alice-0123456789";
  static final String BOB = "tok-bob-0123456789ab";
  static final String CAROL = "tok-carol-0123456789";
  static final String PAT = "tok-pat-0123456789ab";
  static final String ZOE = "tok-zoe-01234567890a";

  static Vertx vertx;
  @TempDir
  Path dir;
  ControlPlane cp;

  @BeforeAll
  static void vertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void closeVertx() {
    vertx.close();
  }

  static ControlPlane.Options options(Path dataDir) {
    return new ControlPlane.Options(dataDir, POLICIES).orgFile(FIXTURE.resolve("org.json"))
        .tokensFile(FIXTURE.resolve("web-tokens.json")).listen("127.0.0.1", 0).headInterval(Duration.ofMillis(500));
  }

  @BeforeEach
  void start() throws Exception {
    cp = ControlPlane.start(options(dir));
  }

  @AfterEach
  void stop() {
    cp.close();
  }

  UiClient browser() {
    return new UiClient(vertx, cp.url());
  }

  static MultiMap form(String... kv) {
    MultiMap m = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < kv.length; i += 2) {
      m.add(kv[i], kv[i + 1]);
    }
    return m;
  }

  static MultiMap prodWrite(String csrf, String op) {
    return form("csrf", csrf, "op", op, "kind", "service", "service", "payments-api", "namespace", "payments-prod",
        "actions", "read", "actions", "write", "duration", "1h", "reason", "Replay the failed settlement batch",
        "ticket", "PAY-1234");
  }

  List<AuditEvent> audit(String type) {
    return cp.store().audit(1, 10_000).stream().filter(e -> e.type().equals(type)).toList();
  }

  @Test
  void everyPageCarriesTheSecurityHeadersAndTheRootRedirects() {
    UiClient b = browser();
    HttpResponse<Buffer> root = b.get("/");
    assertThat(root.statusCode()).isEqualTo(303);
    assertThat(root.getHeader("location")).isEqualTo("/ui/");
    for (String p : List.of("/ui/", "/ui")) {
      assertThat(b.get(p).statusCode()).isEqualTo(303);
      assertThat(b.get(p).getHeader("location")).as(p).isEqualTo("/ui/request");
    }
    for (String path : List.of("/ui/signin", "/ui/nowhere", "/ui/static/app.js")) {
      HttpResponse<Buffer> r = b.get(path);
      assertThat(r.getHeader("content-security-policy")).as(path)
          .isEqualTo("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; frame-ancestors 'none'; "
              + "base-uri 'none'; form-action 'self'");
      assertThat(r.getHeader("x-content-type-options")).isEqualTo("nosniff");
      assertThat(r.getHeader("referrer-policy")).isEqualTo("same-origin");
    }
    assertThat(b.get("/ui/nowhere").statusCode()).isEqualTo(404);
    String page = b.get("/ui/signin").bodyAsString();
    // no inline script or style anywhere: the CSP would block it
    assertThat(page).doesNotContain("<script>").doesNotContain("style=").doesNotContain("onclick");
    assertThat(page).contains("<script src=\"/ui/static/app.js\" defer></script>");
    // the REST API is untouched: JSON errors there as before
    assertThat(b.get("/api/v1/whoami").statusCode()).isEqualTo(401);
    assertThat(b.get("/api/v1/nothing").getHeader("content-type")).startsWith("application/json");
  }

  @Test
  void pagesNeedASessionAndTheCookieIsHttpOnlySecureStrict() {
    UiClient b = browser();
    HttpResponse<Buffer> r = b.get("/ui/mine");
    assertThat(r.statusCode()).isEqualTo(303);
    assertThat(r.getHeader("location")).startsWith("/ui/signin?next=");
    HttpResponse<Buffer> form = b.get("/ui/signin");
    String anon = form.cookies().get(0);
    assertThat(anon).containsIgnoringCase("HttpOnly").contains("Secure").contains("SameSite=Strict").contains("Path=/");
    String anonId = b.cookies.get(WebUi.COOKIE);
    HttpResponse<Buffer> in = b.post("/ui/signin", form("csrf", UiClient.csrf(form), "token", ALICE, "next", "/ui/mine"));
    assertThat(in.statusCode()).isEqualTo(303);
    assertThat(in.getHeader("location")).isEqualTo("/ui/mine");
    String set = in.cookies().get(0);
    assertThat(set).containsIgnoringCase("HttpOnly").contains("Secure").contains("SameSite=Strict");
    // a new id at sign-in: an id planted before it is worthless after
    assertThat(b.cookies.get(WebUi.COOKIE)).isNotEqualTo(anonId).hasSizeGreaterThanOrEqualTo(43);
    HttpResponse<Buffer> mine = b.get("/ui/mine");
    assertThat(mine.statusCode()).isEqualTo(200);
    assertThat(mine.bodyAsString()).contains("Signed in as <strong id=\"whoami\">alice</strong>");
    // the old anonymous id does not open the page
    UiClient thief = browser();
    thief.cookies.put(WebUi.COOKIE, anonId);
    assertThat(thief.get("/ui/mine").statusCode()).isEqualTo(303);

    // sign out ends the session on the server
    String sid = b.cookies.get(WebUi.COOKIE);
    HttpResponse<Buffer> out = b.post("/ui/signout", form("csrf", UiClient.csrf(mine)));
    assertThat(out.statusCode()).isEqualTo(303);
    UiClient replay = browser();
    replay.cookies.put(WebUi.COOKIE, sid);
    assertThat(replay.get("/ui/mine").statusCode()).isEqualTo(303);
  }

  @Test
  void aRefusedTokenIsA401PageAndAudited() {
    UiClient b = browser();
    HttpResponse<Buffer> form = b.get("/ui/signin");
    HttpResponse<Buffer> r = b.post("/ui/signin", form("csrf", UiClient.csrf(form), "token", "not-a-token"));
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.bodyAsString()).contains("That token was refused.");
    assertThat(audit("auth.failed")).anySatisfy(e -> assertThat(e.data()).contains("web sign-in"));
  }

  @Test
  void formsWithoutTheSessionsCsrfTokenOrFromAnotherSiteAreRefusedAndAudited() {
    UiClient alice = browser();
    String csrf = alice.signIn(ALICE);
    int before = audit("access.refused").size();
    // no token
    MultiMap noToken = prodWrite(csrf, "submit");
    noToken.remove("csrf");
    HttpResponse<Buffer> r1 = alice.post("/ui/request", noToken);
    assertThat(r1.statusCode()).isEqualTo(403);
    assertThat(r1.bodyAsString()).contains("the form has no CSRF token").contains("Nothing was changed");
    // another session's token
    String other = browser().signIn(BOB);
    HttpResponse<Buffer> r2 = alice.post("/ui/request", prodWrite(other, "submit"));
    assertThat(r2.statusCode()).isEqualTo(403);
    assertThat(r2.bodyAsString()).contains("not this session");
    // the right token from another origin (a page elsewhere posting with the cookie)
    HttpResponse<Buffer> r3 = alice.post("/ui/request", prodWrite(csrf, "submit"),
        Map.of("origin", "https://evil.example", "sec-fetch-site", "cross-site"));
    assertThat(r3.statusCode()).isEqualTo(403);
    HttpResponse<Buffer> r4 = alice.post("/ui/request", prodWrite(csrf, "submit"), Map.of("origin", "https://evil.example"));
    assertThat(r4.statusCode()).isEqualTo(403);
    assertThat(r4.bodyAsString()).contains("Origin https://evil.example is not this site");
    // no cookie at all (what SameSite=Strict leaves a cross-site post with)
    UiClient stranger = browser();
    assertThat(stranger.post("/ui/request", prodWrite(csrf, "submit")).statusCode()).isEqualTo(403);

    assertThat(cp.store().requests(new Store.RequestQuery(null, null, false, 100))).isEmpty();
    List<AuditEvent> refused = audit("access.refused");
    assertThat(refused.size() - before).isEqualTo(5);
    assertThat(refused.get(refused.size() - 1).data()).contains("csrf");
    assertThat(refused).anySatisfy(e -> assertThat(e.actor()).isEqualTo("alice"));

    // and the same form, properly sent, files the request
    HttpResponse<Buffer> ok = alice.post("/ui/request", prodWrite(csrf, "submit"));
    assertThat(ok.statusCode()).isEqualTo(303);
    assertThat(cp.store().requests(new Store.RequestQuery("alice", null, false, 10))).hasSize(1);
  }

  @Test
  void checkShowsWhatThePolicyWillRequireWithoutFilingAnything() {
    UiClient alice = browser();
    String csrf = alice.signIn(ALICE);
    HttpResponse<Buffer> r = alice.post("/ui/request", prodWrite(csrf, "check"));
    assertThat(r.statusCode()).isEqualTo(200);
    String page = r.bodyAsString();
    assertThat(page).contains("The policy would accept this request");
    assertThat(page).contains("<dd id=\"approvals-needed\">2</dd>").contains("<dd id=\"max-duration\">4h</dd>")
        .contains("<dd id=\"ticket-needed\">yes</dd>");
    assertThat(page).contains("value=\"PAY-1234\""); // the form keeps what was typed
    assertThat(cp.store().requests(new Store.RequestQuery(null, null, false, 100))).isEmpty();

    // violations: too long, no ticket, in production
    MultiMap bad = prodWrite(csrf, "check");
    bad.set("duration", "9h");
    bad.remove("ticket");
    String refused = alice.post("/ui/request", bad).bodyAsString();
    assertThat(refused).contains("The policy would refuse this request").contains("class=\"violations\"");
    assertThat(refused).contains("<dd id=\"ticket-needed\">yes</dd>");
    // submitting it is refused with the same reasons, nothing filed
    bad.set("op", "submit");
    HttpResponse<Buffer> sub = alice.post("/ui/request", bad);
    assertThat(sub.statusCode()).isEqualTo(422);
    assertThat(sub.bodyAsString()).contains("id=\"request-error\"");
    assertThat(cp.store().requests(new Store.RequestQuery("alice", RequestState.PENDING, false, 10))).isEmpty();
  }

  @Test
  void noApproveButtonOnOnesOwnRequestAndTheServerRefusesAForgedOne() {
    UiClient alice = browser();
    String csrf = alice.signIn(ALICE);
    assertThat(alice.post("/ui/request", prodWrite(csrf, "submit")).statusCode()).isEqualTo(303);
    String id = cp.store().requests(new Store.RequestQuery("alice", null, false, 1)).get(0).id();
    String inbox = alice.get("/ui/review").bodyAsString();
    assertThat(inbox).contains("id=\"review-" + id + "\"").contains("Your own request");
    assertThat(inbox).doesNotContain("value=\"approve\"");
    assertThat(alice.get("/ui/mine").bodyAsString()).contains(id).doesNotContain("value=\"approve\"");

    UiClient bob = browser();
    bob.signIn(BOB);
    String bobInbox = bob.get("/ui/review").bodyAsString();
    assertThat(bobInbox).contains("action=\"/ui/requests/" + id + "/review\"").contains("value=\"approve\"");

    // alice posts the approval anyway (a hand-made form with her valid token): the service refuses
    HttpResponse<Buffer> forged = alice.post("/ui/requests/" + id + "/review", form("csrf", csrf, "decision", "approve"));
    assertThat(forged.statusCode()).isEqualTo(303);
    assertThat(alice.get("/ui/review").bodyAsString()).contains("was refused").contains("cannot review their own request");
    assertThat(cp.store().reviews(id)).isEmpty();
    assertThat(audit("review.refused")).anySatisfy(e -> assertThat(e.actor()).isEqualTo("alice"));
  }

  @Test
  void twoApprovalsGrantThenAnAdminRevokesAndTheAuditPageShowsTheChain() {
    UiClient alice = browser();
    String csrf = alice.signIn(ALICE);
    alice.post("/ui/request", prodWrite(csrf, "submit"));
    RequestRecord req = cp.store().requests(new Store.RequestQuery("alice", null, false, 1)).get(0);
    for (String token : List.of(BOB, CAROL)) {
      UiClient r = browser();
      String c = r.signIn(token);
      HttpResponse<Buffer> vote = r.post("/ui/requests/" + req.id() + "/review", form("csrf", c, "decision", "approve",
          "comment", "ok <b>go</b>"));
      assertThat(vote.statusCode()).isEqualTo(303);
      assertThat(r.get("/ui/review").bodyAsString()).contains("You approved " + req.id());
    }
    RequestRecord done = cp.store().request(req.id()).orElseThrow();
    assertThat(done.state()).isEqualTo(RequestState.APPROVED);
    String mine = alice.get("/ui/mine").bodyAsString();
    assertThat(mine).contains("2 of 2 approvals").contains(done.grantId() + " · active");
    // comments are data, escaped
    assertThat(mine).contains("ok &lt;b&gt;go&lt;/b&gt;").doesNotContain("<b>go</b>");
    String access = alice.get("/ui/access").bodyAsString();
    assertThat(access).contains("id=\"" + done.grantId() + "\"").contains("Ask to extend").contains("left");

    // zoe is nobody here: her revoke is refused by the service, the grant stays
    UiClient zoe = browser();
    String zc = zoe.signIn(ZOE);
    zoe.post("/ui/grants/" + done.grantId() + "/revoke", form("csrf", zc, "reason", "no"));
    assertThat(zoe.get("/ui/access").bodyAsString()).contains("was refused");
    assertThat(cp.store().grant(done.grantId()).orElseThrow().doc().path("revoked").asBoolean()).isFalse();
    // zoe has no audit role
    assertThat(zoe.get("/ui/audit").statusCode()).isEqualTo(403);

    UiClient pat = browser();
    String pc = pat.signIn(PAT);
    pat.post("/ui/grants/" + done.grantId() + "/revoke", form("csrf", pc, "reason", "batch replayed"));
    GrantRecord g = cp.store().grant(done.grantId()).orElseThrow();
    assertThat(g.doc().path("revoked_by").asText()).isEqualTo("pat");
    assertThat(alice.get("/ui/access").bodyAsString()).doesNotContain("id=\"" + done.grantId() + "\"");

    String audit = pat.get("/ui/audit").bodyAsString();
    assertThat(audit).contains("Hash chain: verified").contains("grant.revoked").contains("review.recorded");
    String rev = cp.policies().current().orElseThrow().revision().substring(0, 12);
    assertThat(audit).contains("<td class=\"rev\">" + rev + "</td>");
    String filtered = pat.get("/ui/audit?type=grant.&actor=pat").bodyAsString();
    assertThat(filtered).contains("grant.revoked").doesNotContain("<td>review.recorded</td>");
  }

  @Test
  void serverSentEventsAnnounceChangesWithoutTheirDataAndEndWithTheSession() throws Exception {
    UiClient alice = browser();
    String csrf = alice.signIn(ALICE);
    HttpClient raw = vertx.createHttpClient();
    try {
      CompletableFuture<String> got = new CompletableFuture<>();
      CompletableFuture<Void> ended = new CompletableFuture<>();
      StringBuffer seen = new StringBuffer();
      raw.request(new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(cp.port()).setURI("/ui/events")
              .putHeader("cookie", WebUi.COOKIE + "=" + alice.cookies.get(WebUi.COOKIE)))
          .compose(req -> req.send())
          .onSuccess(res -> {
            seen.append("content-type: ").append(res.getHeader("content-type")).append('\n');
            res.handler(buf -> {
              seen.append(buf.toString());
              if (seen.toString().contains("event: change")) {
                got.complete(seen.toString());
              }
            });
            res.endHandler(v -> ended.complete(null));
            res.exceptionHandler(t -> ended.complete(null));
          }).onFailure(got::completeExceptionally);
      long t0 = System.nanoTime();
      while (!seen.toString().contains("connected")) {
        Thread.sleep(20);
        assertThat(System.nanoTime() - t0).as("stream attached").isLessThan(TimeUnit.SECONDS.toNanos(20));
      }
      assertThat(alice.post("/ui/request", prodWrite(csrf, "submit")).statusCode()).isEqualTo(303);
      String text = got.get(20, TimeUnit.SECONDS);
      assertThat(text).contains("content-type: text/event-stream").contains("event: change")
          .contains("\"type\":\"request.filed\"");
      assertThat(text).doesNotContain("settlement").doesNotContain("alice");
      assertThat(cp.webUi().openStreams()).isEqualTo(1);

      // alice signs out: her stream ends at the next announcement
      assertThat(alice.post("/ui/signout", form("csrf", csrf)).statusCode()).isEqualTo(303);
      UiClient bob = browser();
      bob.post("/ui/request", prodWrite(bob.signIn(BOB), "submit"));
      ended.get(20, TimeUnit.SECONDS);
      assertThat(cp.webUi().openStreams()).isZero();
    } finally {
      raw.close();
    }
    // without a session: 401, no stream
    assertThat(browser().get("/ui/events").statusCode()).isEqualTo(401);
  }

  @Test
  void breakGlassFromTheFormGrantsAtOnceAndWaitsForAPostHocReview() {
    UiClient alice = browser(); // on call for payments in the fixture
    String csrf = alice.signIn(ALICE);
    MultiMap f = prodWrite(csrf, "submit");
    f.set("duration", "30m");
    f.add("break_glass", "on");
    assertThat(alice.post("/ui/request", f).statusCode()).isEqualTo(303);
    RequestRecord r = cp.store().requests(new Store.RequestQuery("alice", null, false, 1)).get(0);
    assertThat(r.breakGlass()).isTrue();
    assertThat(r.state()).isEqualTo(RequestState.APPROVED);
    assertThat(alice.get("/ui/mine").bodyAsString()).contains("awaiting post-hoc review").contains(r.grantId() + " · active");
    UiClient bob = browser();
    bob.signIn(BOB);
    assertThat(bob.get("/ui/review").bodyAsString()).contains("BREAK-GLASS, already granted").contains("value=\"approve\"");
  }

  @Test
  void namespaceAndPodExecFormsBecomeTheApisTargets() {
    var ns = Forms.request(form("kind", "namespace", "namespace", "payments-staging", "role", "edit", "service", "ignored",
        "duration", "2h", "reason", "Fix the staging config map", "start_at", "2026-12-08T09:30"));
    assertThat(Jsons.write(ns.get("target"))).isEqualTo("{\"kind\":\"namespace\",\"namespace\":\"payments-staging\",\"role\":\"edit\"}");
    assertThat(ns.get("start_at").asText()).isEqualTo("2026-12-08T09:30:00Z");
    assertThat(ns.has("ticket")).isFalse();
    var exec = Forms.request(form("kind", "pod-exec", "namespace", "payments-prod", "pod", "payments-api-7d9f", "container", " ",
        "duration", "15m", "reason", "Inspect a stuck worker", "ticket", "PAY-9"));
    assertThat(Jsons.write(exec.get("target")))
        .isEqualTo("{\"kind\":\"pod-exec\",\"namespace\":\"payments-prod\",\"pod\":\"payments-api-7d9f\"}");
    assertThat(exec.path("break_glass").isMissingNode()).isTrue();
  }

  @Test
  void cancelAndExtendGoThroughTheServicesOwnChecks() {
    UiClient alice = browser();
    String csrf = alice.signIn(ALICE);
    alice.post("/ui/request", prodWrite(csrf, "submit"));
    String id = cp.store().requests(new Store.RequestQuery("alice", null, false, 1)).get(0).id();
    assertThat(alice.get("/ui/mine").bodyAsString()).contains("action=\"/ui/requests/" + id + "/cancel\"");
    // bob is not the requester: the service refuses (and audits) his cancel, whatever form he sends
    UiClient bob = browser();
    String bc = bob.signIn(BOB);
    HttpResponse<Buffer> theirs = bob.post("/ui/requests/" + id + "/cancel", form("csrf", bc));
    assertThat(theirs.statusCode()).isEqualTo(403);
    assertThat(theirs.bodyAsString()).contains("only alice can cancel");
    assertThat(audit("request.cancel_refused")).hasSize(1);
    assertThat(alice.post("/ui/requests/" + id + "/cancel", form("csrf", csrf)).statusCode()).isEqualTo(303);
    assertThat(cp.store().request(id).orElseThrow().state()).isEqualTo(RequestState.CANCELLED);
    assertThat(alice.get("/ui/mine").bodyAsString()).contains("Request " + id + " cancelled.");

    // a staging write needs one approval; then alice asks to extend her grant from Access now
    MultiMap staging = prodWrite(csrf, "submit");
    staging.set("namespace", "payments-staging");
    alice.post("/ui/request", staging);
    String sid = cp.store().requests(new Store.RequestQuery("alice", RequestState.PENDING, false, 1)).get(0).id();
    bob.post("/ui/requests/" + sid + "/review", form("csrf", bc, "decision", "approve"));
    String grant = cp.store().request(sid).orElseThrow().grantId();
    assertThat(grant).isNotNull();
    String access = alice.get("/ui/access").bodyAsString();
    assertThat(access).contains("action=\"/ui/grants/" + grant + "/extend\"");
    // bob sees alice's grant but no extend form for it (only holders extend)
    assertThat(bob.get("/ui/access").bodyAsString()).contains("id=\"" + grant + "\"")
        .doesNotContain("action=\"/ui/grants/" + grant + "/extend\"");
    alice.post("/ui/grants/" + grant + "/extend", form("csrf", csrf, "duration", "1h", "reason", "Replay took longer"));
    assertThat(alice.get("/ui/access").bodyAsString()).contains("Extension filed as req-");
    RequestRecord ext = cp.store().requests(new Store.RequestQuery("alice", RequestState.PENDING, false, 1)).get(0);
    assertThat(ext.extendsGrant()).isEqualTo(grant);
    // bob extending alice's grant: refused by the service
    bob.post("/ui/grants/" + grant + "/extend", form("csrf", bc, "duration", "1h", "reason", "for alice"));
    assertThat(bob.get("/ui/access").bodyAsString()).contains("The extension was refused: only alice can extend");
  }

  @Test
  void aDenyWithACommentClosesTheRequestAndTheRequesterSeesWhy() {
    UiClient alice = browser();
    String csrf = alice.signIn(ALICE);
    alice.post("/ui/request", prodWrite(csrf, "submit"));
    String id = cp.store().requests(new Store.RequestQuery("alice", null, false, 1)).get(0).id();
    UiClient carol = browser();
    String cc = carol.signIn(CAROL);
    carol.post("/ui/requests/" + id + "/review", form("csrf", cc, "decision", "deny", "comment", "Use staging first"));
    assertThat(carol.get("/ui/review").bodyAsString()).contains("You denied " + id + "; it is now denied.");
    assertThat(cp.store().request(id).orElseThrow().state()).isEqualTo(RequestState.DENIED);
    String mine = alice.get("/ui/mine").bodyAsString();
    assertThat(mine).contains("data-state=\"denied\"").contains("carol denied (“Use staging first”)");
    // a closed request takes no more votes: bob's late approval is refused by the service
    UiClient bob = browser();
    String bc = bob.signIn(BOB);
    assertThat(bob.get("/ui/review").bodyAsString()).doesNotContain("id=\"review-" + id + "\"");
    bob.post("/ui/requests/" + id + "/review", form("csrf", bc, "decision", "approve"));
    assertThat(bob.get("/ui/review").bodyAsString()).contains("was refused").contains("takes no more reviews");
    // a decision that is neither approve nor deny is a 400 from the service's own body check, shown as refused
    bob.post("/ui/requests/" + id + "/review", form("csrf", bc, "decision", "maybe"));
    assertThat(bob.get("/ui/review").bodyAsString()).contains("decision must be");
  }

  @Test
  void requestFieldsAreEscapedOnEveryPage() {
    UiClient alice = browser();
    String csrf = alice.signIn(ALICE);
    MultiMap f = prodWrite(csrf, "submit");
    f.set("reason", "<script>alert('x')</script> replay batch");
    assertThat(alice.post("/ui/request", f).statusCode()).isEqualTo(303);
    UiClient bob = browser();
    bob.signIn(BOB);
    String inbox = bob.get("/ui/review").bodyAsString();
    assertThat(inbox).contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; replay batch").doesNotContain("<script>alert");
  }

  @Test
  void nextAfterSignInOnlyFollowsLocalUiPaths() {
    assertThat(WebUi.safeNext("/ui/review")).isEqualTo("/ui/review");
    assertThat(WebUi.safeNext("//evil.example/ui/")).isEqualTo("/ui/");
    assertThat(WebUi.safeNext("https://evil.example/")).isEqualTo("/ui/");
    assertThat(WebUi.safeNext("/ui/\\evil")).isEqualTo("/ui/");
    assertThat(WebUi.safeNext(null)).isEqualTo("/ui/");
  }

  static JsonNode json(String s) {
    return Jsons.parse(s);
  }
}
