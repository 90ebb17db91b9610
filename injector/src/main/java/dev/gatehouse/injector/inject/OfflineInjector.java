package dev.gatehouse.injector.inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.injector.Mappers;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code gatehouse inject}: rewrites Pods and the pod templates of workloads in a (multi-document)
 * YAML stream, through the same {@link Injector} the webhook uses. Other documents pass through.
 * Like {@code istioctl kube-inject}, offline injection assumes the namespace has opted in; the
 * pod-level opt-out, excluded namespaces and hostNetwork still apply.
 */
public final class OfflineInjector {
  /** Workload kinds whose pod template is {@code spec.template}. */
  private static final Set<String> TEMPLATED = Set.of("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet",
      "ReplicationController", "Job");

  /** What happened to one document. */
  public record Report(int document, String kind, String name, String outcome) {
    @Override
    public String toString() {
      return "document " + document + " (" + kind + (name.isEmpty() ? "" : " " + name) + "): " + outcome;
    }
  }

  /** The rewritten stream and one report per pod or template seen. */
  public record Output(String yaml, List<Report> reports) {}

  private final Injector injector;

  public OfflineInjector(Injector injector) {
    this.injector = injector;
  }

  /** @throws InjectionException naming the document when it cannot be read or injected */
  public Output rewrite(String yaml) {
    List<JsonNode> docs;
    try {
      docs = Mappers.readYamlDocuments(yaml);
    } catch (JsonProcessingException e) {
      throw new InjectionException("not valid YAML: " + Mappers.describe(e, ""));
    } catch (IOException e) {
      throw new InjectionException("cannot read the input: " + e.getMessage());
    }
    List<Report> reports = new ArrayList<>();
    StringBuilder out = new StringBuilder();
    int n = 0;
    for (JsonNode doc : docs) {
      n++;
      if (doc == null || doc.isNull() || doc.isMissingNode()) {
        continue;
      }
      if (!doc.isObject()) {
        throw new InjectionException("document " + n + ": expected a Kubernetes object (a mapping)");
      }
      JsonNode rewritten = rewriteObject((ObjectNode) doc, n, reports);
      if (out.length() > 0) {
        out.append("---\n");
      }
      try {
        out.append(Mappers.YAML.writeValueAsString(rewritten));
      } catch (JsonProcessingException e) {
        throw new InjectionException("document " + n + ": cannot write YAML: " + e.getMessage());
      }
    }
    return new Output(out.toString(), reports);
  }

  private JsonNode rewriteObject(ObjectNode doc, int n, List<Report> reports) {
    String kind = doc.path("kind").asText("");
    String name = doc.path("metadata").path("name").asText("");
    String namespace = doc.path("metadata").path("namespace").asText(null);
    if (kind.equals("List") && doc.get("items") instanceof ArrayNode items) {
      ObjectNode copy = doc.deepCopy();
      ArrayNode newItems = copy.putArray("items");
      for (JsonNode item : items) {
        newItems.add(item instanceof ObjectNode o ? rewriteObject(o, n, reports) : item);
      }
      return copy;
    }
    if (kind.equals("Pod")) {
      return injectPod(doc, namespace, n, kind, name, reports);
    }
    List<String> path;
    if (TEMPLATED.contains(kind)) {
      path = List.of("spec", "template");
    } else if (kind.equals("CronJob")) {
      path = List.of("spec", "jobTemplate", "spec", "template");
    } else {
      return doc;
    }
    JsonNode template = doc;
    for (String p : path) {
      template = template.path(p);
    }
    if (!(template instanceof ObjectNode t) || !(t.get("spec") instanceof ObjectNode)) {
      throw new InjectionException("document " + n + " (" + kind + " " + name + "): " + String.join(".", path)
          + ".spec is missing");
    }
    ObjectNode pod = JsonNodeFactory.instance.objectNode();
    pod.put("apiVersion", "v1");
    pod.put("kind", "Pod");
    pod.set("metadata", t.has("metadata") ? t.get("metadata") : JsonNodeFactory.instance.objectNode());
    pod.set("spec", t.get("spec"));
    JsonNode injected = injectPod(pod, namespace, n, kind, name, reports);
    if (injected == pod) {
      return doc;
    }
    ObjectNode copy = doc.deepCopy();
    ObjectNode target = copy;
    for (int i = 0; i < path.size() - 1; i++) {
      target = (ObjectNode) target.get(path.get(i));
    }
    target.set(path.get(path.size() - 1), withPod(t, (ObjectNode) injected));
    return copy;
  }

  /** The template with the injected pod's metadata and spec, keeping metadata before spec. */
  private static ObjectNode withPod(ObjectNode template, ObjectNode pod) {
    ObjectNode t = JsonNodeFactory.instance.objectNode();
    if (!template.has("metadata")) {
      t.set("metadata", pod.get("metadata"));
    }
    for (Map.Entry<String, JsonNode> e : template.properties()) {
      switch (e.getKey()) {
        case "metadata" -> t.set("metadata", pod.get("metadata"));
        case "spec" -> t.set("spec", pod.get("spec"));
        default -> t.set(e.getKey(), e.getValue());
      }
    }
    return t;
  }

  private JsonNode injectPod(ObjectNode pod, String namespace, int n, String kind, String name, List<Report> reports) {
    Pod typed;
    try {
      typed = Mappers.JSON.treeToValue(pod, Pod.class);
    } catch (JsonProcessingException e) {
      throw new InjectionException("document " + n + " (" + kind + " " + name + "): not a valid pod: "
          + Mappers.describe(e, ""));
    }
    InjectionResult r;
    try {
      r = injector.inject(typed, pod, namespace);
    } catch (InjectionException e) {
      throw new InjectionException("document " + n + " (" + kind + " " + name + "): " + e.getMessage());
    }
    if (r instanceof InjectionResult.Injected in) {
      reports.add(new Report(n, kind, name, "injected " + (in.status().nativeSidecar() ? "native sidecar" : "sidecar")));
      return in.pod();
    }
    reports.add(new Report(n, kind, name, "skipped: " + ((InjectionResult.Skipped) r).reason()));
    return pod;
  }
}
