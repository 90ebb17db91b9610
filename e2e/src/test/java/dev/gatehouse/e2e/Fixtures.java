package dev.gatehouse.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.injector.Mappers;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Objects taken from the policy library's own AdmissionReview fixtures
 * (policies/gatehouse/testdata/admission/NAME/admission-review.json): what the replay tests send
 * the webhook directly is what these tests send the API server.
 */
final class Fixtures {
  private Fixtures() {}

  static JsonNode review(String name) {
    Path p = KubeTestEnv.repoRoot().resolve("policies/gatehouse/testdata/admission/" + name + "/admission-review.json");
    try {
      return Mappers.JSON.readTree(Files.readString(p));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The fixture's {@code request.object} as a Pod to create: name and namespace replaced, and
   * what the API server sets itself (status, uid, resourceVersion...) removed.
   */
  static Pod pod(String fixture, String name) {
    ObjectNode o = ((ObjectNode) review(fixture).path("request").path("object")).deepCopy();
    o.remove("status");
    ObjectNode meta = (ObjectNode) o.path("metadata");
    for (String f : List.of("namespace", "uid", "resourceVersion", "creationTimestamp", "generateName",
        "managedFields", "ownerReferences")) {
      meta.remove(f);
    }
    meta.put("name", name);
    try {
      return Mappers.JSON.treeToValue(o, Pod.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The compliant pod of the policy fixtures (pod_create): passes every deny rule. */
  static Pod compliantPod(String name) {
    return pod("pod_create", name);
  }

  /** The privileged debug pod of the policy fixtures (pod_create_privileged). */
  static Pod privilegedPod(String name) {
    return pod("pod_create_privileged", name);
  }

  /** An active pod-exec grant in the control plane's shape (policies/README.md, data.gatehouse.grants). */
  static Map<String, Object> podExecGrant(String id, String subject, String namespace, String pod) {
    Instant now = Instant.now();
    Map<String, Object> target = new LinkedHashMap<>();
    target.put("kind", "pod-exec");
    target.put("namespace", namespace);
    target.put("pod", pod);
    Map<String, Object> g = new LinkedHashMap<>();
    g.put("id", id);
    g.put("request_id", "req-" + id);
    g.put("subject", subject);
    g.put("target", target);
    g.put("not_before", now.minusSeconds(60).toString());
    g.put("expires_at", now.plusSeconds(1800).toString());
    g.put("approvers", List.of("bob"));
    g.put("policy_revision", "e2e");
    return g;
  }
}
