package dev.gatehouse.sync.config;

/** One OPA {@code keys} entry: a PEM public key (or HMAC secret), its JWS algorithm and scope. */
public record KeyConfig(String key, String algorithm, String scope) {
  public KeyConfig {
    algorithm = algorithm == null || algorithm.isBlank() ? "RS256" : algorithm;
  }
}
