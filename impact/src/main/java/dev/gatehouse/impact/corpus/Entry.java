package dev.gatehouse.impact.corpus;

import dev.gatehouse.engine.value.Value;

/**
 * One recorded decision to replay.
 *
 * @param ordinal position in the corpus (orders examples deterministically whatever the threads do)
 * @param kind which corpus it came from
 * @param source {@code file:line} (decision logs) or the file (reviews, golden files)
 * @param path the decision path as a query, {@code data.gatehouse.sidecar.decision}
 * @param input the input document; null when the decision had none
 * @param recorded the result as recorded (null when the log has none or the decision was undefined)
 * @param decisionId the log's {@code decision_id}, or null
 * @param timestamp the log's timestamp (RFC 3339), or null
 * @param nowNanos the clock for {@code time.now_ns()}: the decision's own time when known, else null
 * @param data runtime data the decision was made with (golden files), or null
 */
public record Entry(long ordinal, Kind kind, String source, String path, Value input, Value recorded,
    String decisionId, String timestamp, Long nowNanos, Value data) {

  public enum Kind {
    DECISION_LOG("decision log"), ADMISSION_REVIEW("AdmissionReview"), GOLDEN("golden decision");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }
}
