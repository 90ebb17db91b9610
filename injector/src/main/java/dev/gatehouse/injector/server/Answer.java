package dev.gatehouse.injector.server;

import java.util.Map;

/**
 * An HTTP answer and what it meant, for the access log and metrics.
 *
 * @param status HTTP status: 200 for every admission decision (allowed or not), 400 for bad requests
 * @param body JSON bytes
 * @param decision a bounded label: allowed, denied, injected, skipped, error_denied, error_allowed, invalid
 * @param dryRun the request was a dry run
 * @param log fields for the decision log line
 */
public record Answer(int status, byte[] body, String decision, boolean dryRun, Map<String, Object> log) {}
