package dev.gatehouse.cli;

import com.nimbusds.jose.JOSEException;
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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * The identity provider of {@code gatehouse up}: it stands in for the organisation's OIDC issuer so
 * that the demo users hold real, signed ID-token-shaped JWTs. The control plane and the sidecar
 * verify them exactly as they would verify an OIDC provider's tokens (issuer, audience, ES256
 * signature against a JWKS file); nothing in them is trusted because it is a demo.
 */
final class DemoIdentityProvider {
  static final String ISSUER = "https://gatehouse-up.localhost/demo-idp";
  static final String AUDIENCE = "gatehouse";
  static final String GROUPS_CLAIM = "groups";

  private final ECKey key;
  private final Path jwksFile;

  private DemoIdentityProvider(ECKey key, Path jwksFile) {
    this.key = key;
    this.jwksFile = jwksFile;
  }

  /** Loads the demo issuer's key from the data directory, creating it on first use. */
  static DemoIdentityProvider open(Path dataDir) throws IOException {
    Path keyFile = dataDir.resolve("demo-idp-key.json");
    ECKey key;
    try {
      if (Files.exists(keyFile)) {
        key = ECKey.parse(Files.readString(keyFile));
      } else {
        key = new ECKeyGenerator(Curve.P_256).keyID("demo-idp-" + UUID.randomUUID().toString().substring(0, 8))
            .algorithm(JWSAlgorithm.ES256).generate();
        Files.writeString(keyFile, key.toJSONString());
        try {
          Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
          // not a POSIX file system
        }
      }
    } catch (ParseException | JOSEException e) {
      throw new IOException(keyFile + ": " + e.getMessage(), e);
    }
    Path jwks = dataDir.resolve("demo-idp-jwks.json");
    Files.writeString(jwks, new JWKSet(key.toPublicJWK()).toString(true));
    return new DemoIdentityProvider(key, jwks);
  }

  /** The public keys, as a JWKS file for the verifiers' configuration. */
  Path jwksFile() {
    return jwksFile;
  }

  /** A signed token for this user and groups, valid from now for ttl. */
  String token(String user, List<String> groups, Instant now, Duration ttl) {
    JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(ISSUER).audience(AUDIENCE).subject(user)
        .claim(GROUPS_CLAIM, groups).issueTime(Date.from(now)).notBeforeTime(Date.from(now.minusSeconds(5)))
        .expirationTime(Date.from(now.plus(ttl))).jwtID(UUID.randomUUID().toString()).build();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID())
        .type(JOSEObjectType.JWT).build(), claims);
    try {
      jwt.sign(new ECDSASigner(key));
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign a demo token: " + e.getMessage(), e);
    }
    return jwt.serialize();
  }
}
