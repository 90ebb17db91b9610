package dev.gatehouse.sidecar.admin;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * The sidecar's counters and decision latency histogram, in Prometheus text format. Label values
 * come from fixed sets (outcomes, close reasons), never from requests.
 */
public final class SidecarMetrics {
  /** Upper bounds in seconds: dense below 1 ms, the added-latency goal. */
  static final double[] BUCKETS = {0.0001, 0.00025, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1};

  private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> closed = new ConcurrentHashMap<>();
  private final LongAdder upstreamErrors = new LongAdder();
  private final AtomicLongArray buckets = new AtomicLongArray(BUCKETS.length + 1);
  private final DoubleAdder sum = new DoubleAdder();
  private final LongAdder count = new LongAdder();
  private volatile IntSupplier trackedConnections = () -> 0;

  /** outcome: allow, deny, unauthenticated, unavailable, error. */
  public void request(String outcome) {
    requests.computeIfAbsent(outcome, k -> new LongAdder()).increment();
  }

  public void decisionNanos(long nanos) {
    double s = nanos / 1e9;
    int i = 0;
    while (i < BUCKETS.length && s > BUCKETS[i]) {
      i++;
    }
    buckets.incrementAndGet(i);
    sum.add(s);
    count.increment();
  }

  public void upstreamError() {
    upstreamErrors.increment();
  }

  /** reason: revoked_or_expired. */
  public void connectionClosed(String reason) {
    closed.computeIfAbsent(reason, k -> new LongAdder()).increment();
  }

  public void trackedConnections(IntSupplier s) {
    trackedConnections = s;
  }

  public long requests(String outcome) {
    LongAdder a = requests.get(outcome);
    return a == null ? 0 : a.sum();
  }

  public void render(StringBuilder sb) {
    sb.append("# HELP gatehouse_sidecar_requests_total Requests seen by the proxy, by outcome.\n");
    sb.append("# TYPE gatehouse_sidecar_requests_total counter\n");
    new TreeMap<>(requests).forEach((k, v) ->
        sb.append("gatehouse_sidecar_requests_total{outcome=\"").append(k).append("\"} ").append(v.sum()).append('\n'));
    sb.append("# HELP gatehouse_sidecar_decision_duration_seconds Policy evaluation time per request.\n");
    sb.append("# TYPE gatehouse_sidecar_decision_duration_seconds histogram\n");
    long cumulative = 0;
    for (int i = 0; i < BUCKETS.length; i++) {
      cumulative += buckets.get(i);
      sb.append("gatehouse_sidecar_decision_duration_seconds_bucket{le=\"").append(BUCKETS[i]).append("\"} ")
          .append(cumulative).append('\n');
    }
    cumulative += buckets.get(BUCKETS.length);
    sb.append("gatehouse_sidecar_decision_duration_seconds_bucket{le=\"+Inf\"} ").append(cumulative).append('\n');
    sb.append("gatehouse_sidecar_decision_duration_seconds_sum ").append(sum.sum()).append('\n');
    sb.append("gatehouse_sidecar_decision_duration_seconds_count ").append(count.sum()).append('\n');
    sb.append("# HELP gatehouse_sidecar_upstream_errors_total Requests the upstream could not answer (502).\n");
    sb.append("# TYPE gatehouse_sidecar_upstream_errors_total counter\n");
    sb.append("gatehouse_sidecar_upstream_errors_total ").append(upstreamErrors.sum()).append('\n');
    sb.append("# HELP gatehouse_sidecar_connections_closed_total Long-lived connections closed because their grant ended.\n");
    sb.append("# TYPE gatehouse_sidecar_connections_closed_total counter\n");
    new TreeMap<>(closed).forEach((k, v) -> sb.append("gatehouse_sidecar_connections_closed_total{reason=\"")
        .append(k).append("\"} ").append(v.sum()).append('\n'));
    sb.append("# HELP gatehouse_sidecar_tracked_connections Open connections admitted by a grant.\n");
    sb.append("# TYPE gatehouse_sidecar_tracked_connections gauge\n");
    sb.append("gatehouse_sidecar_tracked_connections ").append(trackedConnections.getAsInt()).append('\n');
  }
}
