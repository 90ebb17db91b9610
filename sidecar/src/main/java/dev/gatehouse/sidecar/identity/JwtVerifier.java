package dev.gatehouse.sidecar.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Clock;
import java.util.Date;
import java.util.HashSet;
import java.util.Set;

/**
 * Verifies bearer JWTs against a JWKS (a file, or a URL fetched and cached by Nimbus): signature
 * with an asymmetric algorithm of the key set (never {@code none}, never HMAC, so a public key can
 * not be used as a shared secret), {@code exp} required and checked on the injected clock (60 s
 * skew), {@code iss} and {@code aud} when configured. The subject comes from one claim
 * ({@code sub} by default).
 */
public final class JwtVerifier {
  private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384,
      JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256,
      JWSAlgorithm.ES384, JWSAlgorithm.ES512, JWSAlgorithm.EdDSA);

  private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
  private final String subjectClaim;

  public JwtVerifier(JWKSource<SecurityContext> keys, String issuer, String audience, String subjectClaim,
      Clock clock) {
    this.subjectClaim = subjectClaim == null ? "sub" : subjectClaim;
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys));
    JWTClaimsSet.Builder exact = new JWTClaimsSet.Builder();
    if (issuer != null) {
      exact.issuer(issuer);
    }
    Set<String> required = new HashSet<>(Set.of("exp", this.subjectClaim));
    DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
        audience == null ? null : new HashSet<>(Set.of(audience)), exact.build(), required, new HashSet<>()) {
      @Override
      protected Date currentTime() {
        return Date.from(clock.instant());
      }
    };
    processor.setJWTClaimsSetVerifier(claims);
  }

  /** A JWKS location: {@code http(s)://…} (fetched, cached, refreshed) or a file path. */
  public static JWKSource<SecurityContext> keys(String location) throws IOException {
    if (location.startsWith("http://") || location.startsWith("https://")) {
      return JWKSourceBuilder.create(URI.create(location).toURL()).build();
    }
    try {
      return new ImmutableJWKSet<>(JWKSet.parse(Files.readString(Path.of(location))));
    } catch (ParseException e) {
      throw new IOException(location + ": not a JWKS: " + e.getMessage(), e);
    }
  }

  /** The subject of a valid token. */
  public String verify(String token) throws AuthenticationException {
    JWTClaimsSet claims;
    try {
      claims = processor.process(token, null);
    } catch (ParseException e) {
      throw new AuthenticationException("malformed bearer token");
    } catch (BadJOSEException e) {
      throw new AuthenticationException("invalid bearer token: " + e.getMessage());
    } catch (JOSEException e) {
      throw new AuthenticationException("bearer token could not be verified: " + e.getMessage());
    }
    Object sub = claims.getClaim(subjectClaim);
    if (!(sub instanceof String s) || s.isBlank()) {
      throw new AuthenticationException("bearer token has no " + subjectClaim + " claim");
    }
    return s;
  }
}
