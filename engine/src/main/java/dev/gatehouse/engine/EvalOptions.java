package dev.gatehouse.engine;

import dev.gatehouse.engine.builtins.NetworkPolicy;
import dev.gatehouse.engine.value.Value;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Per-evaluation settings. {@code input} null means no input document. {@code nowNanos} null
 * means the wall clock at the start of the query. {@code cancelled} null means only the timeout
 * ends an evaluation early. Build with {@link #builder()}.
 */
public record EvalOptions(Value input, Duration timeout, int maxDepth, boolean strictBuiltinErrors,
    PrintHook printHook, Long nowNanos, NetworkPolicy network, Value runtime, boolean instrument,
    EvalListener listener, BooleanSupplier cancelled) {

  /** The form without a listener (kept for callers that construct options directly). */
  public EvalOptions(Value input, Duration timeout, int maxDepth, boolean strictBuiltinErrors, PrintHook printHook,
      Long nowNanos, NetworkPolicy network, Value runtime, boolean instrument) {
    this(input, timeout, maxDepth, strictBuiltinErrors, printHook, nowNanos, network, runtime, instrument, null, null);
  }

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
  public static final int DEFAULT_MAX_DEPTH = 2_000;

  public static EvalOptions of(Value input) {
    return builder().input(input).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder {
    private Value input;
    private Duration timeout = DEFAULT_TIMEOUT;
    private int maxDepth = DEFAULT_MAX_DEPTH;
    private boolean strict;
    private PrintHook printHook;
    private Long nowNanos;
    private NetworkPolicy network = NetworkPolicy.DENY_ALL;
    private Value runtime;
    private boolean instrument;
    private EvalListener listener;
    private BooleanSupplier cancelled;

    public Builder input(Value v) { input = v; return this; }

    /** Wall-clock limit for one evaluation; exceeded → eval_cancel_error. */
    public Builder timeout(Duration d) { timeout = d; return this; }

    /** Maximum nesting of rule/function calls; exceeded → eval error instead of a stack overflow. */
    public Builder maxDepth(int d) { maxDepth = d; return this; }

    public Builder strictBuiltinErrors(boolean s) { strict = s; return this; }

    public Builder printHook(PrintHook h) { printHook = h; return this; }

    public Builder nowNanos(long n) { nowNanos = n; return this; }

    public Builder network(NetworkPolicy p) { network = p; return this; }

    public Builder runtime(Value r) { runtime = r; return this; }

    /** Collects coverage (evaluated expression locations) for the test runner. */
    public Builder instrument(boolean i) { instrument = i; return this; }

    /** Observes every expression evaluated (coverage, failure reports); null for none. */
    public Builder listener(EvalListener l) { listener = l; return this; }

    /**
     * Asked where the deadline is checked (every few hundred steps, in long builtins): once it
     * says true the evaluation ends with eval_cancel_error. For callers that stop waiting for an
     * answer before the timeout (a server that already answered), so abandoned work stops too.
     */
    public Builder cancelled(BooleanSupplier c) { cancelled = c; return this; }

    public EvalOptions build() {
      return new EvalOptions(input, timeout, maxDepth, strict, printHook, nowNanos, network, runtime, instrument,
          listener, cancelled);
    }
  }
}
