package dev.gatehouse.sidecar.decisionlog;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How decisions are logged. Mirrors OPA's {@code decision_logs} settings where they exist.
 *
 * @param bufferSize events held between the request threads and the writer; when full, new
 *     events are dropped and counted (logging never blocks a request)
 * @param labels labels on every event (OPA puts {@code id} and {@code version} there)
 * @param maskDecision data path of the mask rule ({@code system/log/mask} as OPA), evaluated on
 *     the active policy with the event as input; null to skip
 * @param dropDecision data path of the drop rule ({@code system/log/drop}); null to skip
 * @param masks static mask rules applied before the policy's
 * @param flushInterval how often buffered sinks (file, HTTP) flush or upload
 */
public record DecisionLogConfig(int bufferSize, Map<String, String> labels, String maskDecision, String dropDecision,
    List<MaskRule> masks, Duration flushInterval) {
  public static final int DEFAULT_BUFFER_SIZE = 10_000;

  public DecisionLogConfig {
    if (bufferSize <= 0) {
      throw new IllegalArgumentException("decision log buffer size must be positive");
    }
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    masks = masks == null ? List.of() : List.copyOf(masks);
    flushInterval = flushInterval == null ? Duration.ofSeconds(1) : flushInterval;
  }

  /** OPA's defaults: mask and drop rules read from {@code system.log}. */
  public static DecisionLogConfig defaults() {
    return new DecisionLogConfig(DEFAULT_BUFFER_SIZE, Map.of(), "system/log/mask", "system/log/drop", List.of(),
        Duration.ofSeconds(1));
  }

  public DecisionLogConfig withLabels(Map<String, String> l) {
    return new DecisionLogConfig(bufferSize, l, maskDecision, dropDecision, masks, flushInterval);
  }

  public DecisionLogConfig withMasks(List<MaskRule> m) {
    return new DecisionLogConfig(bufferSize, labels, maskDecision, dropDecision, m, flushInterval);
  }

  public DecisionLogConfig withBufferSize(int n) {
    return new DecisionLogConfig(n, labels, maskDecision, dropDecision, masks, flushInterval);
  }

  public DecisionLogConfig withFlushInterval(Duration d) {
    return new DecisionLogConfig(bufferSize, labels, maskDecision, dropDecision, masks, d);
  }
}
