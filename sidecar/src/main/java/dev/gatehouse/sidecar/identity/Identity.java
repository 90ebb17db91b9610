package dev.gatehouse.sidecar.identity;

/**
 * Who is calling, and from which credential: {@code mtls} (client certificate), {@code jwt}
 * (verified bearer token) or {@code header} (identity forwarded by a trusted mesh proxy).
 * {@link #ANONYMOUS} when no credential was presented.
 */
public record Identity(String subject, String source) {
  public static final Identity ANONYMOUS = new Identity(null, "none");

  public boolean authenticated() {
    return subject != null;
  }
}
