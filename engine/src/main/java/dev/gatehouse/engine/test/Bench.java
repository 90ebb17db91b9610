package dev.gatehouse.engine.test;

import dev.gatehouse.engine.EvalOptions;
import dev.gatehouse.engine.PreparedQuery;
import java.lang.management.ManagementFactory;

/**
 * {@code opa test --bench}: a passing test's query is prepared once and evaluated N times, N
 * grown as Go's testing.B grows it (1, then the count predicted to fill the bench time plus a
 * fifth, at most 100 times the last, at least one more) until a run takes the bench time (1s).
 * Memory is the bytes the JVM allocated on the benchmarking thread (HotSpot's per-thread
 * counter); the JVM keeps no count of allocations, so that stays unknown (-1).
 */
public final class Bench {
  private Bench() {}

  /**
   * What opa's benchmark_result holds: iterations, total nanoseconds, bytes allocated in all, the
   * count of allocations (-1: unknown on the JVM) and the nanoseconds spent evaluating (opa's
   * {@code timer_rego_query_eval_ns}).
   */
  public record Result(long n, long totalNanos, long memBytes, long memAllocs, long evalNanos) {
    public double nsPerOp() {
      return n == 0 ? 0 : (double) totalNanos / n;
    }

    public double evalNsPerOp() {
      return n == 0 ? 0 : (double) evalNanos / n;
    }

    public long bytesPerOp() {
      return n == 0 ? 0 : memBytes / n;
    }
  }

  static final long BENCH_TIME = 1_000_000_000L;

  static Result run(PreparedQuery q, EvalOptions options) {
    long n = 1;
    Result r = runN(q, options, n);
    while (r.totalNanos() < BENCH_TIME && n < 1_000_000_000L) {
      long last = n;
      long prev = Math.max(r.totalNanos(), 1);
      n = BENCH_TIME * last / prev;
      n += n / 5;
      n = Math.min(n, 100 * last);
      n = Math.max(n, last + 1);
      n = Math.min(n, 1_000_000_000L);
      r = runN(q, options, n);
    }
    return r;
  }

  private static Result runN(PreparedQuery q, EvalOptions options, long n) {
    long bytes0 = allocatedBytes();
    long eval = 0;
    long start = System.nanoTime();
    for (long i = 0; i < n; i++) {
      long t = System.nanoTime();
      q.eval(options);
      eval += System.nanoTime() - t;
    }
    long total = System.nanoTime() - start;
    long bytes = allocatedBytes() - bytes0;
    return new Result(n, total, bytes0 < 0 ? 0 : bytes, -1, eval);
  }

  private static long allocatedBytes() {
    if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t
        && t.isThreadAllocatedMemorySupported()) {
      return t.getThreadAllocatedBytes(Thread.currentThread().getId());
    }
    return -1;
  }
}
