package dev.gatehouse.controlplane.auth;

/** An unusable authentication configuration. */
public final class AuthException extends Exception {
  public AuthException(String message) {
    super(message);
  }

  public AuthException(String message, Throwable cause) {
    super(message, cause);
  }
}
