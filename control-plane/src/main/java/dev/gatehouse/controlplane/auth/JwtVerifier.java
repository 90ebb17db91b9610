package dev.gatehouse.controlplane.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * OIDC / JWT bearer tokens: the signature is checked against a JWKS (a file, or a URL fetched and
 * cached by Nimbus), with an allow-list of asymmetric algorithms — so {@code alg: none} and HMAC
 * tokens signed with a public key never verify — and {@code exp}, {@code iss} and {@code aud}
 * required and checked (60 s of clock skew).
 */
public final class JwtVerifier {
  /** Settings; claim names are configurable because IdPs disagree (sub, email, preferred_username…). */
  public record Config(String issuer, String audience, Path jwksFile, String jwksUrl, String userClaim,
      String groupsClaim, List<String> algorithms) {}

  private final DefaultJWTProcessor<SecurityContext> processor;
  private final Config config;

  public JwtVerifier(Config c) throws AuthException {
    this.config = c;
    if (c.issuer() == null || c.audience() == null) {
      throw new AuthException("oidc: issuer and audience are required");
    }
    JWKSource<SecurityContext> keys;
    try {
      if (c.jwksFile() != null) {
        keys = new ImmutableJWKSet<>(JWKSet.parse(Files.readString(c.jwksFile())));
      } else if (c.jwksUrl() != null) {
        keys = JWKSourceBuilder.create(URI.create(c.jwksUrl()).toURL()).build();
      } else {
        throw new AuthException("oidc: jwks_file or jwks_url is required");
      }
    } catch (AuthException e) {
      throw e;
    } catch (Exception e) {
      throw new AuthException("oidc: cannot read the JWKS: " + e.getMessage(), e);
    }
    Set<JWSAlgorithm> algs = new LinkedHashSet<>();
    for (String a : c.algorithms() == null || c.algorithms().isEmpty()
        ? List.of("RS256", "RS384", "RS512", "PS256", "ES256", "ES384", "EdDSA") : c.algorithms()) {
      JWSAlgorithm alg = JWSAlgorithm.parse(a);
      if (JWSAlgorithm.Family.HMAC_SHA.contains(alg) || a.equalsIgnoreCase("none")) {
        throw new AuthException("oidc: algorithm " + a + " is not allowed (asymmetric algorithms only)");
      }
      algs.add(alg);
    }
    processor = new DefaultJWTProcessor<>();
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(algs, keys));
    DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(new HashSet<>(List.of(c.audience())),
        new JWTClaimsSet.Builder().issuer(c.issuer()).build(), new HashSet<>(List.of("exp", "iss", "aud", userClaim())),
        null);
    claims.setMaxClockSkew(60);
    processor.setJWTClaimsSetVerifier(claims);
  }

  private String userClaim() {
    return config.userClaim() == null ? "sub" : config.userClaim();
  }

  /** The identity in a valid token; throws with the reason otherwise. */
  public Identity verify(String token, Map<String, List<String>> rolesByUser) throws Exception {
    return identity(claims(token), rolesByUser);
  }

  /**
   * The token's claims once its signature, algorithm, issuer, audience and expiry are checked
   * (for callers that check more, such as the web sign-in's OIDC {@code nonce}).
   */
  public JWTClaimsSet claims(String token) throws Exception {
    return processor.process(token, null);
  }

  /** The identity verified claims name: user and groups per the configured claims, roles by user. */
  public Identity identity(JWTClaimsSet claims, Map<String, List<String>> rolesByUser) {
    Object user = claims.getClaim(userClaim());
    if (!(user instanceof String u) || u.isBlank()) {
      throw new IllegalArgumentException("claim " + userClaim() + " is not a non-empty string");
    }
    List<String> groups = new ArrayList<>();
    Object g = claims.getClaim(config.groupsClaim() == null ? "groups" : config.groupsClaim());
    if (g instanceof List<?> l) {
      l.forEach(x -> groups.add(String.valueOf(x)));
    } else if (g instanceof String s) {
      groups.add(s);
    }
    return new Identity(u, groups, new LinkedHashSet<>(rolesByUser.getOrDefault(u, List.of())), "oidc");
  }
}
