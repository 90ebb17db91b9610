package dev.gatehouse.injector.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.injector.Mappers;
import dev.gatehouse.injector.certs.ServingCertificates;
import dev.gatehouse.injector.config.ConfigLoader;
import dev.gatehouse.injector.config.WebhookConfig;
import dev.gatehouse.injector.policy.DirectoryPolicySource;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/** A webhook on a free loopback port with a generated CA, and clients that trust that CA. */
final class HttpsHarness implements AutoCloseable {
  record Response(int status, String contentType, String text) {
    JsonNode json() {
      try {
        return Mappers.JSON.readTree(text);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + text, e);
      }
    }

    JsonNode review() {
      return json().get("response");
    }
  }

  final Path dir;
  final WebhookServer server;
  final ByteArrayOutputStream logs = new ByteArrayOutputStream();
  private SSLContext trust;
  private HttpClient client;

  HttpsHarness(Path dir, Path policies, String configYaml, Clock clock) throws Exception {
    this.dir = dir;
    ServingCertificates.Bundle certs = ServingCertificates.generate("gatehouse-webhook", "gatehouse-system",
        List.of("localhost", "127.0.0.1"), Duration.ofDays(1), null, null);
    certs.write(dir.resolve("tls"));
    WebhookConfig cfg = ConfigLoader.parse(configYaml, "test-config.yaml");
    server = WebhookServer.start(new WebhookServer.Options(new DirectoryPolicySource(policies),
        dir.resolve("tls/tls.crt"), dir.resolve("tls/tls.key"), "127.0.0.1", 0, cfg,
        new PrintStream(logs, true, StandardCharsets.UTF_8), clock));
    trustOnly(dir.resolve("tls/ca.crt"));
  }

  /**
   * Test config: polls effectively off (tests trigger refreshes), short body timeout.
   *
   * @param serverLines more indented lines for the server section
   * @param sections other top-level sections
   */
  static String config(String serverLines, String sections) {
    return "server:\n  policyPollInterval: 1h\n  tlsPollInterval: 1h\n  bodyTimeout: 700ms\n  headerTimeout: 700ms\n"
        + serverLines + sections;
  }

  void trustOnly(Path caCert) throws Exception {
    trust = sslContext(caCert);
    client = HttpClient.newBuilder().sslContext(trust).version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(30)).build();
  }

  static SSLContext sslContext(Path caCert) throws Exception {
    KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
    ks.load(null, null);
    try (InputStream in = Files.newInputStream(caCert)) {
      ks.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }

  URI uri(String path) {
    return URI.create("https://localhost:" + server.port() + path);
  }

  /** Waits until the first policy load finished (it runs in the background after start). */
  void awaitReady() throws InterruptedException {
    long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!server.ready() && System.nanoTime() < until) {
      Thread.sleep(20);
    }
    if (!server.ready()) {
      throw new AssertionError("webhook not ready; logs:\n" + logs());
    }
  }

  Response post(String path, byte[] body) throws Exception {
    HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    return new Response(r.statusCode(), r.headers().firstValue("content-type").orElse(""), r.body());
  }

  /** A POST whose length is not declared (chunked transfer encoding). */
  Response postChunked(String path, byte[] body) throws Exception {
    HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build(),
        HttpResponse.BodyHandlers.ofString());
    return new Response(r.statusCode(), r.headers().firstValue("content-type").orElse(""), r.body());
  }

  Response get(String path) throws Exception {
    HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    return new Response(r.statusCode(), r.headers().firstValue("content-type").orElse(""), r.body());
  }

  /**
   * Writes {@code head} and then {@code body} over a raw TLS socket, pausing {@code pauseMs}
   * between the two halves of the body, and returns everything the server sent back.
   */
  String raw(String head, byte[] body, long pauseMs) throws Exception {
    try (SSLSocket s = (SSLSocket) trust.getSocketFactory().createSocket("localhost", server.port())) {
      s.setSoTimeout(15_000);
      s.startHandshake();
      OutputStream out = s.getOutputStream();
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      int half = body.length / 2;
      out.write(body, 0, half);
      out.flush();
      if (pauseMs > 0) {
        Thread.sleep(pauseMs);
      }
      try {
        out.write(body, half, body.length - half);
        out.flush();
      } catch (IOException closedByServer) {
        // expected when the server gave up on us first
      }
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      InputStream in = s.getInputStream();
      byte[] buf = new byte[8192];
      try {
        for (int n; (n = in.read(buf)) > 0; ) {
          got.write(buf, 0, n);
          String sofar = got.toString(StandardCharsets.UTF_8);
          int headerEnd = sofar.indexOf("\r\n\r\n");
          if (headerEnd > 0) {
            int cl = sofar.toLowerCase().indexOf("content-length: ");
            if (cl > 0) {
              int len = Integer.parseInt(sofar.substring(cl + 16, sofar.indexOf("\r\n", cl)).trim());
              if (got.size() >= headerEnd + 4 + len) {
                break;
              }
            }
          }
        }
      } catch (IOException e) {
        // connection closed after the answer
      }
      return got.toString(StandardCharsets.UTF_8);
    }
  }

  /**
   * Sends request headers one line at a time, {@code pauseMs} apart, never finishing them, and
   * returns what the server sent back before closing the connection.
   */
  String slowHeaders(String head, long pauseMs) throws Exception {
    try (SSLSocket s = (SSLSocket) trust.getSocketFactory().createSocket("localhost", server.port())) {
      s.setSoTimeout(15_000);
      s.startHandshake();
      OutputStream out = s.getOutputStream();
      try {
        for (String line : head.split("(?<=\r\n)")) {
          out.write(line.getBytes(StandardCharsets.US_ASCII));
          out.flush();
          Thread.sleep(pauseMs);
        }
        out.write("X-Never: done".getBytes(StandardCharsets.US_ASCII));
        out.flush();
      } catch (IOException closedByServer) {
        // expected: the server gave up on us
      }
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      try {
        InputStream in = s.getInputStream();
        byte[] buf = new byte[8192];
        for (int n; (n = in.read(buf)) > 0; ) {
          got.write(buf, 0, n);
        }
      } catch (IOException e) {
        // closed
      }
      return got.toString(StandardCharsets.UTF_8);
    }
  }

  /** Everything logged so far (the server writes its log on its own thread: waits for it first). */
  String logs() {
    server.flushLog(Duration.ofSeconds(10));
    return logs.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    server.close();
  }
}
