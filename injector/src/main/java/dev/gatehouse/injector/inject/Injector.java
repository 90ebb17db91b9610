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
  /** Annotation: the app's port the sidecar forwards to, a number or a container port name. */
  public static final String UPSTREAM_PORT = "gatehouse.dev/upstream-port";
  /** Annotation or label: the service name decisions are made for (grants name it). */
  public static final String SERVICE = "gatehouse.dev/service";
  /** The sidecar template's proxy port; it takes the name of the app's port (see README "Traffic"). */
  public static final String PROXY_PORT_NAME = "gh-proxy";
  /** What the app's port is renamed to when the sidecar takes its name. */
  public static final String UPSTREAM_PORT_NAME = "gh-upstream";
  private static final java.util.regex.Pattern SERVICE_NAME =
      java.util.regex.Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._-]{0,251}[A-Za-z0-9])?");
  private static final java.util.regex.Pattern PORT_NUMBER = java.util.regex.Pattern.compile("[0-9]{1,5}");

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
    // insertion order: the status annotation lists them as configured, the same on every call
    this.volumeNames = java.util.Collections.unmodifiableSet(names);
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
      if (previous.renamedPort() != null) {
        renamePort(spec, previous.renamedPort().container(), UPSTREAM_PORT_NAME, previous.renamedPort().name());
      }
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

    Upstream upstream = upstream(spec, annotations);
    if (upstream == null) {
      return new InjectionResult.Skipped("no port to forward to: the first container declares no containerPort"
          + " and there is no " + UPSTREAM_PORT + " annotation");
    }
    checkPortClash(spec, upstream);
    String service = service(labels, annotations, upstream);
    ObjectNode sidecar = sidecar(overrides, nativeSidecar);
    InjectionStatus.RenamedPort renamed = null;
    if (upstream.name() != null && upstream.container() != null && takePortName(sidecar, upstream.name())) {
      renamePort(spec, upstream.container(), upstream.name(), UPSTREAM_PORT_NAME);
      renamed = new InjectionStatus.RenamedPort(upstream.container(), upstream.name());
    }
    addArgs(sidecar, upstream, service, ns);
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
        List.copyOf(volumeNames), renamed);
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

  /** The app's port the sidecar forwards to: which container declares it, its number and name (null if none). */
  private record Upstream(String container, int port, String name) {}

  /**
   * The annotation {@value #UPSTREAM_PORT} (a number, or the name of a port of one of the pod's
   * containers), else the first container's first containerPort; null when neither exists.
   */
  private static Upstream upstream(ObjectNode spec, Map<String, String> annotations) {
    String wanted = annotations.get(UPSTREAM_PORT);
    JsonNode containers = spec.path("containers");
    if (wanted != null) {
      if (PORT_NUMBER.matcher(wanted).matches()) {
        int port = Integer.parseInt(wanted);
        if (port < 1 || port > 65535) {
          throw new InjectionException("annotation " + UPSTREAM_PORT + " must be a port from 1 to 65535 or a port"
              + " name, got \"" + wanted + "\"");
        }
        for (JsonNode c : containers) {
          for (JsonNode p : c.path("ports")) {
            if (p.path("containerPort").asInt(-1) == port) {
              return new Upstream(c.path("name").asText(null), port, p.path("name").isTextual()
                  ? p.path("name").asText() : null);
            }
          }
        }
        return new Upstream(null, port, null);
      }
      for (JsonNode c : containers) {
        for (JsonNode p : c.path("ports")) {
          if (wanted.equals(p.path("name").asText(null)) && p.path("containerPort").canConvertToInt()) {
            return new Upstream(c.path("name").asText(null), p.path("containerPort").asInt(), wanted);
          }
        }
      }
      throw new InjectionException("annotation " + UPSTREAM_PORT + ": no container of the pod declares a port named \""
          + wanted + "\"");
    }
    if (containers.size() == 0) {
      return null;
    }
    JsonNode first = containers.get(0);
    for (JsonNode p : first.path("ports")) {
      if (p.path("containerPort").canConvertToInt() && p.path("containerPort").asInt() > 0) {
        return new Upstream(first.path("name").asText(null), p.path("containerPort").asInt(),
            p.path("name").isTextual() ? p.path("name").asText() : null);
      }
    }
    return null;
  }

  /** The pod shares one network namespace: the sidecar's ports must be free. */
  private void checkPortClash(ObjectNode spec, Upstream upstream) {
    Set<Integer> ours = new HashSet<>();
    for (JsonNode p : template.path("ports")) {
      ours.add(p.path("containerPort").asInt(-1));
    }
    if (ours.contains(upstream.port())) {
      throw new InjectionException("the upstream port " + upstream.port() + " is one the Gatehouse sidecar listens on"
          + " (" + ours + "); move the app or set " + UPSTREAM_PORT);
    }
    for (String list : List.of("containers", "initContainers")) {
      for (JsonNode c : spec.path(list)) {
        for (JsonNode p : c.path("ports")) {
          if (ours.contains(p.path("containerPort").asInt(-1))) {
            throw new InjectionException("container " + c.path("name").asText() + " declares port "
                + p.path("containerPort").asInt() + ", which the Gatehouse sidecar listens on");
          }
        }
      }
    }
  }

  /**
   * The annotation or label {@value #SERVICE}, else the {@code app.kubernetes.io/name} or {@code app}
   * label, else the upstream container's name. It becomes a command-line argument: only a plain
   * name is accepted (no {@code $(…)} that the kubelet would expand).
   */
  private static String service(Map<String, String> labels, Map<String, String> annotations, Upstream upstream) {
    String where = "annotation " + SERVICE;
    String s = annotations.get(SERVICE);
    for (String key : List.of(SERVICE, "app.kubernetes.io/name", "app")) {
      if (s == null) {
        s = labels.get(key);
        where = "label " + key;
      }
    }
    if (s == null) {
      s = upstream.container();
      where = "the upstream container's name";
    }
    if (s == null || !SERVICE_NAME.matcher(s).matches()) {
      throw new InjectionException(where + " gives the service name \"" + s + "\": it must be letters, digits,"
          + " '.', '_' or '-' (set annotation " + SERVICE + ")");
    }
    return s;
  }

  /** The sidecar's proxy port takes the app port's name; false when the template has no {@value #PROXY_PORT_NAME}. */
  private static boolean takePortName(ObjectNode sidecar, String name) {
    for (JsonNode p : sidecar.path("ports")) {
      if (PROXY_PORT_NAME.equals(p.path("name").asText(null))) {
        ((ObjectNode) p).put("name", name);
        return true;
      }
    }
    return false;
  }

  /** Renames a port of {@code container} and every probe or hook of that container that names it. */
  private static void renamePort(ObjectNode spec, String container, String from, String to) {
    for (JsonNode c : spec.path("containers")) {
      if (!container.equals(c.path("name").asText(null))) {
        continue;
      }
      for (JsonNode p : c.path("ports")) {
        if (from.equals(p.path("name").asText(null))) {
          ((ObjectNode) p).put("name", to);
        }
      }
      List<JsonNode> handlers = new ArrayList<>();
      for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
        handlers.add(c.path(probe));
      }
      handlers.add(c.path("lifecycle").path("postStart"));
      handlers.add(c.path("lifecycle").path("preStop"));
      for (JsonNode h : handlers) {
        for (String kind : List.of("httpGet", "tcpSocket")) {
          if (h.path(kind) instanceof ObjectNode action && from.equals(action.path("port").asText(null))
              && action.path("port").isTextual()) {
            action.put("port", to);
          }
        }
      }
    }
  }

  /**
   * What makes this pod's sidecar run: {@code --upstream} (the app on localhost), {@code --service}
   * and {@code --namespace}, unless the configured template already passes them. An unknown
   * namespace (a workload template without one) is left to the kubelet: {@code $(GATEHOUSE_POD_NAMESPACE)}
   * is expanded from the downward-API variable the injector adds.
   */
  private static void addArgs(ObjectNode sidecar, Upstream upstream, String service, String namespace) {
    ArrayNode args = array(sidecar, "args");
    Map<String, String> wanted = new java.util.LinkedHashMap<>();
    wanted.put("--upstream", "http://127.0.0.1:" + upstream.port());
    wanted.put("--service", service);
    wanted.put("--namespace", namespace == null || namespace.isEmpty() ? "$(GATEHOUSE_POD_NAMESPACE)" : namespace);
    wanted.forEach((flag, value) -> {
      for (JsonNode a : args) {
        if (a.asText().equals(flag) || a.asText().startsWith(flag + "=")) {
          return;
        }
      }
      args.add(flag + "=" + value);
    });
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
