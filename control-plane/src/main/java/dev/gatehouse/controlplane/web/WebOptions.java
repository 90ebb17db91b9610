package dev.gatehouse.controlplane.web;

import java.time.Duration;

/**
 * Web UI settings.
 *
 * @param baseUrl the UI's public origin (e.g. {@code https://gatehouse.example}); null: the
 *     control plane's own URL. OIDC's redirect URI is {@code baseUrl + /ui/oidc/callback}, and
 *     state-changing requests must come from this origin (or the one the request was sent to).
 * @param oidc OIDC sign-in, or null for token sign-in only
 * @param signInHint a line shown on the sign-in page (the demo says where its tokens are), or null
 * @param idle a signed-in session ends after this long without a request
 * @param absolute and at the latest this long after sign-in
 */
public record WebOptions(String baseUrl, OidcLogin.Config oidc, String signInHint, Duration idle, Duration absolute) {
  public static final Duration DEFAULT_IDLE = Duration.ofHours(1);
  public static final Duration DEFAULT_ABSOLUTE = Duration.ofHours(8);

  public WebOptions {
    if (baseUrl != null) {
      baseUrl = baseUrl.replaceAll("/+$", "");
      java.net.URI u;
      try {
        u = java.net.URI.create(baseUrl);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("the UI base URL " + baseUrl + " is not a URL: " + e.getMessage());
      }
      if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null
          || (u.getRawPath() != null && !u.getRawPath().isEmpty()) || u.getRawQuery() != null) {
        throw new IllegalArgumentException("the UI base URL must be an origin such as https://gatehouse.example, not " + baseUrl);
      }
    }
    idle = idle == null ? DEFAULT_IDLE : idle;
    absolute = absolute == null ? DEFAULT_ABSOLUTE : absolute;
  }

  public static WebOptions defaults() {
    return new WebOptions(null, null, null, null, null);
  }

  public WebOptions withOidc(OidcLogin.Config c) {
    return new WebOptions(baseUrl, c, signInHint, idle, absolute);
  }

  public WebOptions withBaseUrl(String u) {
    return new WebOptions(u, oidc, signInHint, idle, absolute);
  }

  public WebOptions withSignInHint(String h) {
    return new WebOptions(baseUrl, oidc, h, idle, absolute);
  }

  public WebOptions withSessionLimits(Duration idleLimit, Duration absoluteLimit) {
    return new WebOptions(baseUrl, oidc, signInHint, idleLimit, absoluteLimit);
  }
}
