package dev.gatehouse.sidecar.decisionlog;

import dev.gatehouse.engine.value.Value;
import java.time.Instant;
import java.util.Map;

/**
 * One policy decision, in the fields of OPA's decision-log event. Values stay engine values until
 * the logger's worker thread encodes them, so logging costs the request path one queue offer.
 *
 * @param decisionId unique id, also returned to the caller (see {@link DecisionLogger#newDecisionId()})
 * @param path the decision's data path without the {@code data.} prefix, slash separated
 *     ({@code gatehouse/sidecar/decision}); null for ad-hoc queries
 * @param query the ad-hoc query text, or null when the decision is a path
 * @param input the input document, or null when there was none
 * @param result the result, or null when undefined
 * @param bundles bundle name to revision of the policy that decided
 * @param timestamp when the decision was made
 * @param metrics timer and counter metrics ({@code timer_rego_query_eval_ns}...), may be empty
 * @param requestedBy who asked: the client's address
 * @param error what went wrong, as OPA logs it ({@code "undefined_document: document missing: data.x"}),
 *     or null
 * @param reqId the server's request counter ({@code req_id}), 0 when there is none
 */
public record DecisionEvent(String decisionId, String path, String query, Value input, Value result,
    Map<String, String> bundles, Instant timestamp, Map<String, Long> metrics, String requestedBy, String error,
    long reqId) {
  public DecisionEvent {
    bundles = bundles == null ? Map.of() : Map.copyOf(bundles);
    metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
    timestamp = timestamp == null ? Instant.now() : timestamp;
  }

  /** A decision at a data path. */
  public static DecisionEvent of(String decisionId, String path, Value input, Value result,
      Map<String, String> bundles, Map<String, Long> metrics, String requestedBy) {
    return new DecisionEvent(decisionId, path, null, input, result, bundles, Instant.now(), metrics, requestedBy, null,
        0);
  }

  public DecisionEvent withError(String message) {
    return new DecisionEvent(decisionId, path, query, input, result, bundles, timestamp, metrics, requestedBy, message,
        reqId);
  }

  public DecisionEvent withReqId(long id) {
    return new DecisionEvent(decisionId, path, query, input, result, bundles, timestamp, metrics, requestedBy, error, id);
  }
}
