package dev.gatehouse.engine.builtins.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.gatehouse.engine.EvalOptions;
import dev.gatehouse.engine.Policy;
import dev.gatehouse.engine.QueryResult;
import dev.gatehouse.engine.Rego;
import dev.gatehouse.engine.RegoException;
import dev.gatehouse.engine.builtins.NetworkPolicy;
import dev.gatehouse.engine.value.Json;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.Value;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * http.send against a server started on the loopback interface for each test. Error wording was
 * recorded from OPA v1.22.2 against a local server ({@code opa eval --strict-builtin-errors}).
 */
class HttpSendTest {
  private HttpServer server;
  private String base;
  private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
  private final Policy policy = Rego.builder().module("t.rego", "package t\n").compile();
  private static final NetworkPolicy LOCAL = NetworkPolicy.allow(List.of("127.0.0.1"));

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/echo", ex -> {
      count(ex);
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String json = "{\"method\": " + Json.quote(ex.getRequestMethod()) + ", \"x\": "
          + Json.quote(String.valueOf(ex.getRequestHeaders().getFirst("X-Test"))) + ", \"body\": " + Json.quote(body) + "}";
      reply(ex, 200, "application/json", json, Map.of());
    });
    server.createContext("/text", ex -> {
      count(ex);
      reply(ex, 200, "text/plain", "{\"a\": 1}", Map.of());
    });
    server.createContext("/cacheable", ex -> {
      count(ex);
      reply(ex, 200, "application/json", "{\"n\": " + hits.get("/cacheable").get() + "}",
          Map.of("Cache-Control", "max-age=60", "Date", DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC))));
    });
    server.createContext("/nocache", ex -> {
      count(ex);
      reply(ex, 200, "application/json", "{\"n\": " + hits.get("/nocache").get() + "}", Map.of("Cache-Control", "no-store"));
    });
    server.createContext("/slow", ex -> {
      count(ex);
      try {
        Thread.sleep(2_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      reply(ex, 200, "text/plain", "late", Map.of());
    });
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private void count(HttpExchange ex) {
    hits.computeIfAbsent(ex.getRequestURI().getPath(), k -> new AtomicInteger()).incrementAndGet();
  }

  private static void reply(HttpExchange ex, int status, String type, String body, Map<String, String> headers)
      throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", type);
    headers.forEach((k, v) -> ex.getResponseHeaders().add(k, v));
    ex.sendResponseHeaders(status, b.length);
    ex.getResponseBody().write(b);
    ex.close();
  }

  private int hitsOf(String path) {
    AtomicInteger n = hits.get(path);
    return n == null ? 0 : n.get();
  }

  private Value send(String query, NetworkPolicy net, long nowNanos) {
    EvalOptions.Builder b = EvalOptions.builder().strictBuiltinErrors(true).network(net);
    if (nowNanos > 0) {
      b.nowNanos(nowNanos);
    }
    List<QueryResult> rs = policy.prepare(query).eval(b.build());
    assertThat(rs).hasSize(1);
    return rs.get(0).bindings().get("r");
  }

  private Value send(String request, NetworkPolicy net) {
    return send("r := http.send(" + request + ")", net, 0);
  }

  @Test
  void isOffUnlessTheEmbedderAllowsIt() {
    assertThatThrownBy(() -> send("{\"method\": \"get\", \"url\": \"" + base + "/echo\"}", NetworkPolicy.DENY_ALL))
        .isInstanceOf(RegoException.class)
        .hasMessageContaining("http.send: disallowed host: 127.0.0.1")
        .hasMessageContaining("not allowed");
    assertThat(hitsOf("/echo")).isZero();
  }

  @Test
  void onlyListedHostsAreReached() {
    assertThatThrownBy(() -> send("{\"method\": \"get\", \"url\": \"" + base + "/echo\"}",
        NetworkPolicy.allow(List.of("example.com"))))
        .hasMessageContaining("disallowed host: 127.0.0.1");
    assertThat(hitsOf("/echo")).isZero();
  }

  @Test
  void sendsMethodHeadersAndBodyAndShapesTheResponseAsOpa() {
    ObjectValue r = (ObjectValue) send("{\"method\": \"post\", \"url\": \"" + base + "/echo\","
        + " \"headers\": {\"x-test\": \"yes\"}, \"body\": {\"k\": [1, 2]}}", LOCAL);
    assertThat(r.get("status")).hasToString("\"200 OK\"");
    assertThat(r.get("status_code")).hasToString("200");
    assertThat(Json.write(r.get("body"))).isEqualTo("{\"body\":\"{\\\"k\\\":[1,2]}\",\"method\":\"POST\",\"x\":\"yes\"}");
    assertThat(r.get("raw_body").toString()).contains("\\\"method\\\": \\\"POST\\\"");
    assertThat(Json.write(((ObjectValue) r.get("headers")).get("content-type"))).isEqualTo("[\"application/json\"]");
  }

  @Test
  void rawBodyTakesPrecedenceOverBody() {
    ObjectValue r = (ObjectValue) send("{\"method\": \"put\", \"url\": \"" + base + "/echo\","
        + " \"body\": {\"ignored\": true}, \"raw_body\": \"plain\"}", LOCAL);
    assertThat(Json.write(((ObjectValue) r.get("body")).get("body"))).isEqualTo("\"plain\"");
  }

  @Test
  void bodiesAreDecodedOnlyForJsonUnlessForced() {
    ObjectValue plain = (ObjectValue) send("{\"method\": \"get\", \"url\": \"" + base + "/text\"}", LOCAL);
    assertThat(plain.get("body")).hasToString("null");
    ObjectValue forced = (ObjectValue) send("{\"method\": \"get\", \"url\": \"" + base + "/text\", \"force_json_decode\": true}", LOCAL);
    assertThat(Json.write(forced.get("body"))).isEqualTo("{\"a\":1}");
  }

  @Test
  void aTimeoutIsRaisedWithOpasMessage() {
    assertThatThrownBy(() -> send("{\"method\": \"get\", \"url\": \"" + base + "/slow\", \"timeout\": \"200ms\"}", LOCAL))
        .hasMessageContaining("http.send: Get " + base + "/slow: request timed out");
  }

  @Test
  void raiseErrorFalseGivesStatusCodeZeroAndAnErrorObject() {
    Value r = send("{\"method\": \"get\", \"url\": \"" + base + "/slow\", \"timeout\": \"200ms\", \"raise_error\": false}", LOCAL);
    assertThat(Json.write(r)).isEqualTo("{\"error\":{\"code\":\"eval_http_send_network_error\",\"message\":\"Get \\\""
        + base + "/slow\\\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)\"},\"status_code\":0}");
  }

  @Test
  void aRefusedConnectionIsANetworkError() throws IOException {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    Value r = send("{\"method\": \"get\", \"url\": \"http://127.0.0.1:" + closed + "/\", \"raise_error\": false}", LOCAL);
    assertThat(Json.write(r)).isEqualTo("{\"error\":{\"code\":\"eval_http_send_network_error\",\"message\":\"Get \\\"http://127.0.0.1:"
        + closed + "/\\\": dial tcp 127.0.0.1:" + closed + ": connect: connection refused\"},\"status_code\":0}");
  }

  @Test
  void invalidRequestKeysBecomeAnErrorObjectWhenNotRaised() {
    Value r = send("{\"method\": \"get\", \"url\": \"" + base + "/echo\", \"raise_error\": false, \"foo\": 1}", LOCAL);
    assertThat(Json.write(r)).contains("\"code\":\"eval_http_send_internal_error\"")
        .contains("eval_type_error: http.send: operand 1 invalid request parameters(s): {\\\"foo\\\"}");
  }

  @Test
  void oneQuerySendsAnIdenticalRequestOnce() {
    String req = "{\"method\": \"get\", \"url\": \"" + base + "/nocache\"}";
    send("a := http.send(" + req + "); b := http.send(" + req + "); r := [a, b]", LOCAL, 0);
    assertThat(hitsOf("/nocache")).isEqualTo(1);
  }

  @Test
  void withoutCacheEachQuerySendsAgain() {
    String req = "{\"method\": \"get\", \"url\": \"" + base + "/cacheable\"}";
    send(req, LOCAL);
    send(req, LOCAL);
    assertThat(hitsOf("/cacheable")).isEqualTo(2);
  }

  @Test
  void cacheKeepsFreshResponsesAcrossQueriesOfThePolicy() {
    String req = "{\"method\": \"get\", \"url\": \"" + base + "/cacheable\", \"cache\": true}";
    Value first = send(req, LOCAL);
    Value second = send(req, LOCAL);
    assertThat(hitsOf("/cacheable")).isEqualTo(1);
    assertThat(second).isEqualTo(first);
  }

  @Test
  void noStoreResponsesAreNotCachedAcrossQueries() {
    String req = "{\"method\": \"get\", \"url\": \"" + base + "/nocache\", \"cache\": true}";
    send(req, LOCAL);
    send(req, LOCAL);
    assertThat(hitsOf("/nocache")).isEqualTo(2);
  }

  @Test
  void forceCacheHoldsForItsDurationOfQueryTime() {
    String req = "{\"method\": \"get\", \"url\": \"" + base + "/nocache\", \"force_cache\": true,"
        + " \"force_cache_duration_seconds\": 10}";
    long t0 = 1_700_000_000_000_000_000L;
    send("r := http.send(" + req + ")", LOCAL, t0);
    send("r := http.send(" + req + ")", LOCAL, t0 + 5_000_000_000L);
    assertThat(hitsOf("/nocache")).isEqualTo(1);
    send("r := http.send(" + req + ")", LOCAL, t0 + 11_000_000_000L);
    assertThat(hitsOf("/nocache")).isEqualTo(2);
  }

  @Test
  void forceCacheWithoutADurationIsAnError() {
    assertThatThrownBy(() -> send("{\"method\": \"get\", \"url\": \"" + base + "/echo\", \"force_cache\": true}", LOCAL))
        .hasMessageContaining("'force_cache' set but 'force_cache_duration_seconds' parameter is missing");
  }

  @Test
  void cacheIgnoredHeadersDoNotSplitTheCache() {
    String a = "{\"method\": \"get\", \"url\": \"" + base + "/cacheable\", \"cache\": true,"
        + " \"headers\": {\"x-request-id\": \"1\"}, \"cache_ignored_headers\": [\"x-request-id\"]}";
    String b = a.replace("\"x-request-id\": \"1\"", "\"x-request-id\": \"2\"");
    send(a, LOCAL);
    send(b, LOCAL);
    assertThat(hitsOf("/cacheable")).isEqualTo(1);
  }
}
