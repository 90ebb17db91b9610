package dev.gatehouse.injector.config;

/**
 * What the webhook answers when it cannot decide (evaluation error, deadline, policies not loaded):
 * {@code CLOSED} denies with the reason, {@code OPEN} allows with a warning and an audit annotation.
 */
public enum FailureMode {
  CLOSED, OPEN
}
