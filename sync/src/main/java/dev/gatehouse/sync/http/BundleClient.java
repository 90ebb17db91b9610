package dev.gatehouse.sync.http;

import dev.gatehouse.sync.config.ConfigException;
import dev.gatehouse.sync.config.ServiceConfig;
import dev.gatehouse.sync.config.TlsConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;

/**
 * Downloads bundles from one OPA bundle service over {@code java.net.http}: bearer token (re-read
 * from {@code token_path} on each request, so rotation needs no restart), configured headers,
 * {@code If-None-Match} with the last ETag, and OPA's long polling ({@code Prefer: wait=N}; the
 * server answers as soon as the bundle changes or 304 after N seconds).
 */
public final class BundleClient {
  /** Bundles larger than this are refused rather than read into memory. */
  public static final long MAX_BUNDLE_BYTES = 256L << 20;

  private final ServiceConfig service;
  private final HttpClient http;

  public BundleClient(ServiceConfig service) {
    this.service = service;
    HttpClient.Builder b = HttpClient.newBuilder()
        .connectTimeout(Duration.ofSeconds(10))
        .followRedirects(HttpClient.Redirect.NORMAL);
    TlsConfig tls = service.tls();
    if (tls != null) {
      try {
        b.sslContext(TlsContexts.client(tls));
      } catch (IOException | java.security.GeneralSecurityException e) {
        throw new ConfigException("services." + service.name() + ".tls: " + e.getMessage(), e);
      }
    }
    this.http = b.build();
  }

  public ServiceConfig service() {
    return service;
  }

  /**
   * One request for {@code resource} (relative to the service URL). {@code etag} null asks
   * unconditionally; {@code longPollSeconds} null disables long polling.
   */
  public Download fetch(String resource, String etag, Long longPollSeconds) {
    URI uri = service.url().resolve(resource.startsWith("/") ? resource.substring(1) : resource);
    Duration timeout = service.responseHeaderTimeout();
    if (longPollSeconds != null) {
      timeout = timeout.plusSeconds(longPollSeconds);
    }
    HttpRequest.Builder rb = HttpRequest.newBuilder(uri).timeout(timeout).GET()
        .header("Accept", "application/vnd.openpolicyagent.bundles, application/gzip, application/octet-stream");
    for (Map.Entry<String, String> h : service.headers().entrySet()) {
      rb.header(h.getKey(), h.getValue());
    }
    String token;
    try {
      token = token();
    } catch (IOException e) {
      return new Download.Failed("reading bearer token: " + e.getMessage());
    }
    if (token != null) {
      rb.header("Authorization", service.bearerScheme() + " " + token);
    }
    if (etag != null && !etag.isEmpty()) {
      rb.header("If-None-Match", etag);
    }
    if (longPollSeconds != null) {
      rb.header("Prefer", "wait=" + longPollSeconds);
    }
    HttpResponse<InputStream> resp;
    try {
      resp = http.send(rb.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      return new Download.Failed("GET " + uri + ": " + describe(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Download.Failed("GET " + uri + ": interrupted");
    }
    try (InputStream in = resp.body()) {
      int status = resp.statusCode();
      if (status == 304) {
        return new Download.NotModified();
      }
      if (status != 200) {
        String body = new String(in.readNBytes(512), StandardCharsets.UTF_8).strip();
        return new Download.Failed("GET " + uri + ": server replied with HTTP " + status
            + (body.isEmpty() ? "" : ": " + body));
      }
      byte[] bytes = readBounded(in);
      if (bytes == null) {
        return new Download.Failed("GET " + uri + ": bundle larger than " + MAX_BUNDLE_BYTES + " bytes");
      }
      return new Download.Fetched(bytes, resp.headers().firstValue("ETag").orElse(null));
    } catch (IOException e) {
      return new Download.Failed("GET " + uri + ": reading body: " + describe(e));
    }
  }

  private String token() throws IOException {
    if (service.bearerTokenPath() != null) {
      return Files.readString(service.bearerTokenPath(), StandardCharsets.UTF_8).strip();
    }
    return service.bearerToken();
  }

  private static byte[] readBounded(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[64 * 1024];
    long total = 0;
    int n;
    while ((n = in.read(buf)) >= 0) {
      total += n;
      if (total > MAX_BUNDLE_BYTES) {
        return null;
      }
      out.write(buf, 0, n);
    }
    return out.toByteArray();
  }

  private static String describe(Exception e) {
    String m = e.getMessage();
    return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }
}
