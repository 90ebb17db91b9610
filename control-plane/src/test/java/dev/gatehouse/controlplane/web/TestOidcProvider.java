package dev.gatehouse.controlplane.web;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.gatehouse.controlplane.Jsons;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small OIDC provider shaped like real ones, for the web UI's sign-in tests: a discovery
 * document, a JWKS (ES256), {@code /authorize} (the "user" who signs in is set by the test instead
 * of a login page) and {@code /token}, which checks the code, the redirect URI, client
 * authentication when a secret is set, and PKCE: SHA-256 of {@code code_verifier} must be the
 * {@code code_challenge} sent to {@code /authorize} (S256 only). Codes are single-use.
 */
final class TestOidcProvider implements AutoCloseable {
  record Code(String clientId, String redirectUri, String challenge, String nonce, String user, List<String> groups) {}

  final String clientId;
  final String clientSecret;
  final ECKey key;
  final ECKey otherKey;
  final HttpServer server;
  final Map<String, Code> codes = new ConcurrentHashMap<>();
  final AtomicInteger pkceChecked = new AtomicInteger();
  final AtomicInteger tokenRefusals = new AtomicInteger();
  volatile String user = "alice";
  volatile List<String> groups = List.of("payments-devs");
  /** Misbehaviours for negative tests. */
  volatile boolean wrongNonce;
  volatile boolean signWithUnpublishedKey;
  volatile String lastAuthorizeQuery;

  final String host;

  TestOidcProvider(Vertx vertx, String clientId, String clientSecret) throws Exception {
    this(vertx, "127.0.0.1", clientId, clientSecret);
  }

  /** {@code host}: the name in the issuer URL ({@code localhost} makes it another site than 127.0.0.1). */
  TestOidcProvider(Vertx vertx, String host, String clientId, String clientSecret) throws Exception {
    this.host = host;
    this.clientId = clientId;
    this.clientSecret = clientSecret;
    this.key = new ECKeyGenerator(Curve.P_256).keyID("idp-1").generate();
    this.otherKey = new ECKeyGenerator(Curve.P_256).keyID("idp-1").generate();
    Router r = Router.router(vertx);
    r.get("/.well-known/openid-configuration").handler(this::discovery);
    r.get("/jwks").handler(ctx -> ctx.response().putHeader("content-type", "application/json")
        .end(new JWKSet(key.toPublicJWK()).toString()));
    r.get("/authorize").handler(this::authorize);
    r.post("/token").handler(BodyHandler.create()).handler(this::token);
    server = vertx.createHttpServer().requestHandler(r);
    server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  String issuer() {
    return "http://" + host + ":" + server.actualPort();
  }

  private void discovery(RoutingContext ctx) {
    var d = Jsons.object().put("issuer", issuer()).put("authorization_endpoint", issuer() + "/authorize")
        .put("token_endpoint", issuer() + "/token").put("jwks_uri", issuer() + "/jwks");
    d.putArray("response_types_supported").add("code");
    d.putArray("code_challenge_methods_supported").add("S256");
    d.putArray("id_token_signing_alg_values_supported").add("ES256");
    d.putArray("subject_types_supported").add("public");
    ctx.response().putHeader("content-type", "application/json").end(Jsons.write(d));
  }

  private void authorize(RoutingContext ctx) {
    var q = ctx.queryParams();
    lastAuthorizeQuery = ctx.request().query();
    if (!"code".equals(q.get("response_type")) || !clientId.equals(q.get("client_id"))
        || !"S256".equals(q.get("code_challenge_method")) || q.get("code_challenge") == null
        || q.get("redirect_uri") == null || q.get("state") == null || !String.valueOf(q.get("scope")).contains("openid")) {
      ctx.response().setStatusCode(400).end("bad authorization request: " + ctx.request().query());
      return;
    }
    String code = UUID.randomUUID().toString();
    codes.put(code, new Code(q.get("client_id"), q.get("redirect_uri"), q.get("code_challenge"), q.get("nonce"), user, groups));
    ctx.response().setStatusCode(302).putHeader("location", q.get("redirect_uri") + "?code=" + code + "&state="
        + URLEncoder.encode(q.get("state"), StandardCharsets.UTF_8)).end();
  }

  private void token(RoutingContext ctx) {
    var f = ctx.request().formAttributes();
    Code c = f.get("code") == null ? null : codes.remove(f.get("code")); // single use
    String refusal = null;
    if (!"authorization_code".equals(f.get("grant_type"))) {
      refusal = "unsupported_grant_type";
    } else if (c == null) {
      refusal = "invalid_grant";
    } else if (!c.redirectUri().equals(f.get("redirect_uri")) || !c.clientId().equals(f.get("client_id"))) {
      refusal = "invalid_grant";
    } else if (clientSecret != null && !("Basic " + Base64.getEncoder().encodeToString((clientId + ":" + clientSecret)
        .getBytes(StandardCharsets.UTF_8))).equals(ctx.request().getHeader("authorization"))) {
      refusal = "invalid_client";
    } else if (f.get("code_verifier") == null || !OidcLogin.challenge(f.get("code_verifier")).equals(c.challenge())) {
      refusal = "invalid_grant";
    }
    if (refusal != null) {
      tokenRefusals.incrementAndGet();
      ctx.response().setStatusCode(400).putHeader("content-type", "application/json")
          .end(Jsons.write(Jsons.object().put("error", refusal)));
      return;
    }
    pkceChecked.incrementAndGet();
    try {
      Instant now = Instant.now();
      JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(issuer()).audience(clientId).subject(c.user())
          .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(3600)))
          .claim("nonce", wrongNonce ? "not-the-nonce" : c.nonce()).claim("groups", c.groups()).build();
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("idp-1").type(JOSEObjectType.JWT).build(),
          claims);
      jwt.sign(new ECDSASigner(signWithUnpublishedKey ? otherKey : key));
      ctx.response().putHeader("content-type", "application/json").putHeader("cache-control", "no-store")
          .end(Jsons.write(Jsons.object().put("access_token", UUID.randomUUID().toString()).put("token_type", "Bearer")
              .put("expires_in", 3600).put("id_token", jwt.serialize())));
    } catch (Exception e) {
      ctx.fail(e);
    }
  }

  @Override
  public void close() {
    try {
      server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("closing the test OIDC provider", e);
    }
  }
}
