package dev.gatehouse.sync.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads OPA's configuration file format (YAML or JSON) into a {@link SyncConfig}, so an existing
 * {@code opa run -c config.yaml} file works: {@code services} as a list of named entries or a map,
 * {@code credentials.bearer}, {@code credentials.client_tls}, {@code tls.ca_cert}, {@code bundles}
 * with {@code service}, {@code resource}, {@code polling}, {@code signing}, {@code persist};
 * {@code keys}; {@code persistence_directory}. {@code ${VAR}} is replaced from the environment, as
 * OPA does. Keys this library does not use (decision_logs, status, plugins…) are ignored, so the
 * same file can configure other parts of the process.
 */
public final class ConfigReader {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern ENV = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

  private final Function<String, String> env;
  private final Path baseDir;

  /** {@code env} looks up variables ({@code System::getenv}); relative paths resolve against {@code baseDir}. */
  public ConfigReader(Function<String, String> env, Path baseDir) {
    this.env = env;
    this.baseDir = baseDir;
  }

  public static SyncConfig read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException("cannot read configuration " + file + ": " + e.getMessage(), e);
    }
    Path dir = file.toAbsolutePath().getParent();
    return new ConfigReader(System::getenv, dir).parse(text);
  }

  public SyncConfig parse(String text) {
    JsonNode root;
    try {
      root = YAML.readTree(substitute(text));
    } catch (IOException e) {
      throw new ConfigException("configuration is not valid YAML or JSON: " + e.getMessage(), e);
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      root = YAML.createObjectNode();
    }
    if (!root.isObject()) {
      throw new ConfigException("configuration must be an object");
    }
    Map<String, ServiceConfig> services = services(root.path("services"));
    Map<String, KeyConfig> keys = keys(root.path("keys"));
    Map<String, BundleConfig> bundles = bundles(root.path("bundles"), services, keys);
    Path persistence = root.hasNonNull("persistence_directory")
        ? path(root.get("persistence_directory").asText()) : null;
    return new SyncConfig(services, bundles, keys, persistence);
  }

  private String substitute(String text) {
    Matcher m = ENV.matcher(text);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String v = env.apply(m.group(1));
      m.appendReplacement(sb, Matcher.quoteReplacement(v == null ? "" : v));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  private Map<String, ServiceConfig> services(JsonNode node) {
    Map<String, ServiceConfig> out = new LinkedHashMap<>();
    if (node.isMissingNode() || node.isNull()) {
      return out;
    }
    List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
    if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        JsonNode s = node.get(i);
        String name = s.path("name").asText("");
        if (name.isBlank()) {
          throw new ConfigException("services[" + i + "].name is required");
        }
        entries.add(Map.entry(name, s));
      }
    } else if (node.isObject()) {
      node.properties().forEach(e -> entries.add(Map.entry(e.getKey(), e.getValue())));
    } else {
      throw new ConfigException("services must be a list or an object");
    }
    for (Map.Entry<String, JsonNode> e : entries) {
      String name = e.getKey();
      JsonNode s = e.getValue();
      String key = "services." + name;
      String url = s.path("url").asText("");
      if (url.isBlank()) {
        throw new ConfigException(key + ".url is required");
      }
      URI uri;
      try {
        uri = new URI(url.endsWith("/") ? url : url + "/");
      } catch (URISyntaxException ex) {
        throw new ConfigException(key + ".url is not a URL: " + url, ex);
      }
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
        throw new ConfigException(key + ".url must be http or https: " + url);
      }
      Map<String, String> headers = new LinkedHashMap<>();
      s.path("headers").properties().forEach(h -> headers.put(h.getKey(), h.getValue().asText()));
      JsonNode bearer = s.path("credentials").path("bearer");
      String token = bearer.hasNonNull("token") ? bearer.get("token").asText() : null;
      Path tokenPath = bearer.hasNonNull("token_path") ? path(bearer.get("token_path").asText()) : null;
      String scheme = bearer.hasNonNull("scheme") ? bearer.get("scheme").asText() : null;
      JsonNode clientTls = s.path("credentials").path("client_tls");
      JsonNode tls = s.path("tls");
      TlsConfig tlsConfig = null;
      if (!clientTls.isMissingNode() || tls.hasNonNull("ca_cert")) {
        tlsConfig = new TlsConfig(
            tls.hasNonNull("ca_cert") ? path(tls.get("ca_cert").asText()) : null,
            clientTls.hasNonNull("cert") ? path(clientTls.get("cert").asText()) : null,
            clientTls.hasNonNull("private_key") ? path(clientTls.get("private_key").asText()) : null);
        if ((tlsConfig.clientCert() == null) != (tlsConfig.clientKey() == null)) {
          throw new ConfigException(key + ".credentials.client_tls needs both cert and private_key");
        }
      }
      Duration timeout = s.hasNonNull("response_header_timeout_seconds")
          ? Duration.ofSeconds(s.get("response_header_timeout_seconds").asLong()) : null;
      out.put(name, new ServiceConfig(name, uri, headers, token, tokenPath, scheme, tlsConfig, timeout));
    }
    return out;
  }

  private Map<String, KeyConfig> keys(JsonNode node) {
    Map<String, KeyConfig> out = new LinkedHashMap<>();
    node.properties().forEach(e -> {
      JsonNode k = e.getValue();
      String key = k.hasNonNull("key") ? k.get("key").asText() : null;
      if (key == null && k.hasNonNull("key_path")) {
        // Gatehouse extension: read the PEM from a file (e.g. a mounted Secret)
        try {
          key = Files.readString(path(k.get("key_path").asText()));
        } catch (IOException ex) {
          throw new ConfigException("keys." + e.getKey() + ".key_path: " + ex.getMessage(), ex);
        }
      }
      if (key == null) {
        throw new ConfigException("keys." + e.getKey() + ".key is required");
      }
      out.put(e.getKey(), new KeyConfig(key, k.path("algorithm").asText(null), k.path("scope").asText(null)));
    });
    return out;
  }

  private Map<String, BundleConfig> bundles(JsonNode node, Map<String, ServiceConfig> services,
      Map<String, KeyConfig> keys) {
    Map<String, BundleConfig> out = new LinkedHashMap<>();
    node.properties().forEach(e -> {
      String name = e.getKey();
      JsonNode b = e.getValue();
      String key = "bundles." + name;
      JsonNode p = b.path("polling");
      long min = p.path("min_delay_seconds").asLong(BundleConfig.Polling.DEFAULT.minDelaySeconds());
      long max = p.path("max_delay_seconds").asLong(Math.max(min, BundleConfig.Polling.DEFAULT.maxDelaySeconds()));
      Long longPoll = p.hasNonNull("long_polling_timeout_seconds") ? p.get("long_polling_timeout_seconds").asLong() : null;
      BundleConfig.Polling polling;
      try {
        polling = new BundleConfig.Polling(min, max, longPoll);
      } catch (ConfigException ex) {
        throw new ConfigException(key + "." + ex.getMessage());
      }
      BundleConfig.Signing signing = null;
      JsonNode s = b.path("signing");
      if (s.isObject()) {
        List<String> exclude = new ArrayList<>();
        s.path("exclude_files").forEach(x -> exclude.add(x.asText()));
        String keyId = s.path("keyid").asText(null);
        if (keyId != null && !keys.containsKey(keyId)) {
          throw new ConfigException(key + ".signing.keyid " + keyId + " is not in keys");
        }
        signing = new BundleConfig.Signing(keyId, s.path("scope").asText(null), exclude);
      }
      boolean persist = b.path("persist").asBoolean(false);
      if (b.hasNonNull("directory")) {
        out.put(name, new BundleConfig(name, null, null, polling, signing, false, path(b.get("directory").asText()), null));
        return;
      }
      if (b.path("git").isObject()) {
        JsonNode g = b.get("git");
        if (!g.hasNonNull("repository")) {
          throw new ConfigException(key + ".git.repository is required");
        }
        out.put(name, new BundleConfig(name, null, null, polling, signing, persist, null,
            new BundleConfig.GitConfig(g.get("repository").asText(), g.path("ref").asText("HEAD"),
                g.path("path").asText(""), g.path("interval_seconds").asLong(30))));
        return;
      }
      String service = b.path("service").asText("");
      if (service.isBlank()) {
        if (services.size() != 1) {
          throw new ConfigException(key + ".service is required when there is not exactly one service");
        }
        service = services.keySet().iterator().next();
      }
      if (!services.containsKey(service)) {
        throw new ConfigException(key + ".service " + service + " is not in services");
      }
      // OPA's default resource: bundles/<name>
      String resource = b.path("resource").asText("");
      if (resource.isBlank()) {
        resource = "bundles/" + name;
      }
      out.put(name, BundleConfig.http(name, service, resource, polling, signing, persist));
    });
    return out;
  }

  private Path path(String p) {
    Path path = Path.of(p);
    return path.isAbsolute() || baseDir == null ? path : baseDir.resolve(path);
  }
}
