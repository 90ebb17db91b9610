package dev.gatehouse.sidecar;

import java.util.Map;

/**
 * What a decision needs from a request: method, the raw path as received (never normalised, so
 * the policy can refuse non-canonical forms), headers (lower-case names; credentials removed) and
 * the caller's subject (null when anonymous). Kept with long-lived connections to re-decide them.
 */
public record RequestFacts(String method, String rawPath, Map<String, String> headers, String subject) {}
