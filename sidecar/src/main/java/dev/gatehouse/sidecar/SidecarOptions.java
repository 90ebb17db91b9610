package dev.gatehouse.sidecar;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.Consumer;

/**
 * How to run a sidecar.
 *
 * @param upstream the service behind the sidecar (http://host:port)
 * @param listenHost proxy listen address; {@code listenPort} 0 picks a free port
 * @param adminHost admin listener (/health, /ready, /live, /metrics); {@code adminPort} 0 picks one
 * @param service the service name the policy decides for
 * @param namespace its namespace (null: not part of decisions)
 * @param tls serving certificate and client CA for mTLS (null: cleartext, HTTP/1.1 and h2c)
 * @param jwt bearer-token verification (null: bearer tokens are not identities)
 * @param identityHeader header carrying a mesh-forwarded identity, trusted (null: none)
 * @param clock the clock decisions use ({@code now}); tests shift it
 * @param log where JSON log lines go
 * @param decisionListener receives every decision (decision logs); null for none. Must not block.
 */
public record SidecarOptions(URI upstream, String listenHost, int listenPort, String adminHost, int adminPort,
    String service, String namespace, Tls tls, Jwt jwt, String identityHeader, Clock clock, PrintStream log,
    Consumer<Decision> decisionListener) {

  /** PEM serving certificate chain and key; {@code clientCa} PEM CA bundle that client certificates must chain to. */
  public record Tls(Path cert, Path key, Path clientCa) {}

  /** JWKS (URL or file), expected issuer and audience (null: not checked), subject claim (null: sub). */
  public record Jwt(String jwks, String issuer, String audience, String subjectClaim) {}

  public SidecarOptions {
    if (upstream == null || upstream.getHost() == null
        || !("http".equals(upstream.getScheme()) || "https".equals(upstream.getScheme()))) {
      throw new IllegalArgumentException("--upstream must be an http:// or https:// URL with a host, got " + upstream);
    }
    if (service == null || service.isBlank()) {
      throw new IllegalArgumentException("a service name is required (--service)");
    }
    clock = clock == null ? Clock.systemUTC() : clock;
    log = log == null ? System.out : log;
  }

  public int upstreamPort() {
    return upstream.getPort() > 0 ? upstream.getPort() : "https".equals(upstream.getScheme()) ? 443 : 80;
  }
}
