package dev.gatehouse.injector.config;

import java.net.URI;
import java.time.Duration;

/**
 * Where the webhook sends the notifications a decision asks for ({@code notify}, e.g. break-glass):
 * a JSON POST with a Slack-compatible {@code text}.
 *
 * @param webhookUrl the outgoing webhook (Slack incoming webhook or any HTTP receiver); null: off
 * @param timeout per attempt
 * @param maxAttempts attempts in all, at least 1
 * @param retryBackoff wait before the second attempt, doubled before each further one
 * @param maxPending notifications waiting or in flight beyond this are dropped (and logged), so a
 *     dead receiver cannot make the webhook hoard memory
 */
public record NotificationConfig(URI webhookUrl, Duration timeout, int maxAttempts, Duration retryBackoff,
    int maxPending) {
  public boolean enabled() {
    return webhookUrl != null;
  }
}
