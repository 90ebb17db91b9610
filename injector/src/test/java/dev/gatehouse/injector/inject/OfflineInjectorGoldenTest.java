package dev.gatehouse.injector.inject;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.injector.Mappers;
import dev.gatehouse.injector.TestSupport;
import dev.gatehouse.injector.config.ConfigLoader;
import dev.gatehouse.injector.config.WebhookConfig;
import dev.gatehouse.injector.policy.DirectoryPolicySource;
import dev.gatehouse.injector.policy.PolicyStore;
import dev.gatehouse.injector.server.AdmissionService;
import dev.gatehouse.injector.server.Answer;
import dev.gatehouse.injector.server.Endpoint;
import dev.gatehouse.injector.server.Metrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Golden files for {@code gatehouse inject}: {@code inject/NAME.in.yaml} (with an optional
 * {@code NAME.config.yaml}) must rewrite to {@code NAME.golden.yaml} exactly. Regenerate after an
 * intended change with {@code -Dgolden.update=true} and review the diff.
 */
class OfflineInjectorGoldenTest {
  private static final boolean UPDATE = Boolean.getBoolean("golden.update");

  private static WebhookConfig config(String name) {
    String res = "inject/" + name + ".config.yaml";
    return TestSupport.class.getResource("/" + res) == null ? ConfigLoader.defaults()
        : ConfigLoader.parse(TestSupport.text(res), res);
  }

  private static String rewrite(String name, String yaml) {
    return new OfflineInjector(new Injector(config(name).injection())).rewrite(yaml).yaml();
  }

  @ParameterizedTest
  @ValueSource(strings = {"workloads", "classic"})
  void inputRewritesToTheGoldenFile(String name) throws IOException {
    String out = rewrite(name, TestSupport.text("inject/" + name + ".in.yaml"));
    if (UPDATE) {
      Files.writeString(Path.of("src/test/resources/inject/" + name + ".golden.yaml"), out);
    }
    assertThat(out).isEqualTo(TestSupport.text("inject/" + name + ".golden.yaml"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"workloads", "classic"})
  void rewritingTheGoldenFileAgainChangesNothing(String name) {
    String golden = TestSupport.text("inject/" + name + ".golden.yaml");
    assertThat(rewrite(name, golden)).isEqualTo(golden);
  }

  /**
   * The webhook and the offline command share one code path: the JSON Patch /mutate returns for
   * each pod of the input, applied to that pod, gives the pod of the golden file.
   */
  @ParameterizedTest
  @ValueSource(strings = {"workloads", "classic"})
  void theWebhookPatchGivesTheSamePodsAsOfflineInjection(String name) throws IOException {
    List<JsonNode> in = docs(TestSupport.text("inject/" + name + ".in.yaml"));
    List<JsonNode> golden = docs(TestSupport.text("inject/" + name + ".golden.yaml"));
    assertThat(golden).hasSameSizeAs(in);
    WebhookConfig cfg = config(name);
    AdmissionService service = new AdmissionService(cfg,
        new PolicyStore(new DirectoryPolicySource(Path.of(".")), cfg.validation().decisionPath(), Clock.systemUTC(), r -> { }),
        new Injector(cfg.injection()), new Metrics(), Clock.systemUTC());
    int pods = 0;
    for (int i = 0; i < in.size(); i++) {
      ObjectNode pod = podOf(in.get(i));
      if (pod == null) {
        assertThat(golden.get(i)).isEqualTo(in.get(i));
        continue;
      }
      pods++;
      String namespace = in.get(i).path("metadata").path("namespace").asText("default");
      ObjectNode review = TestSupport.json("reviews/mutate-pod.json");
      ((ObjectNode) review.get("request")).put("namespace", namespace).set("object", pod);
      Answer a = service.decide(service.prepare(Endpoint.MUTATE, TestSupport.toBytes(review)));
      assertThat(a.status()).isEqualTo(200);
      JsonNode response = Mappers.JSON.readTree(a.body()).get("response");
      assertThat(response.get("allowed").asBoolean()).isTrue();
      JsonNode patched = response.has("patch")
          ? io.fabric8.zjsonpatch.JsonPatch.apply(
              Mappers.JSON.readTree(Base64.getDecoder().decode(response.get("patch").asText())), pod)
          : pod;
      ObjectNode expected = podOf(golden.get(i));
      assertThat(patched).as("document %d", i + 1).isEqualTo(expected);
    }
    assertThat(pods).isPositive();
  }

  private static List<JsonNode> docs(String yaml) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    try (MappingIterator<JsonNode> it = Mappers.YAML.readerFor(JsonNode.class).readValues(yaml)) {
      while (it.hasNextValue()) {
        JsonNode n = it.nextValue();
        if (n != null && !n.isNull() && !n.isMissingNode()) {
          out.add(n);
        }
      }
    }
    return out;
  }

  /** The pod a document describes, as the API server would send it to /mutate; null for non-workloads. */
  private static ObjectNode podOf(JsonNode doc) {
    String kind = doc.path("kind").asText();
    JsonNode template = switch (kind) {
      case "Pod" -> doc;
      case "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job" -> doc.path("spec").path("template");
      case "CronJob" -> doc.path("spec").path("jobTemplate").path("spec").path("template");
      default -> null;
    };
    if (template == null) {
      return null;
    }
    ObjectNode pod = Mappers.JSON.createObjectNode();
    pod.put("apiVersion", "v1");
    pod.put("kind", "Pod");
    pod.set("metadata", template.has("metadata") ? template.get("metadata").deepCopy() : Mappers.JSON.createObjectNode());
    pod.set("spec", template.get("spec").deepCopy());
    return pod;
  }
}
