package dev.gatehouse.sidecar;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

/** An identity provider for the tests: an RSA key published as a JWKS file, and tokens it signs. */
final class Tokens {
  static final String ISSUER = "https://idp.example.com";
  static final String AUDIENCE = "payments-api";
  final RSAKey key;

  Tokens(String kid) {
    try {
      key = new RSAKeyGenerator(2048).keyID(kid).keyUse(KeyUse.SIGNATURE).generate();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  Path writeJwks(Path dir) throws Exception {
    Path f = dir.resolve("jwks.json");
    Files.writeString(f, new JWKSet(key.toPublicJWK()).toString());
    return f;
  }

  String token(String sub, String aud, Instant exp) {
    return token(sub, ISSUER, aud, exp);
  }

  String token(String sub, String iss, String aud, Instant exp) {
    JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(sub).issuer(iss).audience(aud)
        .expirationTime(Date.from(exp)).issueTime(new Date()).build();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
    try {
      jwt.sign(new RSASSASigner(key));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return jwt.serialize();
  }

  /** An unsecured token ({"alg":"none"}) with otherwise valid claims. */
  static String unsecured(String sub, Instant exp) {
    Base64.Encoder b = Base64.getUrlEncoder().withoutPadding();
    String header = b.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    String payload = b.encodeToString(("{\"sub\":\"" + sub + "\",\"iss\":\"" + ISSUER + "\",\"aud\":\"" + AUDIENCE
        + "\",\"exp\":" + exp.getEpochSecond() + "}").getBytes(StandardCharsets.UTF_8));
    return header + "." + payload + ".";
  }
}
