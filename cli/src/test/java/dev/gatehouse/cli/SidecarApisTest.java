package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gatehouse sidecar} with {@code --opa-addr} and {@code --decision-log}, run as its own
 * process: OPA's REST API answers from the same policies as the proxy, and both the proxy's and the
 * API's decisions reach the decision log in OPA's event shape.
 */
class SidecarApisTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void servesOpasRestApiAndLogsEveryDecision(@TempDir Path dir) throws Exception {
    HttpServer upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    upstream.createContext("/", ex -> {
      byte[] body = "upstream ok".getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    upstream.start();
    int proxy = freePort();
    int admin = freePort();
    int opa = freePort();
    Path log = dir.resolve("decisions.jsonl");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "dev.gatehouse.cli.Main",
        "sidecar", "--upstream", "http://127.0.0.1:" + upstream.getAddress().getPort(), "--service", "payments-api",
        "--namespace", "payments-prod", "--policies", "../policies", "--listen", "127.0.0.1:" + proxy,
        "--admin-listen", "127.0.0.1:" + admin, "--opa-addr", "127.0.0.1:" + opa, "--decision-log", "file:" + log)
        .redirectErrorStream(true).redirectOutput(dir.resolve("out.txt").toFile()).start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (status(get("http://127.0.0.1:" + admin + "/ready")) != 200) {
        assertThat(p.isAlive()).as(Files.readString(dir.resolve("out.txt"))).isTrue();
        assertThat(System.nanoTime()).as("sidecar ready within 60 s").isLessThan(deadline);
        Thread.sleep(200);
      }

      HttpResponse<String> api = HTTP.send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + opa + "/v1/data/gatehouse/sidecar/decision"))
          .POST(HttpRequest.BodyPublishers.ofString("{\"input\":{\"request\":{\"method\":\"POST\",\"path\":\"/refunds\","
              + "\"headers\":{}},\"subject\":\"bob\",\"service\":\"payments-api\",\"namespace\":\"payments-prod\","
              + "\"now\":\"2026-12-07T20:00:00Z\"}}")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(api.statusCode()).isEqualTo(200);
      JsonNode result = JSON.readTree(api.body());
      assertThat(result.at("/result/allow").asBoolean()).isFalse();
      assertThat(result.at("/result/request_access_hint").asText()).startsWith("gatehouse request create --service payments-api");
      String apiDecision = result.path("decision_id").asText();
      assertThat(apiDecision).isNotEmpty();

      HttpResponse<String> proxied = get("http://127.0.0.1:" + proxy + "/healthz");
      assertThat(proxied.statusCode()).isEqualTo(200);
      assertThat(proxied.body()).isEqualTo("upstream ok");
      String proxyDecision = proxied.headers().firstValue("x-gatehouse-decision-id").orElseThrow();

      List<JsonNode> events = new ArrayList<>();
      while (events.size() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(200);
        events.clear();
        if (Files.exists(log)) {
          for (String line : Files.readAllLines(log)) {
            events.add(JSON.readTree(line));
          }
        }
      }
      assertThat(events).extracting(e -> e.path("decision_id").asText()).contains(apiDecision, proxyDecision);
      assertThat(events).allSatisfy(e -> {
        assertThat(e.path("path").asText()).isEqualTo("gatehouse/sidecar/decision");
        assertThat(e.has("input")).isTrue();
        assertThat(e.has("timestamp")).isTrue();
        assertThat(e.at("/bundles/policies/revision").isTextual()).isTrue();
      });
    } finally {
      p.destroy();
      p.waitFor(10, TimeUnit.SECONDS);
      upstream.stop(0);
    }
  }

  private static HttpResponse<String> get(String url) throws Exception {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      return null;
    }
  }

  private static int status(HttpResponse<String> r) {
    return r == null ? -1 : r.statusCode();
  }
}
