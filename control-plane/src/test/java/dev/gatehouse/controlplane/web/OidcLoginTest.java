package dev.gatehouse.controlplane.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.controlplane.ControlPlane;
import dev.gatehouse.controlplane.store.AuditEvent;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OIDC sign-in (authorization code + PKCE S256, state, nonce) against {@link TestOidcProvider}. */
class OidcLoginTest {
  static Vertx vertx;
  @TempDir
  Path dir;
  TestOidcProvider idp;
  ControlPlane cp;

  @BeforeAll
  static void vertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void closeVertx() {
    vertx.close();
  }

  void start(String secret) throws Exception {
    idp = new TestOidcProvider(vertx, "gatehouse-ui", secret);
    cp = ControlPlane.start(WebUiTest.options(dir).web(WebOptions.defaults()
        .withOidc(new OidcLogin.Config(idp.issuer(), "gatehouse-ui", secret, null, null))));
  }

  @AfterEach
  void stop() throws Exception {
    if (cp != null) {
      cp.close();
    }
    if (idp != null) {
      idp.close();
    }
  }

  static Map<String, String> query(String url) {
    Map<String, String> m = new LinkedHashMap<>();
    String q = URI.create(url).getRawQuery();
    for (String kv : q.split("&")) {
      String[] p = kv.split("=", 2);
      m.put(URLDecoder.decode(p[0], StandardCharsets.UTF_8), URLDecoder.decode(p.length > 1 ? p[1] : "", StandardCharsets.UTF_8));
    }
    return m;
  }

  /** Follows "Sign in with your identity provider": returns the authorization URL the UI redirects to. */
  static String startSignIn(UiClient b) {
    HttpResponse<Buffer> page = b.get("/ui/signin");
    assertThat(page.bodyAsString()).contains("id=\"oidc-signin\"");
    HttpResponse<Buffer> start = b.get("/ui/oidc/start");
    assertThat(start.statusCode()).isEqualTo(303);
    assertThat(start.cookies()).anySatisfy(c -> assertThat(c).startsWith(WebUi.OIDC_COOKIE + "=").contains("SameSite=Lax")
        .contains("Path=/ui/oidc/").contains("Max-Age=600").containsIgnoringCase("HttpOnly").contains("Secure"));
    return start.getHeader("location");
  }

  /** The provider's side: /authorize answers with a redirect to the callback (code + state). */
  static String authorize(UiClient idpClient, String authorizeUrl) {
    HttpResponse<Buffer> r = idpClient.send(io.vertx.core.http.HttpMethod.GET, authorizeUrl.substring(idpClient.base.length()),
        null, Map.of());
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(302);
    return r.getHeader("location");
  }

  static String pathOf(String url) {
    URI u = URI.create(url);
    return u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
  }

  List<AuditEvent> authFailures() {
    return cp.store().audit(1, 10_000).stream().filter(e -> e.type().equals("auth.failed")).toList();
  }

  @Test
  void codeFlowWithPkceSignsInAsTheIdTokensSubject() throws Exception {
    start("s3cret");
    UiClient b = new UiClient(vertx, cp.url());
    String authorizeUrl = startSignIn(b);
    Map<String, String> q = query(authorizeUrl);
    assertThat(authorizeUrl).startsWith(idp.issuer() + "/authorize?");
    assertThat(q).containsEntry("response_type", "code").containsEntry("client_id", "gatehouse-ui")
        .containsEntry("code_challenge_method", "S256").containsEntry("redirect_uri", cp.url() + "/ui/oidc/callback");
    assertThat(q.get("state")).hasSizeGreaterThanOrEqualTo(43);
    assertThat(q.get("nonce")).hasSizeGreaterThanOrEqualTo(43).isNotEqualTo(q.get("state"));
    assertThat(q.get("code_challenge")).hasSize(43); // base64url of a SHA-256, unpadded
    String anon = b.cookies.get(WebUi.COOKIE);
    // the round trip's own cookie: Lax (the provider's redirect back is cross-site), scoped, short, not the session id
    assertThat(b.cookies.get(WebUi.OIDC_COOKIE)).isNotNull().isNotEqualTo(anon);

    String callback = authorize(new UiClient(vertx, idp.issuer()), authorizeUrl);
    HttpResponse<Buffer> done = b.get(pathOf(callback));
    assertThat(done.statusCode()).as(done.bodyAsString()).isEqualTo(200);
    // a same-origin refresh, so the next request is same-site and carries the Strict session cookie
    assertThat(done.bodyAsString()).contains("<meta http-equiv=\"refresh\" content=\"0;url=/ui/\">");
    assertThat(done.cookies()).anySatisfy(c -> assertThat(c).startsWith(WebUi.COOKIE + "=").contains("SameSite=Strict"))
        .anySatisfy(c -> assertThat(c).startsWith(WebUi.OIDC_COOKIE + "=;").contains("Max-Age=0"));
    assertThat(b.cookies).doesNotContainKey(WebUi.OIDC_COOKIE);
    assertThat(b.cookies.get(WebUi.COOKIE)).isNotEqualTo(anon);
    assertThat(idp.pkceChecked.get()).isEqualTo(1);
    assertThat(b.get("/ui/mine").bodyAsString()).contains("<strong id=\"whoami\">alice</strong>");

    // the identity is the API's: alice files through the UI and the request is hers, with her groups
    String csrf = UiClient.csrf(b.get("/ui/request"));
    assertThat(b.post("/ui/request", WebUiTest.prodWrite(csrf, "submit")).statusCode()).isEqualTo(303);
    var rs = cp.store().requests(new dev.gatehouse.controlplane.store.Store.RequestQuery("alice", null, false, 1));
    assertThat(rs).hasSize(1);
    assertThat(rs.get(0).doc().path("requester").path("groups").get(0).asText()).isEqualTo("payments-devs");

    // the callback cannot be replayed: the sign-in's state was used up
    HttpResponse<Buffer> again = b.get(pathOf(callback));
    assertThat(again.statusCode()).isEqualTo(403);
  }

  @Test
  void afterSignInTheBrowserGoesWhereItWasGoingAndNowhereElse() throws Exception {
    start(null);
    UiClient b = new UiClient(vertx, cp.url());
    assertThat(b.get("/ui/review").getHeader("location")).isEqualTo("/ui/signin?next=%2Fui%2Freview");
    assertThat(b.get("/ui/signin?next=%2Fui%2Freview").bodyAsString()).contains("href=\"/ui/oidc/start?next=%2Fui%2Freview\"");
    HttpResponse<Buffer> start = b.get("/ui/oidc/start?next=%2Fui%2Freview");
    HttpResponse<Buffer> done = b.get(pathOf(authorize(new UiClient(vertx, idp.issuer()), start.getHeader("location"))));
    assertThat(done.bodyAsString()).contains("content=\"0;url=/ui/review\"");
    // an outside address is not followed
    UiClient c = new UiClient(vertx, cp.url());
    HttpResponse<Buffer> s2 = c.get("/ui/oidc/start?next=https%3A%2F%2Fevil.example%2F");
    HttpResponse<Buffer> d2 = c.get(pathOf(authorize(new UiClient(vertx, idp.issuer()), s2.getHeader("location"))));
    assertThat(d2.bodyAsString()).contains("content=\"0;url=/ui/\"").doesNotContain("evil.example");
  }

  @Test
  void aCallbackThisBrowserDidNotStartIsRefused() throws Exception {
    start(null);
    UiClient victim = new UiClient(vertx, cp.url());
    victim.get("/ui/signin");
    UiClient attacker = new UiClient(vertx, cp.url());
    String callback = authorize(new UiClient(vertx, idp.issuer()), startSignIn(attacker));
    // login CSRF: the attacker's code and state delivered to the victim's browser
    HttpResponse<Buffer> r = victim.get(pathOf(callback));
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.bodyAsString()).contains("not started from this browser");
    assertThat(victim.get("/ui/mine").statusCode()).isEqualTo(303);
    assertThat(authFailures()).anySatisfy(e -> assertThat(e.data()).contains("state"));
    assertThat(idp.pkceChecked.get()).isZero();
  }

  @Test
  void anIdTokenWithAnotherNonceOrAnUnpublishedKeyIsRefused() throws Exception {
    start(null);
    idp.wrongNonce = true;
    UiClient b = new UiClient(vertx, cp.url());
    HttpResponse<Buffer> r = b.get(pathOf(authorize(new UiClient(vertx, idp.issuer()), startSignIn(b))));
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.bodyAsString()).contains("nonce");
    assertThat(b.get("/ui/mine").statusCode()).isEqualTo(303);

    idp.wrongNonce = false;
    idp.signWithUnpublishedKey = true;
    UiClient c = new UiClient(vertx, cp.url());
    HttpResponse<Buffer> r2 = c.get(pathOf(authorize(new UiClient(vertx, idp.issuer()), startSignIn(c))));
    assertThat(r2.statusCode()).isEqualTo(401);
    assertThat(r2.bodyAsString()).contains("did not verify");
    assertThat(authFailures()).hasSizeGreaterThanOrEqualTo(2);
  }

  @Test
  void theProviderRefusesAWrongVerifierAndTheUiSaysSo() throws Exception {
    start(null);
    UiClient b = new UiClient(vertx, cp.url());
    String authorizeUrl = startSignIn(b);
    // swap the challenge for one of another verifier: the code's PKCE check must then fail
    String forged = authorizeUrl.replaceAll("code_challenge=[^&]+", "code_challenge=" + OidcLogin.challenge("another-verifier"));
    HttpResponse<Buffer> r = b.get(pathOf(authorize(new UiClient(vertx, idp.issuer()), forged)));
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.bodyAsString()).contains("invalid_grant");
    assertThat(idp.tokenRefusals.get()).isEqualTo(1);
  }

  @Test
  void pkceChallengeIsTheRfc7636Example() {
    // RFC 7636 appendix B
    assertThat(OidcLogin.challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"))
        .isEqualTo("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  }
}
