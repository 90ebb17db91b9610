package dev.gatehouse.sidecar.decisionlog;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.engine.Policy;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Builds a {@link DecisionLogger} from what an operator writes: command-line sink specs, or the
 * {@code decision_logs} section of an OPA configuration file.
 */
public final class DecisionLogs {
  private DecisionLogs() {}

  /**
   * Sinks from specs, one per {@code --decision-log} flag: {@code console}, {@code file:PATH}
   * (gzip when PATH ends in {@code .gz}), or an {@code http://} / {@code https://} URL (OPA's
   * upload protocol; a URL without a path uploads to {@code /logs}, as OPA's default resource).
   * No specs: {@link DecisionLogger#DISABLED}.
   *
   * @throws IllegalArgumentException for an unknown spec
   * @throws IOException when a log file cannot be opened
   */
  public static DecisionLogger fromSpecs(List<String> specs, DecisionLogConfig config, Supplier<Optional<Policy>> policy)
      throws IOException {
    if (specs == null || specs.isEmpty()) {
      return DecisionLogger.DISABLED;
    }
    List<DecisionSink> sinks = new ArrayList<>();
    for (String spec : specs) {
      sinks.add(sink(spec.trim()));
    }
    return new DecisionLogger(config == null ? DecisionLogConfig.defaults() : config, sinks, policy);
  }

  static DecisionSink sink(String spec) throws IOException {
    if (spec.equals("console")) {
      return new ConsoleSink(System.out);
    }
    if (spec.startsWith("file:")) {
      String p = spec.substring(5);
      if (p.isEmpty()) {
        throw new IllegalArgumentException("decision log spec file: needs a path (file:/var/log/decisions.jsonl)");
      }
      return new FileSink(Path.of(p), p.endsWith(".gz"));
    }
    if (spec.startsWith("http://") || spec.startsWith("https://")) {
      URI u = URI.create(spec);
      String path = u.getRawPath();
      String base = u.getScheme() + "://" + u.getRawAuthority();
      return new HttpSink(base, path == null || path.isEmpty() || path.equals("/") ? null : path, null,
          HttpSink.DEFAULT_UPLOAD_SIZE_LIMIT, 64);
    }
    throw new IllegalArgumentException("unknown decision log spec '" + spec
        + "': use console, file:PATH[.gz] or an http(s):// URL");
  }

  /**
   * From an OPA configuration document (parsed YAML/JSON): {@code decision_logs.console},
   * {@code decision_logs.service} (a name in {@code services}, its {@code url} and
   * {@code credentials.bearer.token}), {@code resource}, {@code reporting.buffer_size_limit_events},
   * {@code reporting.upload_size_limit_bytes}, {@code reporting.min_delay_seconds},
   * {@code mask_decision}, {@code drop_decision}, and {@code labels} at the top level. Without a
   * {@code decision_logs} section: {@link DecisionLogger#DISABLED}.
   */
  public static DecisionLogger fromOpaConfig(JsonNode root, Supplier<Optional<Policy>> policy) throws IOException {
    JsonNode dl = root.path("decision_logs");
    if (dl.isMissingNode() || dl.isNull()) {
      return DecisionLogger.DISABLED;
    }
    List<DecisionSink> sinks = new ArrayList<>();
    if (dl.path("console").asBoolean(false)) {
      sinks.add(new ConsoleSink(System.out));
    }
    JsonNode reporting = dl.path("reporting");
    if (dl.hasNonNull("service")) {
      String name = dl.get("service").asText();
      JsonNode svc = service(root.path("services"), name);
      if (svc == null) {
        throw new IllegalArgumentException("decision_logs.service: unknown service \"" + name + "\"");
      }
      String token = svc.path("credentials").path("bearer").path("token").asText(null);
      sinks.add(new HttpSink(svc.path("url").asText(), dl.path("resource").asText(null), token,
          reporting.path("upload_size_limit_bytes").asLong(HttpSink.DEFAULT_UPLOAD_SIZE_LIMIT), 64));
    }
    if (sinks.isEmpty()) {
      return DecisionLogger.DISABLED;
    }
    Map<String, String> labels = new HashMap<>();
    for (Map.Entry<String, JsonNode> e : root.path("labels").properties()) {
      labels.put(e.getKey(), e.getValue().asText());
    }
    DecisionLogConfig cfg = new DecisionLogConfig(
        reporting.path("buffer_size_limit_events").asInt(DecisionLogConfig.DEFAULT_BUFFER_SIZE),
        labels,
        dl.path("mask_decision").asText("system/log/mask"),
        dl.path("drop_decision").asText("system/log/drop"),
        List.of(),
        Duration.ofSeconds(Math.max(1, reporting.path("min_delay_seconds").asLong(1))));
    return new DecisionLogger(cfg, sinks, policy);
  }

  /** OPA accepts {@code services} as a list of {name, url} or as a map keyed by name. */
  private static JsonNode service(JsonNode services, String name) {
    if (services.isArray()) {
      for (JsonNode s : services) {
        if (name.equals(s.path("name").asText())) {
          return s;
        }
      }
      return null;
    }
    JsonNode s = services.get(name);
    return s == null || s.isNull() ? null : s;
  }
}
