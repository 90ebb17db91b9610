package dev.gatehouse.sidecar.identity;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the caller's identity, strongest credential first: a verified client certificate (the TLS
 * layer already checked it against the client CA), then a bearer JWT (when a JWKS is configured;
 * a token that fails is a 401, never a fall-back to weaker credentials), then the identity header
 * a mesh proxy forwards (only when configured: that header is trusted, so the listener must be
 * reachable only through the mesh). Istio's {@code x-forwarded-client-cert} is read for its
 * {@code URI=} element; any other header is taken as the subject itself.
 */
public final class IdentityResolver {
  private static final Pattern XFCC_URI = Pattern.compile("(?:^|;)URI=([^;,]+)");

  private final JwtVerifier jwt;
  private final String identityHeader;

  /** {@code jwt} and {@code identityHeader} may be null (not configured). */
  public IdentityResolver(JwtVerifier jwt, String identityHeader) {
    this.jwt = jwt;
    this.identityHeader = identityHeader == null || identityHeader.isBlank() ? null : identityHeader.toLowerCase();
  }

  public String identityHeader() {
    return identityHeader;
  }

  /**
   * @param peerCertificates the verified client chain (empty without mTLS)
   * @param authorization the Authorization header (may be null)
   * @param forwarded the configured identity header's value (may be null)
   */
  public Identity resolve(List<Certificate> peerCertificates, String authorization, String forwarded)
      throws AuthenticationException {
    if (!peerCertificates.isEmpty() && peerCertificates.get(0) instanceof X509Certificate cert) {
      String s = Certificates.subject(cert);
      if (s != null && !s.isBlank()) {
        return new Identity(s, "mtls");
      }
    }
    if (jwt != null && authorization != null) {
      if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
        return new Identity(jwt.verify(authorization.substring(7).strip()), "jwt");
      }
    }
    if (identityHeader != null && forwarded != null && !forwarded.isBlank()) {
      String subject = forwarded.strip();
      if (identityHeader.equals("x-forwarded-client-cert")) {
        // The last element is the hop closest to us (Envoy appends).
        String[] elements = forwarded.split(",");
        Matcher m = XFCC_URI.matcher(elements[elements.length - 1].strip());
        subject = m.find() ? m.group(1).replace("\"", "") : null;
      }
      if (subject != null && !subject.isBlank()) {
        return new Identity(subject, "header");
      }
    }
    return Identity.ANONYMOUS;
  }
}
