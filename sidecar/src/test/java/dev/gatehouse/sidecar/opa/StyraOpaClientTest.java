package dev.gatehouse.sidecar.opa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.sidecar.decisionlog.DecisionLogConfig;
import dev.gatehouse.sidecar.decisionlog.DecisionLogger;
import dev.gatehouse.sidecar.testing.PolicyFixtures;
import dev.gatehouse.sync.BundleStatus;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Styra's OPA client for TypeScript ({@code @styra/opa}, what applications embed) against the
 * drop-in: decisions with and without input, the default decision ({@code POST /}), undefined
 * results, evaluation errors and batch evaluation's fallback to single calls. The client is
 * installed with npm into {@code target/styra-opa-client}; the test is skipped when node or npm
 * are missing or the registry cannot be reached.
 */
class StyraOpaClientTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void styraClientGetsOpaAnswers() throws Exception {
    assumeTrue(runs("node", "--version"), "node is not installed: skipping the @styra/opa client test");
    assumeTrue(runs("npm", "--version"), "npm is not installed: skipping the @styra/opa client test");
    Path dir = Path.of("target", "styra-opa-client").toAbsolutePath();
    Files.createDirectories(dir);
    Path src = Path.of("src", "test", "js");
    Files.copy(src.resolve("package.json"), dir.resolve("package.json"), StandardCopyOption.REPLACE_EXISTING);
    Files.copy(src.resolve("styra-client.mjs"), dir.resolve("styra-client.mjs"), StandardCopyOption.REPLACE_EXISTING);
    if (!Files.isDirectory(dir.resolve("node_modules/@styra/opa"))) {
      Process npm = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--loglevel=error",
          "--fetch-retries=1", "--fetch-timeout=30000")
          .directory(dir.toFile()).redirectErrorStream(true).start();
      String log = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      boolean done = npm.waitFor(5, TimeUnit.MINUTES);
      assumeTrue(done && npm.exitValue() == 0, "npm install @styra/opa failed (registry unreachable?): " + log);
    }

    Vertx vertx = Vertx.vertx();
    DecisionLogger logger = new DecisionLogger(DecisionLogConfig.defaults(), List.of(e -> { }), Optional::empty);
    try {
      PolicyFixtures.MutableHolder holder = new PolicyFixtures.MutableHolder()
          .set(PolicyFixtures.libraryPolicy(), Map.of("policies", "fixture-1"));
      BundleStatus ok = new BundleStatus("policies", "fixture-1", Instant.now(), Instant.now(), null);
      OpaApiServer server = OpaApiServer.start(vertx, OpaApiOptions.of("127.0.0.1", 0)
              .withBundleRoots(() -> Map.of("policies", List.of("gatehouse"))), holder, () -> List.of(ok), logger)
          .toCompletionStage().toCompletableFuture().get();
      String base = "http://127.0.0.1:" + server.port();
      put(base + "/v1/policies/main", "package system\n\nmain := {\"answer\": input.x + 1}\n");
      put(base + "/v1/policies/conflict", "package other.conflict\n\nf := 1 if input.a\n\nf := 2 if input.b\n");

      Process node = new ProcessBuilder("node", "styra-client.mjs", base).directory(dir.toFile())
          .redirectError(ProcessBuilder.Redirect.INHERIT).start();
      String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(node.waitFor(2, TimeUnit.MINUTES)).isTrue();
      assertThat(node.exitValue()).as(out).isZero();
      JsonNode r = JSON.readTree(out);

      assertThat(r.at("/probe/ok/allow").asBoolean()).isTrue();
      assertThat(r.at("/probe/ok/reason").asText()).isEqualTo("standing rule health-checks");
      assertThat(r.at("/refund/ok/allow").asBoolean()).isFalse();
      assertThat(r.at("/refund/ok/request_access_hint").asText()).startsWith("gatehouse request create --service payments-api");
      assertThat(r.at("/no_input/ok/GET").asText()).isEqualTo("read");
      assertThat(r.at("/default/ok/answer").asInt()).isEqualTo(42);
      // no "result" key: the client returns undefined, as it does against OPA
      assertThat(r.at("/undefined/undefined").asBoolean()).as(r.get("undefined").toString()).isTrue();
      assertThat(r.at("/conflict/error").toString()).contains("internal_error");
      assertThat(r.at("/batch/ok/probe/allow").asBoolean()).isTrue();
      assertThat(r.at("/batch/ok/refund/allow").asBoolean()).isFalse();
      assertThat(r.at("/health/ok").asInt()).isEqualTo(200);
      server.close().toCompletionStage().toCompletableFuture().get();
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get();
      logger.close();
    }
  }

  private static void put(String url, String body) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
        .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  private static boolean runs(String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
