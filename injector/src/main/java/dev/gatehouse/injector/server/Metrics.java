package dev.gatehouse.injector.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * The webhook's counters and latency histograms, rendered in the Prometheus text exposition
 * format (0.0.4). Written here because no Micrometer/Vert.x metrics artifact is available; the
 * label sets are small and bounded (endpoints, decisions, and the rule names of the loaded policy).
 */
public final class Metrics {
  private final List<java.util.function.Consumer<StringBuilder>> included = new java.util.concurrent.CopyOnWriteArrayList<>();
  /** Upper bounds in seconds: dense below 10 ms, where the 5 ms p99 goal sits. */
  static final double[] BUCKETS = {0.0005, 0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
      1, 2.5, 5, 10};

  private final Map<List<String>, LongAdder> requests = new ConcurrentHashMap<>();
  private final Map<List<String>, Histogram> latency = new ConcurrentHashMap<>();
  private final Map<List<String>, LongAdder> violations = new ConcurrentHashMap<>();
  private final Map<List<String>, LongAdder> reloads = new ConcurrentHashMap<>();
  private final Map<List<String>, LongAdder> badRequests = new ConcurrentHashMap<>();
  private final Map<List<String>, LongAdder> notifications = new ConcurrentHashMap<>();
  private final AtomicLong policyLoadedSeconds = new AtomicLong();
  private volatile String policyRevision = "";

  /** One answered request: count, and latency by endpoint and decision. */
  public void request(String endpoint, String decision, boolean dryRun, long nanos) {
    requests.computeIfAbsent(List.of(endpoint, decision, Boolean.toString(dryRun)), k -> new LongAdder()).increment();
    latency.computeIfAbsent(List.of(endpoint, decision), k -> new Histogram()).observe(nanos / 1e9);
  }

  public void badRequest(String endpoint, String code) {
    badRequests.computeIfAbsent(List.of(endpoint, code), k -> new LongAdder()).increment();
  }

  /** A fired rule (any action), counted by rule name. */
  public void violation(String endpoint, String rule, String action, boolean dryRun) {
    violations.computeIfAbsent(List.of(endpoint, rule, action, Boolean.toString(dryRun)), k -> new LongAdder())
        .increment();
  }

  /** kind: policy or tls; result: success or failure. */
  public void reload(String kind, String result) {
    reloads.computeIfAbsent(List.of(kind, result), k -> new LongAdder()).increment();
  }

  /** result: sent, failed (after every attempt) or dropped (not configured, or too many pending). */
  public void notification(String result) {
    notifications.computeIfAbsent(List.of(result), k -> new LongAdder()).increment();
  }

  public void policyLoaded(String revision, long epochSeconds) {
    policyRevision = revision;
    policyLoadedSeconds.set(epochSeconds);
  }

  /**
   * Adds metrics rendered elsewhere (the bundle sync's, when policies and grants come through it) to
   * the exposition text; the injector knows nothing of their source.
   */
  public void include(java.util.function.Consumer<StringBuilder> more) {
    included.add(more);
  }

  /** The exposition text. */
  public String render() {
    StringBuilder sb = new StringBuilder(4096);
    for (java.util.function.Consumer<StringBuilder> more : included) {
      more.accept(sb);
    }
    header(sb, "gatehouse_webhook_requests_total", "counter", "Admission requests answered, by endpoint and decision.");
    counters(sb, "gatehouse_webhook_requests_total", requests, "endpoint", "decision", "dry_run");
    header(sb, "gatehouse_webhook_request_duration_seconds", "histogram",
        "Time from request start to response, by endpoint and decision.");
    for (Map.Entry<List<String>, Histogram> e : sorted(latency)) {
      e.getValue().render(sb, "gatehouse_webhook_request_duration_seconds",
          labels(new String[] {"endpoint", "decision"}, e.getKey()));
    }
    header(sb, "gatehouse_webhook_rule_violations_total", "counter", "Fired policy rules, by rule and action.");
    counters(sb, "gatehouse_webhook_rule_violations_total", violations, "endpoint", "rule", "action", "dry_run");
    header(sb, "gatehouse_webhook_bad_requests_total", "counter", "Requests answered 400, by error code.");
    counters(sb, "gatehouse_webhook_bad_requests_total", badRequests, "endpoint", "code");
    header(sb, "gatehouse_webhook_reloads_total", "counter", "Policy and TLS reload attempts, by result.");
    counters(sb, "gatehouse_webhook_reloads_total", reloads, "kind", "result");
    header(sb, "gatehouse_webhook_notifications_total", "counter",
        "Notifications the decisions asked for, by result (sent, failed, dropped).");
    counters(sb, "gatehouse_webhook_notifications_total", notifications, "result");
    header(sb, "gatehouse_webhook_policy_loaded_timestamp_seconds", "gauge",
        "When the policies in force were loaded (0 before the first load).");
    sb.append("gatehouse_webhook_policy_loaded_timestamp_seconds{revision=\"").append(escape(policyRevision))
        .append("\"} ").append(policyLoadedSeconds.get()).append('\n');
    return sb.toString();
  }

  private static void header(StringBuilder sb, String name, String type, String help) {
    sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
    sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  private static void counters(StringBuilder sb, String name, Map<List<String>, LongAdder> m, String... labelNames) {
    for (Map.Entry<List<String>, LongAdder> e : sorted(m)) {
      sb.append(name).append(labels(labelNames, e.getKey())).append(' ').append(e.getValue().sum()).append('\n');
    }
  }

  private static <V> List<Map.Entry<List<String>, V>> sorted(Map<List<String>, V> m) {
    List<Map.Entry<List<String>, V>> entries = new ArrayList<>(m.entrySet());
    entries.sort((a, b) -> String.join("\u0000", a.getKey()).compareTo(String.join("\u0000", b.getKey())));
    return entries;
  }

  private static String labels(String[] names, List<String> values) {
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < names.length; i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(names[i]).append("=\"").append(escape(values.get(i))).append('"');
    }
    return sb.append('}').toString();
  }

  /** Label values escape backslash, double quote and newline. */
  static String escape(String s) {
    StringBuilder sb = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      String rep = c == '\\' ? "\\\\" : c == '"' ? "\\\"" : c == '\n' ? "\\n" : null;
      if (rep != null && sb == null) {
        sb = new StringBuilder(s.substring(0, i));
      }
      if (sb != null) {
        if (rep != null) {
          sb.append(rep);
        } else {
          sb.append(c);
        }
      }
    }
    return sb == null ? s : sb.toString();
  }

  private static String number(double d) {
    if (d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e15) {
      return Long.toString((long) d);
    }
    return Double.toString(d);
  }

  /** Cumulative buckets as Prometheus expects them, lock-free. */
  static final class Histogram {
    private final LongAdder[] counts = new LongAdder[BUCKETS.length];
    private final LongAdder count = new LongAdder();
    private final DoubleAdder sum = new DoubleAdder();

    Histogram() {
      for (int i = 0; i < counts.length; i++) {
        counts[i] = new LongAdder();
      }
    }

    void observe(double seconds) {
      for (int i = 0; i < BUCKETS.length; i++) {
        if (seconds <= BUCKETS[i]) {
          counts[i].increment();
          break;
        }
      }
      count.increment();
      sum.add(seconds);
    }

    void render(StringBuilder sb, String name, String labels) {
      String inner = labels.substring(1, labels.length() - 1);
      long cumulative = 0;
      for (int i = 0; i < BUCKETS.length; i++) {
        cumulative += counts[i].sum();
        sb.append(name).append("_bucket{").append(inner).append(",le=\"").append(number(BUCKETS[i])).append("\"} ")
            .append(cumulative).append('\n');
      }
      long total = count.sum();
      sb.append(name).append("_bucket{").append(inner).append(",le=\"+Inf\"} ").append(total).append('\n');
      sb.append(name).append("_sum").append(labels).append(' ').append(sum.sum()).append('\n');
      sb.append(name).append("_count").append(labels).append(' ').append(total).append('\n');
    }
  }
}
