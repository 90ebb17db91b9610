package dev.gatehouse.engine.bundle;

import java.util.List;
import java.util.Map;

/**
 * How to verify a signed bundle: public keys (PEM) or HMAC secrets by key id, the key id to use
 * (when null: the JWS {@code kid} header, then the payload's deprecated {@code keyid}), the scope
 * the signature must carry (when null: the key's own scope, else empty), and glob patterns of files
 * left out of verification.
 */
public record VerificationConfig(Map<String, Key> keys, String keyId, String scope, List<String> exclude) {
  /** One verification key: PEM public key or certificate, or an HMAC secret; its algorithm and scope. */
  public record Key(String key, String algorithm, String scope) {
    public Key {
      algorithm = algorithm == null || algorithm.isEmpty() ? SigningConfig.DEFAULT_ALGORITHM : algorithm;
    }
  }

  public VerificationConfig {
    keys = Map.copyOf(keys);
    exclude = exclude == null ? List.of() : List.copyOf(exclude);
    if (keys.isEmpty()) {
      throw new BundleException("no verification keys configured");
    }
    if (keyId != null && !keyId.isEmpty() && !keys.containsKey(keyId)) {
      throw new BundleException("key id " + keyId + " not found");
    }
  }

  /** One key under id {@code "default"}, as {@code opa run --verification-key K} configures. */
  public static VerificationConfig of(String key, String algorithm) {
    return new VerificationConfig(Map.of(SigningConfig.DEFAULT_KEY_ID, new Key(key, algorithm, null)),
        SigningConfig.DEFAULT_KEY_ID, null, null);
  }

  public VerificationConfig withScope(String s) {
    return new VerificationConfig(keys, keyId, s, exclude);
  }

  public VerificationConfig withExclude(List<String> ex) {
    return new VerificationConfig(keys, keyId, scope, ex);
  }

  Key key(String id) {
    Key k = keys.get(id);
    if (k == null) {
      throw new BundleException("verification key corresponding to ID " + id + " not found");
    }
    return k;
  }
}
