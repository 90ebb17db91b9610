package dev.gatehouse.sidecar;

import dev.gatehouse.engine.value.Value;
import java.util.Map;

/**
 * One decision of {@code data.gatehouse.sidecar.decision}: its id (sent back in
 * {@code x-gatehouse-decision-id}), the outcome, the input and result as evaluated, the bundle
 * revisions it was made with and how long it took.
 */
public record Decision(String id, boolean allow, String reason, String grantId, String hint, Value input,
    Value result, Map<String, String> revisions, long evalNanos) {}
