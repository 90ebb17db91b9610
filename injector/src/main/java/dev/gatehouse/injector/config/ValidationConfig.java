package dev.gatehouse.injector.config;

import java.time.Duration;

/**
 * How guardrails are evaluated.
 *
 * @param decisionPath the Rego document holding the decision object
 * @param failureMode the answer when no decision can be made
 * @param evaluationTimeout per-request deadline for policy evaluation
 */
public record ValidationConfig(String decisionPath, FailureMode failureMode, Duration evaluationTimeout) {}
