package dev.gatehouse.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OIDC bearer tokens: only well-signed, unexpired tokens for our issuer and audience authenticate. */
class AuthTest {
  @TempDir
  Path tmp;

  ECKey idp;

  private Harness start() throws Exception {
    idp = new ECKeyGenerator(Curve.P_256).keyID("idp-1").generate();
    Files.writeString(tmp.resolve("jwks.json"), new JWKSet(idp.toPublicJWK()).toString());
    Files.writeString(tmp.resolve("auth.json"), """
        {"tokens_file": "%s",
         "oidc": {"issuer": "https://idp.example", "audience": "gatehouse", "jwks_file": "jwks.json",
                  "user_claim": "email", "groups_claim": "groups", "algorithms": ["ES256", "RS256"]},
         "roles": {"auditor@example.com": ["auditor"]}}
        """.formatted(Harness.FIXTURE.resolve("tokens.json")));
    return new Harness(tmp.resolve("data"), o -> o.authConfig(tmp.resolve("auth.json")));
  }

  private JWTClaimsSet.Builder claims(String email) {
    return new JWTClaimsSet.Builder().issuer("https://idp.example").audience("gatehouse").subject("u-" + email)
        .claim("email", email).claim("groups", List.of("payments-devs"))
        .expirationTime(new Date(System.currentTimeMillis() + 600_000)).issueTime(new Date());
  }

  private String sign(ECKey key, JWTClaimsSet c) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(), c);
    jwt.sign(new ECDSASigner(key));
    return jwt.serialize();
  }

  @Test
  void validTokensAuthenticateAndEveryBadOneIs401AndAudited() throws Exception {
    try (Harness h = start()) {
      Harness.Res me = h.get(sign(idp, claims("alice@example.com").build()), "/api/v1/whoami");
      assertThat(me.status()).isEqualTo(200);
      assertThat(me.json().get("user").asText()).isEqualTo("alice@example.com");
      assertThat(me.json().get("groups").get(0).asText()).isEqualTo("payments-devs");
      assertThat(me.json().get("method").asText()).isEqualTo("oidc");
      // static tokens keep working beside OIDC
      assertThat(h.get(Harness.BOB, "/api/v1/whoami").json().get("user").asText()).isEqualTo("bob");

      ECKey other = new ECKeyGenerator(Curve.P_256).keyID("idp-1").generate();
      String forged = sign(other, claims("alice@example.com").build());
      String expired = sign(idp, claims("alice@example.com").expirationTime(new Date(System.currentTimeMillis() - 3_600_000)).build());
      String wrongAud = sign(idp, claims("alice@example.com").audience("someone-else").build());
      String wrongIss = sign(idp, claims("alice@example.com").issuer("https://evil.example").build());
      String none = new PlainJWT(claims("alice@example.com").build()).serialize();
      // alg none dressed up with the real header's kid and an empty signature
      String[] parts = sign(idp, claims("alice@example.com").build()).split("\\.");
      String noneHeader = Base64URL.encode("{\"alg\":\"none\",\"kid\":\"idp-1\"}").toString() + "." + parts[1] + ".";
      SignedJWT hs = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims("alice@example.com").build());
      hs.sign(new MACSigner(new byte[32]));
      String tamperedPayload = parts[0] + "." + Base64URL.encode(claims("pat@example.com").build().toString()) + "." + parts[2];
      List<String> bad = List.of(forged, expired, wrongAud, wrongIss, none, noneHeader, hs.serialize(), tamperedPayload);
      for (String t : bad) {
        Harness.Res r = h.get(t, "/api/v1/requests");
        assertThat(r.status()).as(t).isEqualTo(401);
        assertThat(r.json().get("error").asText()).isEqualTo("unauthenticated");
        assertThat(r.raw().headers().firstValue("WWW-Authenticate")).isPresent();
      }
      String auditor = sign(idp, claims("auditor@example.com").build());
      JsonNode events = h.get(auditor, "/api/v1/audit?limit=1000").json().get("events");
      long failures = 0;
      for (JsonNode e : events) {
        if (e.get("type").asText().equals("auth.failed")) {
          failures++;
          assertThat(e.get("data").get("method").asText()).isEqualTo("oidc");
          assertThat(e.get("data").get("reason").asText()).startsWith("invalid JWT");
        }
      }
      assertThat(failures).isEqualTo(bad.size());

      // a flood from one address is counted, but only the first 20 per 10 s are written to the log
      for (int i = 0; i < 30; i++) {
        assertThat(h.get(forged, "/api/v1/requests").status()).isEqualTo(401);
      }
      long logged = 0;
      for (JsonNode e : h.get(auditor, "/api/v1/audit?limit=1000").json().get("events")) {
        logged += e.get("type").asText().equals("auth.failed") ? 1 : 0;
      }
      // (20 per window: on a slow machine the 38 failures may straddle two windows)
      assertThat(logged).isBetween(20L, 37L);
      String metrics = h.get(null, "/metrics").body();
      assertThat(metrics).contains("gatehouse_auth_failures_total{method=\"oidc\"} 38",
          "gatehouse_auth_failures_unaudited_total " + (38 - logged));
    }
  }

  @Test
  void theRequesterIsWhoeverTheTokenSays() throws Exception {
    try (Harness h = start()) {
      String token = sign(idp, claims("bob").build());
      Harness.Res r = h.post(token, "/api/v1/requests", Harness.prodWrite("1h"));
      assertThat(r.status()).isEqualTo(201);
      assertThat(r.json().get("requester").asText()).isEqualTo("bob");
    }
  }
}
