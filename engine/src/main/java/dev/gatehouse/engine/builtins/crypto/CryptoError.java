package dev.gatehouse.engine.builtins.crypto;

/**
 * A parse or verification failure carrying the message Go's crypto packages give for it, which is
 * the message OPA reports (after the builtin's name).
 */
public final class CryptoError extends RuntimeException {
  public CryptoError(String goMessage) {
    super(goMessage, null, false, false);
  }
}
