package dev.gatehouse.sync;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The sync's counters in Prometheus text format: downloads and activations by bundle and result,
 * rejected grants, persistence failures. Label values are bundle names and fixed words only.
 */
public final class SyncMetrics {
  private final Map<List<String>, LongAdder> downloads = new ConcurrentHashMap<>();
  private final Map<List<String>, LongAdder> activations = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> grantsRejected = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> persistFailures = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> replaysRefused = new ConcurrentHashMap<>();
  private final Map<List<String>, LongAdder> deltas = new ConcurrentHashMap<>();

  /** A delta bundle: {@code applied} or {@code refused} (wrong base, bad patch, a field edited inside a grant). */
  void delta(String bundle, String result) {
    deltas.computeIfAbsent(List.of(bundle, result), k -> new LongAdder()).increment();
  }

  public long deltas(String bundle, String result) {
    LongAdder a = deltas.get(List.of(bundle, result));
    return a == null ? 0 : a.sum();
  }

  public void downloadEvent(String bundle, String result) {
    downloads.computeIfAbsent(List.of(bundle, result), k -> new LongAdder()).increment();
  }

  void activation(String bundle, String result) {
    activations.computeIfAbsent(List.of(bundle, result), k -> new LongAdder()).increment();
  }

  private final java.util.concurrent.atomic.AtomicLong lastActivationNanos = new java.util.concurrent.atomic.AtomicLong();

  private final java.util.concurrent.atomic.AtomicLong lastVerifyNanos = new java.util.concurrent.atomic.AtomicLong();

  /** Reading a downloaded tarball: gunzip, JSON, bundle signature, grant JWSs. */
  void verifyNanos(long nanos) {
    lastVerifyNanos.set(nanos);
  }

  void activationNanos(long nanos) {
    lastActivationNanos.set(nanos);
  }

  /** How long the last successful compile of all bundles took. */
  public long lastActivationNanos() {
    return lastActivationNanos.get();
  }

  void grantsRejected(String bundle, int n) {
    grantsRejected.computeIfAbsent(bundle, k -> new LongAdder()).add(n);
  }

  void replayRefused(String bundle) {
    replaysRefused.computeIfAbsent(bundle, k -> new LongAdder()).increment();
  }

  public long replaysRefused(String bundle) {
    LongAdder a = replaysRefused.get(bundle);
    return a == null ? 0 : a.sum();
  }

  void persistFailure(String bundle) {
    persistFailures.computeIfAbsent(bundle, k -> new LongAdder()).increment();
  }

  public long downloads(String bundle, String result) {
    LongAdder a = downloads.get(List.of(bundle, result));
    return a == null ? 0 : a.sum();
  }

  public long grantsRejected(String bundle) {
    LongAdder a = grantsRejected.get(bundle);
    return a == null ? 0 : a.sum();
  }

  /** Appends the exposition text, with {@code status} giving per-bundle activation gauges. */
  public void render(StringBuilder sb, List<BundleStatus> status) {
    sb.append("# HELP gatehouse_bundle_downloads_total Bundle requests, by bundle and result (ok, not_modified, error, invalid).\n");
    sb.append("# TYPE gatehouse_bundle_downloads_total counter\n");
    sorted(downloads).forEach((k, v) -> sb.append("gatehouse_bundle_downloads_total{bundle=\"")
        .append(esc(k.get(0))).append("\",result=\"").append(k.get(1)).append("\"} ").append(v.sum()).append('\n'));
    sb.append("# HELP gatehouse_bundle_activations_total Activation attempts, by bundle and result.\n");
    sb.append("# TYPE gatehouse_bundle_activations_total counter\n");
    sorted(activations).forEach((k, v) -> sb.append("gatehouse_bundle_activations_total{bundle=\"")
        .append(esc(k.get(0))).append("\",result=\"").append(k.get(1)).append("\"} ").append(v.sum()).append('\n'));
    sb.append("# HELP gatehouse_bundle_deltas_total Delta bundles, by bundle and result (applied, refused).\n");
    sb.append("# TYPE gatehouse_bundle_deltas_total counter\n");
    sorted(deltas).forEach((k, v) -> sb.append("gatehouse_bundle_deltas_total{bundle=\"")
        .append(esc(k.get(0))).append("\",result=\"").append(k.get(1)).append("\"} ").append(v.sum()).append('\n'));
    sb.append("# HELP gatehouse_grants_rejected_total Grants dropped because their JWS did not verify.\n");
    sb.append("# TYPE gatehouse_grants_rejected_total counter\n");
    new TreeMap<>(grantsRejected).forEach((k, v) -> sb.append("gatehouse_grants_rejected_total{bundle=\"")
        .append(esc(k)).append("\"} ").append(v.sum()).append('\n'));
    sb.append("# HELP gatehouse_bundle_persist_failures_total Failed writes of the last good bundle to disk.\n");
    sb.append("# TYPE gatehouse_bundle_persist_failures_total counter\n");
    new TreeMap<>(persistFailures).forEach((k, v) -> sb.append("gatehouse_bundle_persist_failures_total{bundle=\"")
        .append(esc(k)).append("\"} ").append(v.sum()).append('\n'));
    sb.append("# HELP gatehouse_bundle_replays_refused_total Validly signed bundles refused because their revision"
        + " sequence was older than the newest accepted (replay, stale cache or mirror): a security refusal.\n");
    sb.append("# TYPE gatehouse_bundle_replays_refused_total counter\n");
    new TreeMap<>(replaysRefused).forEach((k, v) -> sb.append("gatehouse_bundle_replays_refused_total{bundle=\"")
        .append(esc(k)).append("\"} ").append(v.sum()).append('\n'));
    sb.append("# HELP gatehouse_bundle_last_activation_timestamp_seconds When the bundle last activated (0: never).\n");
    sb.append("# TYPE gatehouse_bundle_last_activation_timestamp_seconds gauge\n");
    for (BundleStatus s : status) {
      sb.append("gatehouse_bundle_last_activation_timestamp_seconds{bundle=\"").append(esc(s.name()))
          .append("\",revision=\"").append(esc(s.revision() == null ? "" : s.revision())).append("\"} ")
          .append(s.lastSuccessfulActivation() == null ? 0 : s.lastSuccessfulActivation().getEpochSecond()).append('\n');
    }
    sb.append("# HELP gatehouse_bundle_activation_duration_seconds How long the last activation (compiling every bundle) took.\n");
    sb.append("# TYPE gatehouse_bundle_activation_duration_seconds gauge\n");
    sb.append("gatehouse_bundle_activation_duration_seconds ").append(lastActivationNanos.get() / 1e9).append('\n');
    sb.append("# HELP gatehouse_bundle_verify_duration_seconds How long reading the last downloaded bundle took"
        + " (gunzip, JSON, signature, grant JWSs).\n");
    sb.append("# TYPE gatehouse_bundle_verify_duration_seconds gauge\n");
    sb.append("gatehouse_bundle_verify_duration_seconds ").append(lastVerifyNanos.get() / 1e9).append('\n');
    sb.append("# HELP gatehouse_bundle_healthy 1 when the last attempt for the bundle succeeded.\n");
    sb.append("# TYPE gatehouse_bundle_healthy gauge\n");
    for (BundleStatus s : status) {
      sb.append("gatehouse_bundle_healthy{bundle=\"").append(esc(s.name())).append("\"} ")
          .append(s.lastError() == null && s.lastSuccessfulActivation() != null ? 1 : 0).append('\n');
    }
  }

  private static Map<List<String>, LongAdder> sorted(Map<List<String>, LongAdder> m) {
    TreeMap<List<String>, LongAdder> t = new TreeMap<>((a, b) -> String.join("\u0000", a).compareTo(String.join("\u0000", b)));
    t.putAll(m);
    return t;
  }

  private static String esc(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
