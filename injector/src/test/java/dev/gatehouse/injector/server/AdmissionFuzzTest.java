package dev.gatehouse.injector.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.injector.Mappers;
import dev.gatehouse.injector.TestSupport;
import dev.gatehouse.injector.config.ConfigLoader;
import dev.gatehouse.injector.config.WebhookConfig;
import dev.gatehouse.injector.inject.Injector;
import dev.gatehouse.injector.policy.DirectoryPolicySource;
import dev.gatehouse.injector.policy.PolicyStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutated AdmissionReviews (fields dropped, retyped, replaced with junk; bytes flipped and cut)
 * must always get a 200 admission answer or a 400 JSON error — never an exception, a 5xx or a
 * hang. Most cases go straight to {@link AdmissionService} (thousands are cheap); a sample goes
 * over HTTPS to check the server stays up.
 */
class AdmissionFuzzTest {
  private static final List<String> FIXTURES = List.of("create-pod", "create-deployment", "update-deployment",
      "delete-deployment", "connect-exec", "connect-attach", "connect-portforward", "ephemeral-containers", "mutate-pod");
  private static final Set<String> ALLOWED_DECISIONS = Set.of("allowed", "denied", "injected", "skipped",
      "error_denied", "invalid");

  @TempDir
  static Path dir;
  static HttpsHarness h;
  static AdmissionService service;

  @BeforeAll
  static void setUp() throws Exception {
    WebhookConfig cfg = ConfigLoader.defaults();
    PolicyStore store = new PolicyStore(new DirectoryPolicySource(TestSupport.resourceDir("policies/guardrails")),
        cfg.validation().decisionPath(), TestSupport.fixedClock(), r -> { });
    assertThat(store.refresh()).isTrue();
    service = new AdmissionService(cfg, store, new Injector(cfg.injection()), new Metrics(), TestSupport.fixedClock());
    h = new HttpsHarness(dir, TestSupport.resourceDir("policies/guardrails"), HttpsHarness.config("", ""),
        TestSupport.fixedClock());
    h.awaitReady();
  }

  @AfterAll
  static void tearDown() {
    h.close();
  }

  @Test
  void mutatedReviewsNeverBreakTheService() throws Exception {
    Random rnd = new Random(4242);
    int answered = 0;
    int rejected = 0;
    for (int i = 0; i < 3000; i++) {
      String fixture = FIXTURES.get(rnd.nextInt(FIXTURES.size()));
      byte[] body = mutateBytes(rnd, mutateTree(rnd, TestSupport.json("reviews/" + fixture + ".json")));
      for (Endpoint ep : Endpoint.values()) {
        Answer a = service.decide(service.prepare(ep, body)) ;
        assertThat(a).isNotNull();
        assertThat(a.status()).as("case %d %s %s", i, ep, new String(body, StandardCharsets.UTF_8)).isIn(200, 400);
        assertThat(a.decision()).isIn(ALLOWED_DECISIONS);
        JsonNode json = Mappers.JSON.readTree(a.body());
        if (a.status() == 200) {
          answered++;
          assertThat(json.at("/response/uid").isTextual()).isTrue();
          assertThat(json.at("/response/allowed").isBoolean()).isTrue();
        } else {
          rejected++;
          assertThat(json.get("error").isTextual()).isTrue();
          assertThat(json.get("message").isTextual()).isTrue();
        }
      }
    }
    // the mutations must exercise both outcomes, or the test proves little
    assertThat(answered).isGreaterThan(500);
    assertThat(rejected).isGreaterThan(500);
  }

  @Test
  void theServerAnswersEveryMutatedReviewOverHttpsAndStaysHealthy() throws Exception {
    Random rnd = new Random(777);
    for (int i = 0; i < 150; i++) {
      String fixture = FIXTURES.get(rnd.nextInt(FIXTURES.size()));
      byte[] body = mutateBytes(rnd, mutateTree(rnd, TestSupport.json("reviews/" + fixture + ".json")));
      HttpsHarness.Response r;
      try {
        r = h.post(i % 2 == 0 ? "/validate" : "/mutate", body);
      } catch (java.io.IOException e) {
        throw new AssertionError("case " + i + ": " + new String(body, StandardCharsets.UTF_8) + "\n" + h.logs(), e);
      }
      assertThat(r.status()).isIn(200, 400);
      assertThat(r.contentType()).startsWith("application/json");
      r.json();
    }
    assertThat(h.get("/health").status()).isEqualTo(200);
  }

  private static JsonNode mutateTree(Random rnd, ObjectNode review) {
    int edits = rnd.nextInt(4);
    for (int e = 0; e < edits; e++) {
      List<ObjectNode> objects = new ArrayList<>();
      collect(review, objects);
      ObjectNode target = objects.get(rnd.nextInt(objects.size()));
      List<String> keys = new ArrayList<>();
      target.fieldNames().forEachRemaining(keys::add);
      if (keys.isEmpty()) {
        continue;
      }
      String key = keys.get(rnd.nextInt(keys.size()));
      switch (rnd.nextInt(6)) {
        case 0 -> target.remove(key);
        case 1 -> target.putNull(key);
        case 2 -> target.put(key, rnd.nextInt());
        case 3 -> target.put(key, "junk-" + rnd.nextInt(10));
        case 4 -> target.set(key, JsonNodeFactory.instance.arrayNode().add(1).add("x"));
        default -> target.set(key, deep(rnd.nextInt(300)));
      }
    }
    return review;
  }

  private static JsonNode deep(int depth) {
    ArrayNode root = JsonNodeFactory.instance.arrayNode();
    ArrayNode cur = root;
    for (int i = 0; i < depth; i++) {
      cur = cur.addArray();
    }
    return root;
  }

  private static void collect(JsonNode n, List<ObjectNode> out) {
    if (n instanceof ObjectNode o) {
      out.add(o);
    }
    n.forEach(c -> collect(c, out));
  }

  private static byte[] mutateBytes(Random rnd, JsonNode tree) {
    byte[] b = tree.toString().getBytes(StandardCharsets.UTF_8);
    switch (rnd.nextInt(8)) {
      case 0 -> {
        return java.util.Arrays.copyOf(b, rnd.nextInt(b.length));
      }
      case 1 -> {
        byte[] c = b.clone();
        for (int i = 0; i < 3; i++) {
          c[rnd.nextInt(c.length)] = (byte) rnd.nextInt(256);
        }
        return c;
      }
      default -> {
        return b;
      }
    }
  }
}
