package dev.gatehouse.controlplane.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.gatehouse.controlplane.Jsons;
import dev.gatehouse.controlplane.auth.AuthException;
import dev.gatehouse.controlplane.auth.Identity;
import dev.gatehouse.controlplane.auth.JwtVerifier;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * OIDC sign-in for the web UI: the authorization code flow with PKCE (S256), {@code state} and
 * {@code nonce}, against an issuer found through its discovery document. The id_token is checked
 * by the control plane's own {@link JwtVerifier} (signature against the issuer's JWKS, asymmetric
 * algorithms only, {@code iss}, {@code aud} = the client id, {@code exp}), then its {@code nonce}
 * against the one this sign-in sent. Blocking: call it on a worker thread.
 */
public final class OidcLogin {
  /**
   * Settings. {@code clientSecret} may be null (a public client: PKCE alone); {@code userClaim}
   * and {@code groupsClaim} default to {@code sub} and {@code groups}.
   */
  public record Config(String issuer, String clientId, String clientSecret, String userClaim, String groupsClaim) {
    public Config {
      if (issuer == null || issuer.isBlank() || clientId == null || clientId.isBlank()) {
        throw new IllegalArgumentException("OIDC sign-in needs an issuer and a client id");
      }
      issuer = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
      userClaim = userClaim == null || userClaim.isBlank() ? "sub" : userClaim;
      groupsClaim = groupsClaim == null || groupsClaim.isBlank() ? "groups" : groupsClaim;
    }
  }

  /** One sign-in in progress, kept in the browser's (anonymous) server-side session. */
  record Pending(String state, String nonce, String verifier, Instant started) {}

  /** The endpoints the discovery document names. */
  record Endpoints(String issuer, String authorization, String token, String jwks) {}

  private final Config config;
  private final Supplier<String> random;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
      .followRedirects(HttpClient.Redirect.NEVER).build();
  private volatile Endpoints endpoints;
  private volatile JwtVerifier verifier;

  OidcLogin(Config config, Supplier<String> random) {
    this.config = config;
    this.random = random;
  }

  Config config() {
    return config;
  }

  /** A fresh state, nonce and PKCE verifier (each 256 random bits). */
  Pending start(Instant now) {
    return new Pending(random.get(), random.get(), random.get(), now);
  }

  /** Where to send the browser: the issuer's authorization endpoint with this sign-in's parameters. */
  String authorizeUrl(Pending p, String redirectUri) throws IOException {
    Endpoints e = endpoints();
    Map<String, String> q = new LinkedHashMap<>();
    q.put("response_type", "code");
    q.put("client_id", config.clientId());
    q.put("redirect_uri", redirectUri);
    q.put("scope", "openid profile email");
    q.put("state", p.state());
    q.put("nonce", p.nonce());
    q.put("code_challenge", challenge(p.verifier()));
    q.put("code_challenge_method", "S256");
    return e.authorization() + (e.authorization().contains("?") ? "&" : "?") + form(q);
  }

  /** The PKCE S256 challenge: base64url(SHA-256(verifier)), unpadded. */
  static String challenge(String verifier) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(h);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A verified sign-in: who, and when the id_token (so the session) ends. */
  record SignedIn(Identity identity, Instant expires) {}

  /**
   * Exchanges the code (with the PKCE verifier) for tokens, verifies the id_token and its nonce.
   *
   * @throws IOException when the issuer cannot be reached or answers with an error
   * @throws SecurityException when the id_token does not verify or its nonce is not ours
   */
  SignedIn finish(String code, Pending p, String redirectUri, Map<String, List<String>> roles) throws IOException {
    Endpoints e = endpoints();
    Map<String, String> f = new LinkedHashMap<>();
    f.put("grant_type", "authorization_code");
    f.put("code", code);
    f.put("redirect_uri", redirectUri);
    f.put("client_id", config.clientId());
    f.put("code_verifier", p.verifier());
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(e.token())).timeout(Duration.ofSeconds(15))
        .header("content-type", "application/x-www-form-urlencoded").header("accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(form(f)));
    if (config.clientSecret() != null) {
      // client_secret_basic, the default authentication method for confidential clients
      String basic = URLEncoder.encode(config.clientId(), StandardCharsets.UTF_8) + ":"
          + URLEncoder.encode(config.clientSecret(), StandardCharsets.UTF_8);
      req.header("authorization", "Basic " + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8)));
    }
    HttpResponse<String> res = send(req.build());
    JsonNode body;
    try {
      body = Jsons.parse(res.body());
    } catch (IllegalArgumentException ex) {
      throw new IOException("the token endpoint answered " + res.statusCode() + " without JSON");
    }
    if (res.statusCode() != 200) {
      throw new IOException("the token endpoint refused the code: " + body.path("error").asText("HTTP " + res.statusCode())
          + (body.hasNonNull("error_description") ? " (" + body.get("error_description").asText() + ")" : ""));
    }
    String idToken = body.path("id_token").asText(null);
    if (idToken == null) {
      throw new IOException("the token endpoint returned no id_token");
    }
    JwtVerifier v = verifier(e);
    JWTClaimsSet claims;
    try {
      claims = v.claims(idToken);
    } catch (Exception ex) {
      throw new SecurityException("the id_token did not verify: " + ex.getMessage(), ex);
    }
    Object nonce = claims.getClaim("nonce");
    if (!(nonce instanceof String n) || !MessageDigest.isEqual(n.getBytes(StandardCharsets.UTF_8),
        p.nonce().getBytes(StandardCharsets.UTF_8))) {
      throw new SecurityException("the id_token's nonce is not the one this sign-in sent");
    }
    Identity who;
    try {
      who = v.identity(claims, roles);
    } catch (IllegalArgumentException ex) {
      throw new SecurityException(ex.getMessage(), ex);
    }
    return new SignedIn(who, claims.getExpirationTime() == null ? null : claims.getExpirationTime().toInstant());
  }

  private JwtVerifier verifier(Endpoints e) throws IOException {
    JwtVerifier v = verifier;
    if (v == null) {
      try {
        v = new JwtVerifier(new JwtVerifier.Config(config.issuer(), config.clientId(), null, e.jwks(),
            config.userClaim(), config.groupsClaim(), null));
      } catch (AuthException ex) {
        throw new IOException(ex.getMessage(), ex);
      }
      verifier = v;
    }
    return v;
  }

  /** The discovery document, fetched once it is first needed (and again after a failure). */
  Endpoints endpoints() throws IOException {
    Endpoints e = endpoints;
    if (e != null) {
      return e;
    }
    String url = config.issuer() + "/.well-known/openid-configuration";
    HttpResponse<String> res = send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15))
        .header("accept", "application/json").GET().build());
    if (res.statusCode() != 200) {
      throw new IOException("OIDC discovery at " + url + " answered " + res.statusCode());
    }
    JsonNode d;
    try {
      d = Jsons.parse(res.body());
    } catch (IllegalArgumentException ex) {
      throw new IOException("OIDC discovery at " + url + " is not JSON");
    }
    String iss = d.path("issuer").asText("");
    if (!iss.equals(config.issuer()) && !iss.equals(config.issuer() + "/")) {
      // OIDC Discovery §4.3: the document's issuer must be the one we asked.
      throw new IOException("OIDC discovery at " + url + " names issuer " + iss + ", not " + config.issuer());
    }
    for (String f : List.of("authorization_endpoint", "token_endpoint", "jwks_uri")) {
      if (!d.path(f).isTextual()) {
        throw new IOException("OIDC discovery at " + url + " has no " + f);
      }
    }
    e = new Endpoints(iss, d.get("authorization_endpoint").asText(), d.get("token_endpoint").asText(),
        d.get("jwks_uri").asText());
    endpoints = e;
    return e;
  }

  private HttpResponse<String> send(HttpRequest r) throws IOException {
    try {
      return http.send(r, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", ex);
    }
  }

  static String form(Map<String, String> m) {
    StringBuilder b = new StringBuilder();
    m.forEach((k, v) -> {
      if (b.length() > 0) {
        b.append('&');
      }
      b.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
    });
    return b.toString();
  }
}
