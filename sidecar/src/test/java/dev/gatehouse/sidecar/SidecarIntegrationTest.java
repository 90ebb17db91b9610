package dev.gatehouse.sidecar;

import static dev.gatehouse.sidecar.SidecarHarness.await;
import static dev.gatehouse.sidecar.SidecarHarness.signed;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.sync.fixture.Grants;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sidecar end to end: real upstream, fixture bundle server (signed policies + grants), JWT callers. */
class SidecarIntegrationTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir
  static Path dir;
  static SidecarHarness h;

  @BeforeAll
  static void start() throws Exception {
    h = new SidecarHarness(dir);
    h.startSidecar(false, null);
    h.publishGrants(List.of());
  }

  @AfterAll
  static void stop() throws Exception {
    h.close();
  }

  @Test
  void noGrantIsA403WithTheReasonAndTheCommandThatWouldGrantIt() throws Exception {
    h.publishGrants(List.of());
    HttpResponse<String> r = h.get("/v1/payments", h.bearer("carol"));
    assertThat(r.statusCode()).isEqualTo(403);
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.get("error").asText()).isEqualTo("forbidden");
    assertThat(body.get("reason").asText()).isEqualTo("no grant lets carol read on payments-api");
    assertThat(body.get("request_access_hint").asText()).startsWith("gatehouse request").contains("payments-api")
        .contains("read");
    String id = r.headers().firstValue("x-gatehouse-decision-id").orElseThrow();
    assertThat(body.get("decision_id").asText()).isEqualTo(id);
    assertThat(h.logText()).contains("\"msg\":\"request denied\"").contains(id);
  }

  @Test
  void aGrantAdmitsTheRequestAndBodiesAreStreamedToTheUpstream() throws Exception {
    h.publishGrants(List.of(signed(h.activeGrant("g-100", "alice", List.of("read", "write"))),
        signed(h.activeGrant("g-101", "henry", List.of("read")))));
    HttpResponse<String> r = h.get("/v1/payments?limit=5", h.bearer("alice"));
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode up = JSON.readTree(r.body());
    assertThat(up.get("uri").asText()).isEqualTo("/v1/payments?limit=5");
    assertThat(up.get("subject").asText()).isEqualTo("alice");
    assertThat(r.headers().firstValue("x-gatehouse-decision-id")).hasValue(up.get("decision_id").asText());
    assertThat(r.headers().firstValue("x-upstream")).hasValue("yes");

    // 8 MB in 64 KB pieces, without a content length (chunked): arrives whole, streamed.
    byte[] chunk = new byte[64 * 1024];
    HttpRequest post = HttpRequest.newBuilder(h.url("/v1/refunds")).header("Authorization", h.bearer("alice"))
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new InputStream() {
          int left = 128;
          int pos = chunk.length;

          @Override
          public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
          }

          @Override
          public int read(byte[] b, int off, int len) {
            if (pos == chunk.length) {
              if (left-- == 0) {
                return -1;
              }
              pos = 0;
            }
            int n = Math.min(len, chunk.length - pos);
            pos += n;
            return n;
          }
        })).build();
    HttpResponse<String> pr = h.http.send(post, HttpResponse.BodyHandlers.ofString());
    assertThat(pr.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(pr.body()).get("bytes").asLong()).isEqualTo(128L * 64 * 1024);

    // A read grant does not cover a write.
    HttpResponse<String> write = h.http.send(HttpRequest.newBuilder(h.url("/v1/refunds"))
        .header("Authorization", h.bearer("henry")).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(write.statusCode()).isEqualTo(403);
    assertThat(JSON.readTree(write.body()).get("reason").asText()).isEqualTo(
        "grant g-101 covers read, not write, on payments-api");
  }

  @Test
  void revocationDeniesWithinASecondAndClosesAnOpenWebSocketAndStream() throws Exception {
    ObjectNode g = h.activeGrant("g-200", "dave", List.of("read"));
    h.publishGrants(List.of(signed(g)));
    assertThat(h.get("/v1/payments", h.bearer("dave")).statusCode()).isEqualTo(200);

    LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();
    CompletableFuture<Integer> closed = new CompletableFuture<>();
    WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().header("Authorization", h.bearer("dave"))
        .buildAsync(URI.create("ws://127.0.0.1:" + h.sidecar.port() + "/ws"), new WebSocket.Listener() {
          @Override
          public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
            messages.add(data.toString());
            w.request(1);
            return null;
          }

          @Override
          public CompletionStage<?> onClose(WebSocket w, int status, String reason) {
            closed.complete(status);
            return null;
          }

          @Override
          public void onError(WebSocket w, Throwable error) {
            closed.complete(-1);
          }
        }).get(5, TimeUnit.SECONDS);
    ws.sendText("hello", true).get(5, TimeUnit.SECONDS);
    assertThat(messages.poll(5, TimeUnit.SECONDS)).isEqualTo("echo:hello");

    // A streaming response on a second connection.
    HttpResponse<InputStream> stream = h.http.send(HttpRequest.newBuilder(h.url("/stream"))
        .header("Authorization", h.bearer("dave")).build(), HttpResponse.BodyHandlers.ofInputStream());
    assertThat(stream.statusCode()).isEqualTo(200);
    InputStream in = stream.body();
    assertThat(in.read(new byte[64])).isPositive();
    await(() -> h.sidecar.trackedConnections() >= 2, 2000);

    long t0 = System.nanoTime();
    h.server.publish("grants", Grants.bundle(h.seq.incrementAndGet(), List.of(
        signed(Grants.revoked(g, h.clock.instant(), "security-team"))), SidecarHarness.KEY));
    int status = closed.get(1500, TimeUnit.MILLISECONDS);
    long wsMs = (System.nanoTime() - t0) / 1_000_000;
    assertThat(status).isEqualTo(1008);
    assertThat(wsMs).as("WebSocket closed after revocation (ms)").isLessThan(1000);
    CompletableFuture<Long> streamEnd = CompletableFuture.supplyAsync(() -> {
      try {
        byte[] buf = new byte[256];
        while (in.read(buf) >= 0) {
          // drain until the sidecar closes the connection
        }
      } catch (java.io.IOException e) {
        // a reset is also a close
      }
      return (System.nanoTime() - t0) / 1_000_000;
    });
    assertThat(streamEnd.get(2, TimeUnit.SECONDS)).as("stream closed after revocation (ms)").isLessThan(1000);
    HttpResponse<String> after = h.get("/v1/payments", h.bearer("dave"));
    assertThat(after.statusCode()).isEqualTo(403);
    assertThat(JSON.readTree(after.body()).get("reason").asText()).startsWith("grant g-200 was revoked");
    assertThat(h.logText()).contains("connection closed: its grant no longer allows it");
  }

  @Test
  void publicHealthPathsNeedNoIdentityButOtherPathsDo() throws Exception {
    assertThat(h.get("/healthz", null).statusCode()).isEqualTo(200);
    HttpResponse<String> anon = h.get("/v1/payments", null);
    assertThat(anon.statusCode()).isEqualTo(403);
    assertThat(JSON.readTree(anon.body()).get("reason").asText()).startsWith("unauthenticated");
  }

  @Test
  void badTokensAre401AndNeverReachTheUpstream() throws Exception {
    h.publishGrants(List.of(signed(h.activeGrant("g-300", "erin", List.of("read")))));
    long before = h.upstream.requests.get();
    Instant soon = h.clock.instant().plus(Duration.ofMinutes(5));
    Tokens other = new Tokens("idp-1"); // same kid, another key
    String[] bad = {
        "Bearer " + h.idp.token("erin", Tokens.AUDIENCE, h.clock.instant().minus(Duration.ofMinutes(5))), // expired
        "Bearer " + Tokens.unsecured("erin", soon), // alg none
        "Bearer " + h.idp.token("erin", "another-service", soon), // wrong audience
        "Bearer " + h.idp.token("erin", "https://evil.example.com", Tokens.AUDIENCE, soon), // wrong issuer
        "Bearer " + other.token("erin", Tokens.AUDIENCE, soon), // bad signature
        "Bearer not.a.jwt",
    };
    for (String token : bad) {
      HttpResponse<String> r = h.get("/v1/payments", token);
      assertThat(r.statusCode()).as(token).isEqualTo(401);
      assertThat(JSON.readTree(r.body()).get("error").asText()).isEqualTo("unauthenticated");
      assertThat(r.headers().firstValue("x-gatehouse-decision-id")).isPresent();
    }
    assertThat(h.upstream.requests.get()).isEqualTo(before);
    assertThat(h.get("/v1/payments", h.bearer("erin")).statusCode()).isEqualTo(200);
  }

  @Test
  void encodedSeparatorsAndDotSegmentsAreDeniedAsSent() throws Exception {
    h.publishGrants(List.of(signed(h.activeGrant("g-400", "frank", List.of("read")))));
    String auth = h.bearer("frank");
    for (String path : List.of("/v1/%2e%2e/admin/users", "/v1/payments/../../admin", "/v1//payments",
        "/v1/payments%2fx", "/v1/%252e%252e/admin", "/v1/./payments", "/v1\\payments")) {
      String statusLine = rawRequest("GET " + path + " HTTP/1.1\r\nHost: x\r\nAuthorization: " + auth
          + "\r\nConnection: close\r\n\r\n");
      assertThat(statusLine).as(path).startsWith("HTTP/1.1 403");
      assertThat(statusLine).as(path).contains("not canonical");
    }
    assertThat(rawRequest("GET /v1/payments HTTP/1.1\r\nHost: x\r\nAuthorization: " + auth
        + "\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 200");
  }

  @Test
  void oversizedHeadersAndMalformedRequestsAreRefusedWithout5xx() throws Exception {
    String big = "x".repeat(20_000);
    assertThat(rawRequest("GET /v1/payments HTTP/1.1\r\nHost: x\r\nX-Big: " + big + "\r\nConnection: close\r\n\r\n"))
        .matches("HTTP/1.1 431[\\s\\S]*");
    assertThat(rawRequest("BLAH\r\n\r\n")).matches("HTTP/1.[01] 400[\\s\\S]*");
    HttpResponse<String> r = h.http.send(HttpRequest.newBuilder(h.url("/v1/payments"))
        .method("TRACE", HttpRequest.BodyPublishers.noBody()).header("Authorization", h.bearer("alice")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(JSON.readTree(r.body()).get("reason").asText()).isEqualTo("method TRACE is not allowed by this sidecar");
  }

  @Test
  void http2CleartextIsProxied() throws Exception {
    h.publishGrants(List.of(signed(h.activeGrant("g-500", "gina", List.of("read")))));
    HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
    HttpResponse<String> r = h2.send(HttpRequest.newBuilder(h.url("/v1/payments")).header("Authorization", h.bearer("gina"))
        .build(), HttpResponse.BodyHandlers.ofString());
    // The first request upgrades (h2c); send a second one on the HTTP/2 connection.
    HttpResponse<String> r2 = h2.send(HttpRequest.newBuilder(h.url("/v1/payments")).header("Authorization", h.bearer("gina"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r2.statusCode()).isEqualTo(200);
    assertThat(r2.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(r2.headers().firstValue("x-gatehouse-decision-id")).isPresent();
  }

  @Test
  void healthShowsBundleStatusAndMetricsCountDecisions() throws Exception {
    HttpResponse<String> health = h.admin("/health");
    assertThat(health.statusCode()).isEqualTo(200);
    JsonNode body = JSON.readTree(health.body());
    assertThat(body.get("status").asText()).isEqualTo("ok");
    assertThat(body.get("bundles")).extracting(b -> b.get("name").asText()).containsExactly("policies", "grants");
    h.get("/v1/payments", h.bearer("nobody"));
    String metrics = h.admin("/metrics").body();
    assertThat(metrics).contains("gatehouse_sidecar_requests_total{outcome=\"deny\"}")
        .contains("gatehouse_sidecar_decision_duration_seconds_count")
        .contains("gatehouse_bundle_downloads_total{bundle=\"grants\",result=\"ok\"}")
        .contains("gatehouse_bundle_healthy{bundle=\"policies\"} 1");
    assertThat(h.admin("/nope").statusCode()).isEqualTo(404);
  }

  private String rawRequest(String request) throws Exception {
    try (Socket s = new Socket("127.0.0.1", h.sidecar.port())) {
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }
}
