package dev.gatehouse.engine.builtins.tokens;

import java.security.PublicKey;

/**
 * A key a token may be verified with, from a PEM certificate or public key or from a JWK (set).
 * JWKs may carry the algorithm they are for and a key ID.
 *
 * @param alg the JWK "alg", or "" when absent (always "" for PEM input)
 * @param kid the JWK "kid", or ""
 * @param kind what sort of key this is, which decides the algorithms it can check
 * @param publicKey the JDK public key (or public half), null for secrets and unusable kinds
 * @param secret the bytes of a symmetric ("oct") JWK, else null
 * @param fromPrivateJwk true when the JWK held private parameters: OPA's verify_* builtins then
 *     reject it (the key they get is a private key), while decode_verify uses its public half
 */
record VerificationKey(String alg, String kid, Kind kind, PublicKey publicKey, byte[] secret, boolean fromPrivateJwk) {
  enum Kind { RSA, EC, ED25519, SECRET, UNUSABLE }
}
