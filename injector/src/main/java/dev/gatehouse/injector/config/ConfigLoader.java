package dev.gatehouse.injector.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.injector.Mappers;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Volume;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the webhook's YAML configuration: the user's file is merged over the built-in
 * {@code default-config.yaml}; unknown keys, wrong types and impossible values are errors that
 * name the setting, so a typo never silently falls back to a default.
 */
public final class ConfigLoader {
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final Set<String> TOP = Set.of("injection", "validation", "server", "notifications");
  private static final Set<String> INJECTION = Set.of("sidecar", "volumes", "bundleServiceUrl", "nativeSidecar",
      "position", "excludeNamespaces", "webhookNamespace", "selfLabels", "overrides");
  private static final Set<String> OVERRIDES = Set.of("requiredNamespaces", "optOutUsers", "optOutGroups",
      "allowedImages", "allowedBundleServiceUrls");
  private static final Set<String> NOTIFICATIONS = Set.of("webhookUrl", "timeout", "maxAttempts", "retryBackoff",
      "maxPending");
  private static final Set<String> VALIDATION = Set.of("decisionPath", "failureMode", "evaluationTimeout");
  private static final Set<String> SERVER = Set.of("maxBodyBytes", "bodyTimeout", "headerTimeout", "idleTimeout",
      "shutdownDelay",
      "shutdownTimeout", "policyPollInterval", "tlsPollInterval");

  private ConfigLoader() {}

  /** The built-in defaults alone. */
  public static WebhookConfig defaults() {
    return decode(defaultTree(), "default-config.yaml");
  }

  /** The file merged over the defaults; {@code null} means defaults only. */
  public static WebhookConfig load(Path file) {
    if (file == null) {
      return defaults();
    }
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read: " + e.getMessage(), e);
    }
    return parse(text, file.toString());
  }

  /** YAML text merged over the defaults; {@code source} names it in errors. */
  public static WebhookConfig parse(String yaml, String source) {
    JsonNode user;
    try {
      List<JsonNode> docs = Mappers.readYamlDocuments(yaml);
      user = docs.isEmpty() ? null : docs.get(0);
    } catch (JsonProcessingException e) {
      throw new ConfigException(source + ": not valid YAML: " + Mappers.describe(e, ""), e);
    } catch (IOException e) {
      throw new ConfigException(source + ": cannot read: " + e.getMessage(), e);
    }
    ObjectNode merged = defaultTree();
    if (user != null && !user.isMissingNode() && !user.isNull()) {
      if (!user.isObject()) {
        throw new ConfigException(source + ": the configuration must be a mapping");
      }
      merge(merged, (ObjectNode) user);
    }
    return decode(merged, source);
  }

  private static ObjectNode defaultTree() {
    try (InputStream in = ConfigLoader.class.getResourceAsStream("/dev/gatehouse/injector/default-config.yaml")) {
      if (in == null) {
        throw new IllegalStateException("default-config.yaml is missing from the classpath");
      }
      return (ObjectNode) Mappers.YAML.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Objects merge key by key; anything else in the overlay replaces the base. */
  static void merge(ObjectNode base, ObjectNode overlay) {
    for (Map.Entry<String, JsonNode> e : overlay.properties()) {
      JsonNode existing = base.get(e.getKey());
      if (existing instanceof ObjectNode eo && e.getValue() instanceof ObjectNode vo) {
        merge(eo, vo);
      } else {
        base.set(e.getKey(), e.getValue());
      }
    }
  }

  private static WebhookConfig decode(ObjectNode root, String source) {
    Reader r = new Reader(source);
    r.keys(root, "", TOP);
    ObjectNode inj = r.object(root, "injection");
    ObjectNode val = r.object(root, "validation");
    ObjectNode srv = r.object(root, "server");
    r.keys(inj, "injection", INJECTION);
    r.keys(val, "validation", VALIDATION);
    r.keys(srv, "server", SERVER);
    ObjectNode ovr = r.object(inj, "overrides");
    r.keys(ovr, "injection.overrides", OVERRIDES);
    ObjectNode ntf = r.object(root, "notifications");
    r.keys(ntf, "notifications", NOTIFICATIONS);

    Container sidecar = r.typed(inj.get("sidecar"), "injection.sidecar", Container.class);
    if (sidecar.getName() == null || !DNS_LABEL.matcher(sidecar.getName()).matches()) {
      throw r.error("injection.sidecar.name", "must be a DNS label (lower-case letters, digits, '-'), got "
          + quote(sidecar.getName()));
    }
    if (sidecar.getImage() == null || sidecar.getImage().isBlank()) {
      throw r.error("injection.sidecar.image", "is required");
    }
    List<Volume> volumes = new ArrayList<>();
    JsonNode vols = inj.get("volumes");
    if (vols != null && !vols.isNull()) {
      if (!vols.isArray()) {
        throw r.error("injection.volumes", "must be a list");
      }
      Set<String> names = new LinkedHashSet<>();
      for (int i = 0; i < vols.size(); i++) {
        Volume v = r.typed(vols.get(i), "injection.volumes[" + i + "]", Volume.class);
        if (v.getName() == null || !DNS_LABEL.matcher(v.getName()).matches()) {
          throw r.error("injection.volumes[" + i + "].name", "must be a DNS label, got " + quote(v.getName()));
        }
        if (!names.add(v.getName())) {
          throw r.error("injection.volumes[" + i + "].name", "duplicate volume " + quote(v.getName()));
        }
        volumes.add(v);
      }
    }
    String bundleUrl = r.optionalString(inj, "injection.bundleServiceUrl", "bundleServiceUrl");
    if (bundleUrl != null) {
      r.httpUrl(bundleUrl, "injection.bundleServiceUrl");
    }
    OverridePolicy overrides = new OverridePolicy(
        r.stringList(ovr, "injection.overrides.requiredNamespaces", "requiredNamespaces"),
        new LinkedHashSet<>(r.stringList(ovr, "injection.overrides.optOutUsers", "optOutUsers")),
        new LinkedHashSet<>(r.stringList(ovr, "injection.overrides.optOutGroups", "optOutGroups")),
        new LinkedHashSet<>(r.stringList(ovr, "injection.overrides.allowedImages", "allowedImages")),
        new LinkedHashSet<>(r.stringList(ovr, "injection.overrides.allowedBundleServiceUrls", "allowedBundleServiceUrls")));
    InjectionConfig injection = new InjectionConfig(sidecar, volumes, bundleUrl,
        r.bool(inj, "injection.nativeSidecar", "nativeSidecar"),
        r.enumValue(inj, "injection.position", "position", SidecarPosition.class),
        new LinkedHashSet<>(r.stringList(inj, "injection.excludeNamespaces", "excludeNamespaces")),
        r.optionalString(inj, "injection.webhookNamespace", "webhookNamespace"),
        r.stringMap(inj, "injection.selfLabels", "selfLabels"),
        overrides);

    String path = r.string(val, "validation.decisionPath", "decisionPath");
    if (!path.equals("data") && !path.startsWith("data.")) {
      throw r.error("validation.decisionPath", "must be a ref under data, e.g. data.gatehouse.admission.decision");
    }
    ValidationConfig validation = new ValidationConfig(path,
        r.enumValue(val, "validation.failureMode", "failureMode", FailureMode.class),
        r.positiveDuration(val, "validation.evaluationTimeout", "evaluationTimeout"));

    JsonNode max = srv.get("maxBodyBytes");
    if (max == null || !max.canConvertToLong() || max.asLong() < 1024) {
      throw r.error("server.maxBodyBytes", "must be an integer of at least 1024");
    }
    ServerConfig server = new ServerConfig(max.asLong(),
        r.positiveDuration(srv, "server.bodyTimeout", "bodyTimeout"),
        r.positiveDuration(srv, "server.headerTimeout", "headerTimeout"),
        r.positiveDuration(srv, "server.idleTimeout", "idleTimeout"),
        r.duration(srv, "server.shutdownDelay", "shutdownDelay"),
        r.positiveDuration(srv, "server.shutdownTimeout", "shutdownTimeout"),
        r.positiveDuration(srv, "server.policyPollInterval", "policyPollInterval"),
        r.positiveDuration(srv, "server.tlsPollInterval", "tlsPollInterval"));
    String hook = r.optionalString(ntf, "notifications.webhookUrl", "webhookUrl");
    JsonNode attempts = ntf.get("maxAttempts");
    if (attempts == null || !attempts.canConvertToInt() || !attempts.isIntegralNumber() || attempts.asInt() < 1
        || attempts.asInt() > 20) {
      throw r.error("notifications.maxAttempts", "must be an integer from 1 to 20");
    }
    JsonNode pending = ntf.get("maxPending");
    if (pending == null || !pending.isIntegralNumber() || !pending.canConvertToInt() || pending.asInt() < 1) {
      throw r.error("notifications.maxPending", "must be a positive integer");
    }
    NotificationConfig notifications = new NotificationConfig(
        hook == null ? null : r.httpUrl(hook, "notifications.webhookUrl"),
        r.positiveDuration(ntf, "notifications.timeout", "timeout"),
        attempts.asInt(),
        r.positiveDuration(ntf, "notifications.retryBackoff", "retryBackoff"),
        pending.asInt());
    return new WebhookConfig(injection, validation, server, notifications);
  }

  private static String quote(String s) {
    return s == null ? "nothing" : "\"" + s + "\"";
  }

  /** Small typed accessors that all report errors as {@code source: path: problem}. */
  private record Reader(String source) {
    ConfigException error(String path, String problem) {
      return new ConfigException(source + ": " + path + ": " + problem);
    }

    void keys(ObjectNode node, String path, Set<String> allowed) {
      Iterator<String> names = node.fieldNames();
      while (names.hasNext()) {
        String k = names.next();
        if (!allowed.contains(k)) {
          throw error(path.isEmpty() ? k : path + "." + k, "unknown setting (known: "
              + String.join(", ", allowed.stream().sorted().toList()) + ")");
        }
      }
    }

    URI httpUrl(String value, String path) {
      try {
        URI u = new URI(value);
        if (u.getScheme() == null || !(u.getScheme().equals("https") || u.getScheme().equals("http"))
            || u.getHost() == null) {
          throw error(path, "must be an http(s) URL, got " + quote(value));
        }
        return u;
      } catch (URISyntaxException e) {
        throw error(path, "is not a URL: " + e.getMessage());
      }
    }

    ObjectNode object(ObjectNode parent, String key) {
      JsonNode n = parent.get(key);
      if (!(n instanceof ObjectNode o)) {
        throw error(key, "must be a mapping");
      }
      return o;
    }

    <T> T typed(JsonNode node, String path, Class<T> type) {
      if (node == null || !node.isObject()) {
        throw error(path, "must be a mapping");
      }
      T value;
      try {
        value = Mappers.JSON.treeToValue(node, type);
      } catch (JsonProcessingException e) {
        throw error(path, Mappers.describe(e, ""));
      }
      List<String> unknown = new ArrayList<>();
      unknownFields(value, path, unknown, 0);
      if (!unknown.isEmpty()) {
        throw error(unknown.get(0), "unknown field");
      }
      return value;
    }

    String string(ObjectNode node, String path, String key) {
      JsonNode n = node.get(key);
      if (n == null || !n.isTextual() || n.asText().isBlank()) {
        throw error(path, "must be a non-empty string");
      }
      return n.asText();
    }

    String optionalString(ObjectNode node, String path, String key) {
      JsonNode n = node.get(key);
      if (n == null || n.isNull() || (n.isTextual() && n.asText().isEmpty())) {
        return null;
      }
      if (!n.isTextual()) {
        throw error(path, "must be a string");
      }
      return n.asText();
    }

    boolean bool(ObjectNode node, String path, String key) {
      JsonNode n = node.get(key);
      if (n == null || !n.isBoolean()) {
        throw error(path, "must be true or false");
      }
      return n.asBoolean();
    }

    <E extends Enum<E>> E enumValue(ObjectNode node, String path, String key, Class<E> type) {
      String s = string(node, path, key);
      for (E e : type.getEnumConstants()) {
        if (e.name().equalsIgnoreCase(s)) {
          return e;
        }
      }
      List<String> names = new ArrayList<>();
      for (E e : type.getEnumConstants()) {
        names.add(e.name().toLowerCase(Locale.ROOT));
      }
      throw error(path, "must be one of " + String.join(", ", names) + ", got \"" + s + "\"");
    }

    List<String> stringList(ObjectNode node, String path, String key) {
      JsonNode n = node.get(key);
      List<String> out = new ArrayList<>();
      if (n == null || n.isNull()) {
        return out;
      }
      if (!n.isArray()) {
        throw error(path, "must be a list of strings");
      }
      for (JsonNode e : n) {
        if (!e.isTextual()) {
          throw error(path, "must be a list of strings");
        }
        out.add(e.asText());
      }
      return out;
    }

    Map<String, String> stringMap(ObjectNode node, String path, String key) {
      JsonNode n = node.get(key);
      Map<String, String> out = new LinkedHashMap<>();
      if (n == null || n.isNull()) {
        return out;
      }
      if (!n.isObject()) {
        throw error(path, "must be a mapping of strings");
      }
      for (Map.Entry<String, JsonNode> e : n.properties()) {
        if (!e.getValue().isTextual()) {
          throw error(path + "." + e.getKey(), "must be a string");
        }
        out.put(e.getKey(), e.getValue().asText());
      }
      return out;
    }

    Duration duration(ObjectNode node, String path, String key) {
      JsonNode n = node.get(key);
      if (n == null || !(n.isTextual() || n.isIntegralNumber())) {
        throw error(path, "must be a duration such as 500ms or 2s");
      }
      if (n.isIntegralNumber() && n.asLong() != 0) {
        throw error(path, "needs a unit, e.g. " + n.asLong() + "s");
      }
      try {
        return Durations.parse(n.asText());
      } catch (IllegalArgumentException e) {
        throw error(path, e.getMessage());
      }
    }

    Duration positiveDuration(ObjectNode node, String path, String key) {
      Duration d = duration(node, path, key);
      if (d.isZero() || d.isNegative()) {
        throw error(path, "must be longer than zero");
      }
      return d;
    }

    /**
     * fabric8 keeps fields it does not know in {@code additionalProperties}; in a config file they
     * are typos, so walk the decoded model and report the first one.
     */
    void unknownFields(Object o, String path, List<String> out, int depth) {
      if (o == null || depth > 32 || !out.isEmpty()) {
        return;
      }
      if (o instanceof List<?> list) {
        for (int i = 0; i < list.size(); i++) {
          unknownFields(list.get(i), path + "[" + i + "]", out, depth + 1);
        }
        return;
      }
      if (o instanceof Map<?, ?> map) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
          unknownFields(e.getValue(), path + "." + e.getKey(), out, depth + 1);
        }
        return;
      }
      if (!o.getClass().getName().startsWith("io.fabric8.kubernetes.api.model.")) {
        return;
      }
      for (Method m : o.getClass().getMethods()) {
        if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers()) || !m.getName().startsWith("get")
            || m.getDeclaringClass() == Object.class) {
          continue;
        }
        Object v;
        try {
          v = m.invoke(o);
        } catch (ReflectiveOperationException e) {
          continue;
        }
        if (m.getName().equals("getAdditionalProperties")) {
          if (v instanceof Map<?, ?> extra && !extra.isEmpty()) {
            out.add(path + "." + extra.keySet().iterator().next());
            return;
          }
          continue;
        }
        String field = Character.toLowerCase(m.getName().charAt(3)) + m.getName().substring(4);
        unknownFields(v, path + "." + field, out, depth + 1);
      }
    }
  }
}
