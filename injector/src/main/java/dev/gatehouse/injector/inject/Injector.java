package dev.gatehouse.injector.inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.injector.Mappers;
import dev.gatehouse.injector.config.InjectionConfig;
import dev.gatehouse.injector.config.OverridePolicy;
import dev.gatehouse.injector.config.SidecarPosition;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Adds the Gatehouse sidecar to a pod. One code path serves the webhook ({@code /mutate}) and
 * {@code gatehouse inject}: both hand over a pod's JSON tree and get back a mutated copy.
 *
 * <p>The mutation is done on the raw JSON tree, not on a fabric8 {@link Pod} that would be
 * serialized again: a round trip through the model drops empty lists and rewrites quantities
 * ({@code cpu: 1} becomes {@code "1"}), and the JSON Patch computed from it would then touch
 * fields that are not ours. fabric8's model is used to read the pod and to build the sidecar.
 *
 * <p>Opt-in is decided before the request reaches this class (the webhook configuration's
 * namespaceSelector and objectSelector); here a pod can still opt out with the label or annotation
 * {@code gatehouse.dev/inject: "false"}, and system namespaces, Gatehouse's own pods and
 * hostNetwork pods are always skipped.
 */
public final class Injector {
  public static final String INJECT = "gatehouse.dev/inject";
  public static final String STATUS = "gatehouse.dev/status";
  public static final String ENV_BUNDLE_URL = "GATEHOUSE_BUNDLE_URL";

  private final InjectionConfig config;
  private final ObjectNode template;
  private final List<ObjectNode> volumes;
  private final Set<String> volumeNames;

  public Injector(InjectionConfig config) {
    this.config = config;
    this.template = nameFirst(Mappers.JSON.valueToTree(config.sidecar()));
    List<ObjectNode> vs = new ArrayList<>();
    Set<String> names = new LinkedHashSet<>();
    for (Volume v : config.volumes()) {
      vs.add(Mappers.JSON.valueToTree(v));
      names.add(v.getName());
    }
    this.volumes = List.copyOf(vs);
    this.volumeNames = Set.copyOf(names);
  }

  public InjectionConfig config() {
    return config;
  }

  /**
   * Injects into {@code raw} (left unmodified), whose decoded form is {@code pod}.
   *
   * @param namespace the pod's namespace (the AdmissionReview's, since a pod being created may not
   *     carry one); null or empty means unknown
   * @throws InjectionException when the pod's annotations ask for something invalid
   */
  public InjectionResult inject(Pod pod, ObjectNode raw, String namespace) {
    return inject(pod, raw, namespace, Requester.UNKNOWN);
  }

  /**
   * As {@link #inject(Pod, ObjectNode, String)}, for a pod created by {@code requester}.
   *
   * @throws OverrideRefused when the pod opts out where the sidecar is required, or picks a sidecar
   *     image or bundle service the configuration does not allow ({@code injection.overrides})
   */
  public InjectionResult inject(Pod pod, ObjectNode raw, String namespace, Requester requester) {
    Map<String, String> labels = pod.getMetadata() == null || pod.getMetadata().getLabels() == null
        ? Map.of() : pod.getMetadata().getLabels();
    Map<String, String> annotations = pod.getMetadata() == null || pod.getMetadata().getAnnotations() == null
        ? Map.of() : pod.getMetadata().getAnnotations();
    String ns = namespace == null || namespace.isEmpty()
        ? (pod.getMetadata() == null ? null : pod.getMetadata().getNamespace()) : namespace;

    String flagAnnotation = flag(annotations.get(INJECT), "annotation");
    String flagLabel = flag(labels.get(INJECT), "label");
    String optOut = "false".equals(flagAnnotation) ? "annotation" : "false".equals(flagLabel) ? "label" : null;
    if (optOut != null) {
      OverridePolicy policy = config.overrides();
      if (policy.sidecarRequired(ns) && !policy.mayOptOut(requester.user(), requester.groups())) {
        throw new OverrideRefused(optOut + " " + INJECT + "=false: namespace " + ns
            + " requires the Gatehouse sidecar and " + (requester.user().isEmpty() ? "nobody" : requester.user())
            + " may not opt a pod out there (injection.overrides.requiredNamespaces, optOutUsers, optOutGroups)");
      }
      return new InjectionResult.Skipped("disabled by " + optOut + " " + INJECT + "=false");
    }
    if (ns != null && config.excludeNamespaces().contains(ns)) {
      return new InjectionResult.Skipped("namespace " + ns + " is excluded from injection");
    }
    if (ns != null && ns.equals(config.webhookNamespace())) {
      return new InjectionResult.Skipped("namespace " + ns + " is Gatehouse's own");
    }
    if (!config.selfLabels().isEmpty() && config.selfLabels().entrySet().stream()
        .allMatch(e -> e.getValue().equals(labels.get(e.getKey())))) {
      return new InjectionResult.Skipped("the pod is Gatehouse's own webhook");
    }
    if (pod.getSpec() == null) {
      throw new InjectionException("the pod has no spec");
    }
    if (Boolean.TRUE.equals(pod.getSpec().getHostNetwork())) {
      return new InjectionResult.Skipped("hostNetwork pods are not injected (the sidecar's ports would bind on the node)");
    }
    Overrides overrides = Overrides.from(annotations);
    pinned(overrides);
    boolean nativeSidecar = overrides.nativeSidecar() != null ? overrides.nativeSidecar() : config.nativeSidecar();

    ObjectNode out = raw.deepCopy();
    ObjectNode spec = (ObjectNode) out.get("spec");
    InjectionStatus previous = InjectionStatus.parse(annotations.get(STATUS));
    if (previous != null) {
      Set<String> ours = new HashSet<>(previous.initContainers());
      ours.addAll(previous.containers());
      removeNamed(spec, "initContainers", ours, true);
      removeNamed(spec, "containers", ours, false);
      removeNamed(spec, "volumes", new HashSet<>(previous.volumes()), true);
    }
    String name = config.sidecar().getName();
    if (hasNamed(spec, "initContainers", Set.of(name)) || hasNamed(spec, "containers", Set.of(name))) {
      return new InjectionResult.Skipped("the pod already has a container named " + name
          + " that Gatehouse did not inject");
    }
    if (hasNamed(spec, "volumes", volumeNames)) {
      return new InjectionResult.Skipped("the pod already has a volume named like one of "
          + String.join(", ", volumeNames));
    }

    ObjectNode sidecar = sidecar(overrides, nativeSidecar);
    ArrayNode list = array(spec, nativeSidecar ? "initContainers" : "containers");
    if (config.position() == SidecarPosition.FIRST) {
      list.insert(0, sidecar);
    } else {
      list.add(sidecar);
    }
    if (!volumes.isEmpty()) {
      ArrayNode vs = array(spec, "volumes");
      volumes.forEach(v -> vs.add(v.deepCopy()));
    }
    String image = sidecar.path("image").asText();
    InjectionStatus status = new InjectionStatus(image, nativeSidecar,
        nativeSidecar ? List.of(name) : List.of(), nativeSidecar ? List.of() : List.of(name),
        List.copyOf(volumeNames));
    object(object(out, "metadata"), "annotations").put(STATUS, status.toJson());
    return new InjectionResult.Injected(out, status);
  }

  /** The sidecar's image and bundle service are configuration: a pod picks only what it allows. */
  private void pinned(Overrides o) {
    OverridePolicy policy = config.overrides();
    if (o.image() != null && !o.image().equals(config.sidecar().getImage())
        && !policy.allowedImages().contains(o.image())) {
      throw new OverrideRefused("annotation " + Overrides.PREFIX + "image: the sidecar image is pinned to "
          + config.sidecar().getImage() + (policy.allowedImages().isEmpty() ? ""
          : " or one of " + String.join(", ", new java.util.TreeSet<>(policy.allowedImages())))
          + " (injection.overrides.allowedImages); remove the annotation");
    }
    if (o.bundleServiceUrl() != null && !o.bundleServiceUrl().equals(config.bundleServiceUrl())
        && !policy.allowedBundleServiceUrls().contains(o.bundleServiceUrl())) {
      throw new OverrideRefused("annotation " + Overrides.PREFIX + "bundle-service-url: the bundle service is pinned"
          + " (injection.overrides.allowedBundleServiceUrls); remove the annotation");
    }
  }

  /** fabric8 writes fields alphabetically; a reader looks for name and image first. */
  private static ObjectNode nameFirst(ObjectNode c) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    for (String k : List.of("name", "image")) {
      if (c.has(k)) {
        out.set(k, c.get(k));
      }
    }
    c.properties().forEach(e -> {
      if (!out.has(e.getKey())) {
        out.set(e.getKey(), e.getValue());
      }
    });
    return out;
  }

  private static String flag(String value, String where) {
    if (value == null) {
      return null;
    }
    if (!value.equals("true") && !value.equals("false")) {
      throw new InjectionException(where + " " + INJECT + " must be \"true\" or \"false\", got \"" + value + "\"");
    }
    return value;
  }

  private ObjectNode sidecar(Overrides o, boolean nativeSidecar) {
    ObjectNode c = template.deepCopy();
    if (o.image() != null) {
      c.put("image", o.image());
    }
    if (o.cpuRequest() != null) {
      object(object(c, "resources"), "requests").put("cpu", o.cpuRequest());
    }
    if (o.memoryRequest() != null) {
      object(object(c, "resources"), "requests").put("memory", o.memoryRequest());
    }
    if (o.cpuLimit() != null) {
      object(object(c, "resources"), "limits").put("cpu", o.cpuLimit());
    }
    if (o.memoryLimit() != null) {
      object(object(c, "resources"), "limits").put("memory", o.memoryLimit());
    }
    Set<String> defined = new HashSet<>();
    Container t = config.sidecar();
    if (t.getEnv() != null) {
      for (EnvVar e : t.getEnv()) {
        defined.add(e.getName());
      }
    }
    ArrayNode env = array(c, "env");
    String bundle = o.bundleServiceUrl() != null ? o.bundleServiceUrl() : config.bundleServiceUrl();
    if (o.bundleServiceUrl() != null) {
      // An annotation beats whatever the template set.
      removeNamed(c, "env", Set.of(ENV_BUNDLE_URL), false);
      defined.remove(ENV_BUNDLE_URL);
    }
    if (bundle != null && !defined.contains(ENV_BUNDLE_URL)) {
      env.add(JsonNodeFactory.instance.objectNode().put("name", ENV_BUNDLE_URL).put("value", bundle));
    }
    addFieldRef(env, defined, "GATEHOUSE_POD_NAME", "metadata.name");
    addFieldRef(env, defined, "GATEHOUSE_POD_NAMESPACE", "metadata.namespace");
    addFieldRef(env, defined, "GATEHOUSE_SERVICE_ACCOUNT", "spec.serviceAccountName");
    if (env.isEmpty()) {
      c.remove("env");
    }
    if (nativeSidecar) {
      c.put("restartPolicy", "Always");
    } else {
      c.remove("restartPolicy");
    }
    return c;
  }

  private static void addFieldRef(ArrayNode env, Set<String> defined, String name, String fieldPath) {
    if (defined.contains(name)) {
      return;
    }
    ObjectNode e = env.addObject().put("name", name);
    e.putObject("valueFrom").putObject("fieldRef").put("fieldPath", fieldPath);
  }

  /** Removes elements named in {@code names}; drops the list itself when it ends up empty and may be absent. */
  private static void removeNamed(ObjectNode parent, String key, Set<String> names, boolean dropWhenEmpty) {
    JsonNode n = parent.get(key);
    if (!(n instanceof ArrayNode a)) {
      return;
    }
    for (int i = a.size() - 1; i >= 0; i--) {
      if (named(a.get(i), names)) {
        a.remove(i);
      }
    }
    if (dropWhenEmpty && a.isEmpty()) {
      parent.remove(key);
    }
  }

  /**
   * Whether an element's name is one of {@code names}. Elements without a string name (a null
   * container name, a volume without one) are never ours; the API server rejects them later.
   * (Immutable sets throw on {@code contains(null)}, hence the check.)
   */
  private static boolean named(JsonNode element, Set<String> names) {
    JsonNode n = element.get("name");
    return n != null && n.isTextual() && names.contains(n.asText());
  }

  private static boolean hasNamed(ObjectNode parent, String key, Set<String> names) {
    JsonNode n = parent.get(key);
    if (n instanceof ArrayNode a) {
      for (JsonNode e : a) {
        if (named(e, names)) {
          return true;
        }
      }
    }
    return false;
  }

  private static ObjectNode object(ObjectNode parent, String key) {
    JsonNode n = parent.get(key);
    if (n instanceof ObjectNode o) {
      return o;
    }
    return parent.putObject(key);
  }

  private static ArrayNode array(ObjectNode parent, String key) {
    JsonNode n = parent.get(key);
    if (n instanceof ArrayNode a) {
      return a;
    }
    return parent.putArray(key);
  }
}
