package dev.gatehouse.injector.policy;

import dev.gatehouse.engine.EvalOptions;
import dev.gatehouse.engine.QueryResult;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Evaluates the decision path for one admission request. The input document is
 * {@code {"request": <AdmissionReview.request as received>, "now": "<RFC 3339>"}} — the shape
 * OPA's kube-mgmt uses ({@code input.request.object…}) plus the clock, so that grant expiry is
 * judged against the same instant the policy sees as {@code time.now_ns()}.
 */
public final class GuardrailEvaluator {
  private final String decisionPath;
  private final Duration timeout;

  public GuardrailEvaluator(String decisionPath, Duration timeout) {
    this.decisionPath = decisionPath;
    this.timeout = timeout;
  }

  /** The input document for a request. */
  public static Value input(Value request, Instant now) {
    return ObjectValue.of("request", request, "now", StringValue.of(DateTimeFormatter.ISO_INSTANT.format(now)));
  }

  /**
   * @throws dev.gatehouse.engine.RegoException on evaluation errors and when the deadline passes
   * @throws DecisionReader.MalformedDecision when the decision is undefined or has the wrong shape
   */
  public Decision evaluate(CompiledPolicies policies, Value request, Instant now) {
    return evaluate(policies, request, now, null);
  }

  /**
   * As {@link #evaluate(CompiledPolicies, Value, Instant)}, ending early (eval_cancel_error) once
   * {@code abandoned} says nobody waits for the answer any more; null: only the deadline.
   */
  public Decision evaluate(CompiledPolicies policies, Value request, Instant now, BooleanSupplier abandoned) {
    long nowNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    List<QueryResult> results = policies.decision().eval(EvalOptions.builder()
        .input(input(request, now))
        .timeout(timeout)
        .nowNanos(nowNanos)
        .cancelled(abandoned)
        .build());
    if (results.isEmpty()) {
      throw new DecisionReader.MalformedDecision(decisionPath + " is undefined (no policy defines the decision)");
    }
    return DecisionReader.read(results.get(0).value(), decisionPath);
  }
}
