package dev.gatehouse.sidecar.identity;

/** A credential was presented and is not acceptable (expired, wrong audience, bad signature…): 401. */
public final class AuthenticationException extends Exception {
  public AuthenticationException(String message) {
    super(message, null, false, false);
  }
}
