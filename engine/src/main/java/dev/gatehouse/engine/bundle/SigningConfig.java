package dev.gatehouse.engine.bundle;

import dev.gatehouse.engine.value.ObjectValue;

/**
 * How to sign a bundle: {@code key} is a PEM private key (RS*, PS*, ES*) or the shared secret
 * (HS*); {@code algorithm} a JWS algorithm name (RS256 when null); {@code claims} extra JWT claims
 * (OPA's {@code --claims-file}; when null the payload carries {@code keyid}); {@code keyId} goes in
 * the JWS {@code kid} header ({@code "default"} when null, as OPA's CLI).
 */
public record SigningConfig(String key, String algorithm, ObjectValue claims, String keyId) {
  public static final String DEFAULT_ALGORITHM = "RS256";
  public static final String DEFAULT_KEY_ID = "default";

  public SigningConfig {
    if (key == null || key.isEmpty()) {
      throw new BundleException("signing key not provided");
    }
    algorithm = algorithm == null || algorithm.isEmpty() ? DEFAULT_ALGORITHM : algorithm;
    keyId = keyId == null ? DEFAULT_KEY_ID : keyId;
  }

  public static SigningConfig of(String key, String algorithm) {
    return new SigningConfig(key, algorithm, null, null);
  }
}
