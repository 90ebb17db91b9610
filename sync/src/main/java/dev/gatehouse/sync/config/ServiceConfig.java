package dev.gatehouse.sync.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * One OPA {@code services[]} entry: base URL, extra headers, bearer credentials (a token, or a file
 * re-read on every request so a rotated token is picked up), and TLS settings.
 */
public record ServiceConfig(String name, URI url, Map<String, String> headers, String bearerToken,
    Path bearerTokenPath, String bearerScheme, TlsConfig tls, Duration responseHeaderTimeout) {
  public ServiceConfig {
    headers = Map.copyOf(headers);
    bearerScheme = bearerScheme == null || bearerScheme.isBlank() ? "Bearer" : bearerScheme;
    responseHeaderTimeout = responseHeaderTimeout == null ? Duration.ofSeconds(10) : responseHeaderTimeout;
  }

  /** A plain service with no credentials: tests and {@code --bundle-url} style shortcuts. */
  public static ServiceConfig of(String name, URI url) {
    return new ServiceConfig(name, url, Map.of(), null, null, null, null, null);
  }
}
