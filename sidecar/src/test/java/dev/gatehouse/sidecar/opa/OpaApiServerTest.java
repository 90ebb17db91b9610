package dev.gatehouse.sidecar.opa;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.engine.Rego;
import dev.gatehouse.sidecar.decisionlog.DecisionLogConfig;
import dev.gatehouse.sidecar.decisionlog.DecisionLogger;
import dev.gatehouse.sidecar.testing.PolicyFixtures;
import dev.gatehouse.sync.BundleStatus;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Behaviour beyond the recorded fixtures: readiness, bundle swaps, decision logs, limits. */
class OpaApiServerTest {
  static final ObjectMapper JSON = new ObjectMapper();
  Vertx vertx;
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  OpaApiServer start(OpaApiOptions o, PolicyFixtures.MutableHolder holder, List<BundleStatus> status,
      DecisionLogger logger) throws Exception {
    return OpaApiServer.start(vertx, o, holder, () -> status, logger).toCompletionStage().toCompletableFuture().get();
  }

  HttpResponse<String> send(OpaApiServer s, String method, String path, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void healthWaitsForTheFirstActivation() throws Exception {
    PolicyFixtures.MutableHolder holder = new PolicyFixtures.MutableHolder();
    List<BundleStatus> status = new ArrayList<>(List.of(new BundleStatus("policies", null, null, null, "connection refused")));
    OpaApiServer s = start(OpaApiOptions.of("127.0.0.1", 0), holder, status, null);
    assertThat(send(s, "GET", "/health", null).statusCode()).isEqualTo(200); // the server is up
    HttpResponse<String> r = send(s, "GET", "/health?bundles", null);
    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(JSON.readTree(r.body()).get("error").asText()).isEqualTo("one or more bundles are not activated: policies");
    assertThat(send(s, "GET", "/health?plugins", null).statusCode()).isEqualTo(500);
    assertThat(send(s, "GET", "/health?plugins&exclude-plugin=bundle", null).statusCode()).isEqualTo(200);

    holder.set(Rego.builder().module("a.rego", "package a\n\nx := 1\n").compile(), Map.of("policies", "r1"));
    status.set(0, new BundleStatus("policies", "r1", Instant.now(), Instant.now(), null));
    assertThat(send(s, "GET", "/health?bundles", null).statusCode()).isEqualTo(200);
    // a later download error does not make an activated bundle unready, as in OPA
    status.set(0, new BundleStatus("policies", "r1", Instant.now(), Instant.now(), "HTTP 500"));
    assertThat(send(s, "GET", "/health?bundles&plugins", null).statusCode()).isEqualTo(200);
  }

  @Test
  void queriesFollowBundleSwapsAndKeepRuntimePolicies() throws Exception {
    PolicyFixtures.MutableHolder holder = new PolicyFixtures.MutableHolder()
        .set(Rego.builder().module("b.rego", "package b\n\nv := 1\n").compile(), Map.of("b", "r1"));
    OpaApiServer s = start(OpaApiOptions.of("127.0.0.1", 0).withBundleRoots(() -> Map.of("b", List.of("b"))),
        holder, List.of(), null);
    assertThat(send(s, "PUT", "/v1/policies/extra", "package c\n\nw := data.b.v * 10\n").statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(send(s, "GET", "/v1/data/c/w", null).body()).get("result").asInt()).isEqualTo(10);
    holder.set(Rego.builder().module("b.rego", "package b\n\nv := 2\n").compile(), Map.of("b", "r2"));
    assertThat(JSON.readTree(send(s, "GET", "/v1/data/c/w", null).body()).get("result").asInt()).isEqualTo(20);
    // no decision logger: no decision_id, as OPA without decision logging
    assertThat(JSON.readTree(send(s, "GET", "/v1/data/b/v", null).body()).has("decision_id")).isFalse();
  }

  @Test
  void withoutKnownRootsEveryActiveBundleOwnsEverything() throws Exception {
    PolicyFixtures.MutableHolder holder = new PolicyFixtures.MutableHolder()
        .set(Rego.builder().module("b.rego", "package b\n\nv := 1\n").compile(), Map.of("main", "r1"));
    OpaApiServer s = start(OpaApiOptions.of("127.0.0.1", 0), holder, List.of(), null);
    HttpResponse<String> r = send(s, "PUT", "/v1/data/anything", "{}");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(r.body()).get("message").asText()).isEqualTo("path anything is owned by bundle \"main\"");
    assertThat(send(s, "PUT", "/v1/policies/p", "package z\n\nq := 1\n").statusCode()).isEqualTo(400);
  }

  @Test
  void decisionsAreLoggedWithTheIdTheClientSaw() throws Exception {
    List<ObjectNode> events = Collections.synchronizedList(new ArrayList<>());
    DecisionLogger logger = new DecisionLogger(DecisionLogConfig.defaults(), List.of(events::add), Optional::empty);
    PolicyFixtures.MutableHolder holder = new PolicyFixtures.MutableHolder()
        .set(Rego.builder().module("b.rego", "package b\n\nallow if input.user == \"alice\"\n").compile(),
            Map.of("authz", "rev-9"));
    OpaApiServer s = start(OpaApiOptions.of("127.0.0.1", 0), holder, List.of(), logger);
    JsonNode resp = JSON.readTree(send(s, "POST", "/v1/data/b/allow?metrics", "{\"input\":{\"user\":\"alice\"}}").body());
    String id = resp.get("decision_id").asText();
    assertThat(resp.get("result").asBoolean()).isTrue();
    assertThat(resp.at("/metrics/timer_rego_query_eval_ns").asLong()).isPositive();
    logger.close();
    assertThat(events).hasSize(1);
    ObjectNode e = events.get(0);
    assertThat(e.get("decision_id").asText()).isEqualTo(id);
    assertThat(e.get("path").asText()).isEqualTo("b/allow");
    assertThat(e.at("/input/user").asText()).isEqualTo("alice");
    assertThat(e.get("result").asBoolean()).isTrue();
    assertThat(e.at("/bundles/authz/revision").asText()).isEqualTo("rev-9");
  }

  @Test
  void oversizedBodiesAre413AndMalformedOnes400() throws Exception {
    OpaApiServer s = start(new OpaApiOptions("127.0.0.1", 0, null, 1024), new PolicyFixtures.MutableHolder(),
        List.of(), null);
    assertThat(send(s, "POST", "/v1/data/x", "{\"input\":\"" + "a".repeat(2000) + "\"}").statusCode()).isEqualTo(413);
    assertThat(send(s, "POST", "/v1/data/x", "\u0000\u0001").statusCode()).isEqualTo(400);
    assertThat(send(s, "POST", "/v1/data/x", "[1]").statusCode()).isEqualTo(400);
    assertThat(send(s, "POST", "/v1/data/a%2Fb/c", "{}").statusCode()).isEqualTo(200);
  }

  @Test
  void deeplyNestedDocumentsAreRefusedNotCrashedOn() throws Exception {
    OpaApiServer s = start(OpaApiOptions.of("127.0.0.1", 0), new PolicyFixtures.MutableHolder(), List.of(), null);
    assertThat(send(s, "POST", "/v1/data/x", "{\"input\":" + "[".repeat(900) + "]".repeat(900) + "}").statusCode())
        .isEqualTo(200);
    assertThat(send(s, "PUT", "/v1/data/deep", "[".repeat(100_000)).statusCode()).isEqualTo(400);
    assertThat(send(s, "PATCH", "/v1/data/deep", "[{\"op\":\"add\",\"path\":\"/a/b/c\",\"value\":1}]").statusCode())
        .isEqualTo(404);
    assertThat(send(s, "GET", "/v1/data/x?input=" + "%5B".repeat(10_000), null).statusCode()).isLessThan(500);
  }

  @Test
  void addressesParseAsOpasAddrFlag() {
    assertThat(OpaApiOptions.parseAddr(":8181")).extracting(OpaApiOptions::host, OpaApiOptions::port)
        .containsExactly("0.0.0.0", 8181);
    assertThat(OpaApiOptions.parseAddr("127.0.0.1:9000").host()).isEqualTo("127.0.0.1");
    assertThat(OpaApiOptions.parseAddr("[::1]:9000").host()).isEqualTo("::1");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> OpaApiOptions.parseAddr("localhost:http"))
        .hasMessageContaining("host:port");
  }

  @Test
  void readOnlyRefusesWritesAsOpasAuthorizationDoes() throws Exception {
    OpaApiServer s = start(OpaApiOptions.of("127.0.0.1", 0).withReadOnly(true), new PolicyFixtures.MutableHolder(),
        List.of(), null);
    HttpResponse<String> r = send(s, "PUT", "/v1/policies/x", "package x\n");
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(JSON.readTree(r.body()).get("code").asText()).isEqualTo("unauthorized");
    assertThat(send(s, "PATCH", "/v1/data/x", "[]").statusCode()).isEqualTo(401);
    assertThat(send(s, "GET", "/v1/data/x", null).statusCode()).isEqualTo(200);
  }

  @Test
  void gzipBodiesAreAccepted() throws Exception {
    PolicyFixtures.MutableHolder holder = new PolicyFixtures.MutableHolder()
        .set(Rego.builder().module("b.rego", "package b\n\nallow if input.user == \"alice\"\n").compile(), Map.of());
    OpaApiServer s = start(OpaApiOptions.of("127.0.0.1", 0), holder, List.of(), null);
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(bytes)) {
      gz.write("{\"input\":{\"user\":\"alice\"}}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/v1/data/b/allow"))
        .header("Content-Encoding", "gzip").POST(HttpRequest.BodyPublishers.ofByteArray(bytes.toByteArray())).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(JSON.readTree(r.body()).get("result")).as(r.body()).isNotNull();
    assertThat(JSON.readTree(r.body()).get("result").asBoolean()).isTrue();
  }

  @Test
  void servesHttpsWhenGivenACertificate(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    dev.gatehouse.sidecar.testing.SelfSigned tls = dev.gatehouse.sidecar.testing.SelfSigned.create(dir);
    PolicyFixtures.MutableHolder holder = new PolicyFixtures.MutableHolder()
        .set(Rego.builder().module("b.rego", "package b\n\nv := 7\n").compile(), Map.of());
    OpaApiServer s = start(OpaApiOptions.of("127.0.0.1", 0).withTls(tls.cert(), tls.key()), holder, List.of(), null);
    HttpClient https = HttpClient.newBuilder().sslContext(tls.clientContext()).build();
    HttpResponse<String> r = https.send(HttpRequest.newBuilder(URI.create("https://localhost:" + s.port() + "/v1/data/b/v"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(JSON.readTree(r.body()).get("result").asInt()).isEqualTo(7);
  }

  /** Console lines have the fields of real opa's (recorded from opa v1.22.2's console logger). */
  @Test
  void consoleEventsHaveOpasFields() throws Exception {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    DecisionLogger logger = new DecisionLogger(DecisionLogConfig.defaults(),
        List.of(new dev.gatehouse.sidecar.decisionlog.ConsoleSink(new java.io.PrintStream(out, true,
            java.nio.charset.StandardCharsets.UTF_8))), Optional::empty);
    PolicyFixtures.MutableHolder holder = new PolicyFixtures.MutableHolder()
        .set(PolicyFixtures.libraryPolicy(), Map.of("policies", "fixture-1"));
    OpaApiServer s = start(OpaApiOptions.of("127.0.0.1", 0), holder, List.of(), logger);
    send(s, "POST", "/v1/data/gatehouse/sidecar/decision?metrics", "{\"input\":{\"request\":{\"method\":\"POST\","
        + "\"path\":\"/v1/refunds\",\"headers\":{\"content-type\":\"application/json\"}},\"subject\":\"bob\",\"service\":\"payments-api\","
        + "\"namespace\":\"payments-prod\",\"now\":\"2025-06-02T10:00:00Z\"}}");
    send(s, "POST", "/", "{\"x\":1}");
    logger.close();
    List<String> lines = out.toString(java.nio.charset.StandardCharsets.UTF_8).lines().toList();
    assertThat(lines).hasSize(2);
    for (int i = 0; i < 2; i++) {
      JsonNode ours = JSON.readTree(lines.get(i));
      JsonNode opa = JSON.readTree(getClass().getResourceAsStream(
          i == 0 ? "/opa-rest/opa-console-decision.json" : "/opa-rest/opa-console-undefined.json"));
      List<String> want = new ArrayList<>();
      opa.fieldNames().forEachRemaining(want::add);
      List<String> got = new ArrayList<>();
      ours.fieldNames().forEachRemaining(got::add);
      assertThat(got).containsExactlyInAnyOrderElementsOf(want);
      assertThat(ours.get("path")).isEqualTo(opa.get("path"));
      assertThat(ours.get("type")).isEqualTo(opa.get("type"));
      assertThat(ours.get("labels").has("id")).isTrue();
      if (i == 0) {
        assertThat(ours.get("result")).isEqualTo(opa.get("result"));
        assertThat(ours.get("input")).isEqualTo(opa.get("input"));
        assertThat(ours.get("bundles")).isEqualTo(opa.get("bundles"));
      } else {
        assertThat(ours.get("error")).isEqualTo(opa.get("error"));
      }
    }
  }

  @Test
  void policiesListBundleModulesWithTheirSourceWhenGiven() throws Exception {
    String src = "package b\n\nv := 1\n";
    PolicyFixtures.MutableHolder holder = new PolicyFixtures.MutableHolder()
        .set(Rego.builder().module("/b/b.rego", src).compile(), Map.of("b", "r1"));
    OpaApiServer s = start(OpaApiOptions.of("127.0.0.1", 0).withModuleSources(() -> Map.of("/b/b.rego", src)), holder,
        List.of(), null);
    JsonNode list = JSON.readTree(send(s, "GET", "/v1/policies", null).body()).get("result");
    assertThat(list).hasSize(1);
    assertThat(list.get(0).get("id").asText()).isEqualTo("/b/b.rego");
    assertThat(list.get(0).get("raw").asText()).isEqualTo(src);
    assertThat(list.get(0).at("/ast/package/path/1/value").asText()).isEqualTo("b");
    JsonNode one = JSON.readTree(send(s, "GET", "/v1/policies//b/b.rego", null).body());
    assertThat(one.at("/result/raw").asText()).isEqualTo(src);
  }
}
