package dev.gatehouse.controlplane.auth;

/** The outcome of authenticating one call. */
public sealed interface AuthResult {
  record Ok(Identity identity) implements AuthResult {}

  /** A credential was presented and refused; {@code reason} is for the audit log, not the caller. */
  record Failed(String method, String reason) implements AuthResult {}

  /** No credential at all. */
  record Missing() implements AuthResult {}
}
