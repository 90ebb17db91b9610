package dev.gatehouse.controlplane.api;

import java.util.concurrent.ConcurrentHashMap;

/**
 * At most {@code limit} events per key per window (fixed windows). Bounds how many failed
 * authentications one address can write to the audit log; the rest are only counted.
 */
public final class RateLimit {
  private final int limit;
  private final long windowMs;
  private final ConcurrentHashMap<String, long[]> windows = new ConcurrentHashMap<>();

  public RateLimit(int limit, long windowMs) {
    this.limit = limit;
    this.windowMs = windowMs;
  }

  public boolean allow(String key) {
    long now = System.currentTimeMillis();
    if (windows.size() > 10_000) {
      windows.entrySet().removeIf(e -> now - e.getValue()[0] > windowMs);
    }
    long[] w = windows.compute(key, (k, v) -> {
      if (v == null || now - v[0] > windowMs) {
        return new long[] {now, 1};
      }
      v[1]++;
      return v;
    });
    return w[1] <= limit;
  }
}
