package dev.gatehouse.sidecar.decisionlog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.sun.net.httpserver.HttpServer;
import dev.gatehouse.engine.Policy;
import dev.gatehouse.engine.Rego;
import dev.gatehouse.engine.value.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DecisionLoggerTest {
  static final ObjectMapper JSON = new ObjectMapper();

  static DecisionEvent event(String id, String input) {
    return DecisionEvent.of(id, "gatehouse/sidecar/decision", Json.parse(input),
        Json.parse("{\"allow\":false,\"reason\":\"no grant\"}"), Map.of("policies", "rev-7"),
        Map.of("timer_rego_query_eval_ns", 1234L), "10.0.0.7:51234");
  }

  static DecisionLogConfig fast() {
    return DecisionLogConfig.defaults().withFlushInterval(Duration.ofMillis(50)).withLabels(Map.of("id", "sidecar-1"));
  }

  @Test
  void fileSinkWritesOpaShapedJsonLines(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("decisions.jsonl");
    try (DecisionLogger log = new DecisionLogger(fast(), List.of(new FileSink(file, false)), Optional::empty)) {
      assertThat(log.log(event("d-1", "{\"method\":\"GET\",\"path\":\"/orders\"}"))).isTrue();
      assertThat(log.log(event("d-2", "{\"method\":\"POST\",\"path\":\"/orders\"}"))).isTrue();
    }
    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(2);
    JsonNode e = JSON.readTree(lines.get(0));
    assertThat(e.get("decision_id").asText()).isEqualTo("d-1");
    assertThat(e.get("path").asText()).isEqualTo("gatehouse/sidecar/decision");
    assertThat(e.at("/input/path").asText()).isEqualTo("/orders");
    assertThat(e.at("/result/reason").asText()).isEqualTo("no grant");
    assertThat(e.at("/bundles/policies/revision").asText()).isEqualTo("rev-7");
    assertThat(e.at("/labels/id").asText()).isEqualTo("sidecar-1");
    assertThat(e.get("requested_by").asText()).isEqualTo("10.0.0.7:51234");
    assertThat(e.at("/metrics/timer_rego_query_eval_ns").asLong()).isEqualTo(1234);
    assertThat(e.get("timestamp").asText()).endsWith("Z");
  }

  @Test
  void gzipFileIsReadableAsOneStream(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("decisions.jsonl.gz");
    for (int run = 0; run < 2; run++) { // two runs append two gzip members
      try (DecisionLogger log = new DecisionLogger(fast(), List.of(new FileSink(file, true)), Optional::empty)) {
        log.log(event("run-" + run, "{}"));
      }
    }
    String text = new String(new GZIPInputStream(Files.newInputStream(file)).readAllBytes(), StandardCharsets.UTF_8);
    assertThat(text.lines().map(l -> {
      try {
        return JSON.readTree(l).get("decision_id").asText();
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    })).containsExactly("run-0", "run-1");
  }

  @Test
  void staticMasksEraseAndUpsertAsOpaRecordsThem() throws Exception {
    ObjectNode node = (ObjectNode) JSON.readTree(
        "{\"input\":{\"user\":\"bob\",\"password\":\"s3cret\",\"emails\":[{\"v\":1}],\"headers\":{\"authorization\":\"Bearer x\"}},\"result\":true}");
    DecisionLogger.applyMasks(node, List.of(
        MaskRule.remove("/input/password"),
        MaskRule.remove("/input/missing"),            // undefined: ignored, not recorded
        MaskRule.remove("/input/emails/0"),           // array index: undefined in OPA
        MaskRule.upsert("/input/headers/authorization", TextNode.valueOf("**REDACTED**")),
        MaskRule.upsert("/input/meta/masked_by", TextNode.valueOf("gatehouse"))));
    assertThat(node.get("input").has("password")).isFalse();
    assertThat(node.at("/input/emails/0/v").asInt()).isEqualTo(1);
    assertThat(node.at("/input/headers/authorization").asText()).isEqualTo("**REDACTED**");
    assertThat(node.at("/input/meta/masked_by").asText()).isEqualTo("gatehouse");
    assertThat(node.get("erased").toString()).isEqualTo("[\"/input/password\"]");
    assertThat(node.get("masked").toString()).isEqualTo("[\"/input/headers/authorization\",\"/input/meta/masked_by\"]");
  }

  @Test
  void maskPathsOutsideInputAndResultAreRefused() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> MaskRule.remove("/labels/id"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void policyMaskAndDropRulesRunWithTheEventAsInput() throws Exception {
    Policy policy = Rego.builder().module("log.rego", """
        package system.log

        mask contains "/input/password" if input.input.resource == "user"

        mask contains {"op": "upsert", "path": "/input/token", "value": "**REDACTED**"} if input.input.token

        drop if input.input.path == "/healthz"
        """).compile();
    List<ObjectNode> got = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch two = new CountDownLatch(2);
    DecisionSink sink = e -> {
      got.add(e);
      two.countDown();
    };
    DecisionLogger log = new DecisionLogger(fast(), List.of(sink), () -> Optional.of(policy));
    log.log(event("a", "{\"resource\":\"user\",\"password\":\"p\",\"token\":\"t\"}"));
    log.log(event("b", "{\"path\":\"/healthz\"}"));
    log.log(event("c", "{\"resource\":\"order\",\"password\":\"p\"}"));
    assertThat(two.await(5, TimeUnit.SECONDS)).isTrue();
    log.close();
    assertThat(log.stats().droppedByRule()).isEqualTo(1);
    assertThat(log.stats().written()).isEqualTo(2);
    ObjectNode a = got.get(0);
    assertThat(a.at("/input/password").isMissingNode()).isTrue();
    assertThat(a.at("/input/token").asText()).isEqualTo("**REDACTED**");
    assertThat(a.at("/erased/0").asText()).isEqualTo("/input/password");
    assertThat(a.at("/masked/0").asText()).isEqualTo("/input/token");
    assertThat(got.get(1).get("decision_id").asText()).isEqualTo("c");
    assertThat(got.get(1).at("/input/password").asText()).isEqualTo("p");
  }

  @Test
  void aFullBufferDropsAndCountsWithoutBlocking() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    DecisionSink stuck = e -> {
      try {
        release.await();
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
      }
    };
    DecisionLogger log = new DecisionLogger(fast().withBufferSize(10), List.of(stuck), Optional::empty);
    long start = System.nanoTime();
    int accepted = 0;
    for (int i = 0; i < 1000; i++) {
      if (log.log(event("e" + i, "{}"))) {
        accepted++;
      }
    }
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;
    DecisionLogger.Stats s = log.stats();
    assertThat(s.logged()).isEqualTo(1000);
    // the worker holds at most one batch while the sink is stuck; the rest of the queue is 10
    assertThat(accepted).isLessThanOrEqualTo(10 + 1024);
    assertThat(s.droppedBufferFull()).isEqualTo(1000 - accepted).isPositive();
    assertThat(elapsedMs).as("log() never waits for the sink").isLessThan(5_000);
    release.countDown();
    log.close();
  }

  @Test
  void httpSinkUploadsGzipBatchesToLogs() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    List<JsonNode> batches = Collections.synchronizedList(new ArrayList<>());
    List<String> encodings = Collections.synchronizedList(new ArrayList<>());
    int[] failFirst = {1};
    server.createContext("/logs", ex -> {
      encodings.add(ex.getRequestHeaders().getFirst("Content-Encoding") + " "
          + ex.getRequestHeaders().getFirst("Content-Type") + " " + ex.getRequestMethod());
      byte[] body = new GZIPInputStream(ex.getRequestBody()).readAllBytes();
      int status;
      synchronized (failFirst) {
        status = failFirst[0]-- > 0 ? 503 : 200; // the first upload fails: the chunk is retried
      }
      if (status == 200) {
        batches.add(JSON.readTree(body));
      }
      ex.sendResponseHeaders(status, -1);
      ex.close();
    });
    server.start();
    try {
      HttpSink sink = new HttpSink("http://127.0.0.1:" + server.getAddress().getPort(), null, null, 2048, 16);
      try (DecisionLogger log = new DecisionLogger(fast(), List.of(sink), Optional::empty)) {
        for (int i = 0; i < 200; i++) {
          log.log(event("h" + i, "{\"i\":" + i + ",\"pad\":\"" + "x".repeat(i % 7 * 40) + "\"}"));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (sink.uploaded() < 200 && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
      }
      assertThat(sink.uploaded()).isEqualTo(200);
      assertThat(encodings).allMatch(e -> e.equals("gzip application/json POST"));
      List<String> ids = new ArrayList<>();
      for (JsonNode b : batches) {
        assertThat(b.isArray()).isTrue();
        b.forEach(e -> ids.add(e.get("decision_id").asText()));
      }
      assertThat(batches.size()).as("split into chunks under the size limit").isGreaterThan(1);
      assertThat(ids).hasSize(200).doesNotHaveDuplicates();
    } finally {
      server.stop(0);
    }
  }

  @Test
  void consoleSinkPrintsOneLinePerDecision() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DecisionLogger log = new DecisionLogger(fast(), List.of(new ConsoleSink(new PrintStream(bytes, true,
        StandardCharsets.UTF_8))), Optional::empty)) {
      log.log(event("c-1", "{}"));
    }
    JsonNode line = JSON.readTree(bytes.toString(StandardCharsets.UTF_8).trim());
    assertThat(line.get("msg").asText()).isEqualTo("Decision Log");
    assertThat(line.get("decision_id").asText()).isEqualTo("c-1");
  }
}
