package dev.gatehouse.sync.source;

import java.util.concurrent.ThreadLocalRandom;

/** Poll delays with jitter, so a fleet of sidecars does not poll in lock step. */
final class Delays {
  private Delays() {}

  /** A uniformly random delay in [min, max] seconds, in milliseconds. */
  static long between(long minSeconds, long maxSeconds) {
    long min = minSeconds * 1000;
    long max = Math.max(min, maxSeconds * 1000);
    return min == max ? min : ThreadLocalRandom.current().nextLong(min, max + 1);
  }

  /**
   * Exponential backoff after {@code failures} consecutive failures: 250 ms doubling up to
   * {@code maxSeconds} (at least 1 s), with ±20 % jitter.
   */
  static long backoff(int failures, long maxSeconds) {
    long cap = Math.max(1000, maxSeconds * 1000);
    long base = 250L << Math.min(20, Math.max(0, failures - 1));
    long d = Math.min(cap, base);
    double jitter = 0.8 + ThreadLocalRandom.current().nextDouble() * 0.4;
    return (long) (d * jitter);
  }
}
