package dev.gatehouse.sidecar.envoy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.Policy;
import dev.gatehouse.engine.Rego;
import dev.gatehouse.sidecar.decisionlog.DecisionLogger;
import dev.gatehouse.sidecar.testing.PolicyFixtures;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Envoy's HTTP ext_authz mode: the authorization server receives the original request (method,
 * path after {@code path_prefix}, headers, body) and answers 200 to allow, anything else to deny.
 */
class ExtAuthzHttpServerTest {
  static Vertx vertx;
  static ExtAuthzHttpServer server;
  static HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    Policy policy = Rego.builder()
        .module("rich-authz.rego", ExtAuthzGrpcServerTest.resource("/envoy/rich-authz.rego"))
        .module("http-authz.rego", """
            package envoy.http

            import input.attributes.request.http

            default decision := {"allowed": false, "http_status": 403, "body": "no", "headers": {"x-why": "default"}}

            decision := {"allowed": true, "headers": {"x-user": http.headers["x-user"]}} if {
              http.method == "POST"
              input.parsed_path == ["orders", "42"]
              input.parsed_query.dry_run == ["true"]
              input.parsed_body.qty < 10
              http.headers["x-user"] == "alice"
            }
            """)
        .compile();
    vertx = Vertx.vertx();
    server = ExtAuthzHttpServer.start(vertx, "127.0.0.1", 0, new PolicyFixtures.MutableHolder().set(policy, Map.of()),
        "envoy/http/decision", "/authz", DecisionLogger.DISABLED).toCompletionStage().toCompletableFuture().get();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close().toCompletionStage().toCompletableFuture().get();
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  static HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void allowsWith200AndPassesHeadersBack() throws Exception {
    HttpResponse<String> r = send("POST", "/authz/orders/42?dry_run=true", "{\"qty\":3}",
        "content-type", "application/json", "x-user", "alice");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("x-user")).contains("alice");
  }

  @Test
  void deniesWithThePolicysStatusHeadersAndBody() throws Exception {
    HttpResponse<String> r = send("POST", "/authz/orders/42?dry_run=true", "{\"qty\":30}",
        "content-type", "application/json", "x-user", "alice");
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.body()).isEqualTo("no");
    assertThat(r.headers().firstValue("x-why")).contains("default");
  }

  @Test
  void unusableRequestsGet400NotA5xx() throws Exception {
    HttpResponse<String> r = send("POST", "/authz/orders/42", "{broken", "content-type", "application/json");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("invalid JSON body");
  }
}
