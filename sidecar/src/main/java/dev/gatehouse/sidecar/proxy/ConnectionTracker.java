package dev.gatehouse.sidecar.proxy;

import dev.gatehouse.sidecar.Decider;
import dev.gatehouse.sidecar.Decision;
import dev.gatehouse.sidecar.RequestFacts;
import dev.gatehouse.sidecar.admin.SidecarMetrics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * Open connections that a grant admitted (WebSockets, keep-alive and HTTP/2 connections), keyed by
 * the connection, each with the request facts that admitted it. A connection is re-decided when a
 * new set of bundles activates (a revocation) and when its grant's {@code expires_at} passes (the
 * periodic check, on the injected clock); one that is no longer allowed by any grant is closed.
 */
public final class ConnectionTracker {
  /** One tracked connection; {@code closer} closes it and must be safe to call from any thread. */
  static final class Tracked {
    volatile RequestFacts facts;
    volatile String grantId;
    final Runnable closer;

    Tracked(RequestFacts facts, String grantId, Runnable closer) {
      this.facts = facts;
      this.grantId = grantId;
      this.closer = closer;
    }
  }

  private final Map<Object, Tracked> tracked = new ConcurrentHashMap<>();
  private final Decider decider;
  private final SidecarMetrics metrics;
  private final BiConsumer<RequestFacts, String> onClose;

  /** {@code onClose} logs each closure: the facts that had admitted the connection, and why it ends. */
  public ConnectionTracker(Decider decider, SidecarMetrics metrics, BiConsumer<RequestFacts, String> onClose) {
    this.decider = decider;
    this.metrics = metrics;
    this.onClose = onClose;
    metrics.trackedConnections(tracked::size);
  }

  /** Returns true when the key was not tracked before (the caller installs its close hook then). */
  boolean track(Object key, RequestFacts facts, String grantId, Runnable closer) {
    Tracked prev = tracked.putIfAbsent(key, new Tracked(facts, grantId, closer));
    if (prev != null) {
      prev.facts = facts;
      prev.grantId = grantId;
      return false;
    }
    return true;
  }

  void untrack(Object key) {
    tracked.remove(key);
  }

  public int size() {
    return tracked.size();
  }

  /** Re-decides every tracked connection (after an activation). Blocking: run on a worker. */
  public void recheckAll() {
    recheck(new ArrayList<>(tracked.entrySet()));
  }

  /** Re-decides the connections whose grant has expired at {@code now} or is no longer loaded. */
  public void recheckExpired(Instant now) {
    if (tracked.isEmpty()) {
      return;
    }
    Map<String, Instant> expiry;
    try {
      expiry = decider.grantExpiry();
    } catch (Decider.NotReadyException e) {
      return;
    }
    List<Map.Entry<Object, Tracked>> due = new ArrayList<>();
    for (Map.Entry<Object, Tracked> e : tracked.entrySet()) {
      Instant exp = expiry.get(e.getValue().grantId);
      if (exp == null || !exp.isAfter(now)) {
        due.add(e);
      }
    }
    recheck(due);
  }

  private void recheck(List<Map.Entry<Object, Tracked>> entries) {
    for (Map.Entry<Object, Tracked> e : entries) {
      Tracked t = e.getValue();
      String reason;
      try {
        Decision d = decider.decide(t.facts);
        if (d.allow() && d.grantId() != null) {
          t.grantId = d.grantId(); // still covered, perhaps by another grant
          continue;
        }
        if (d.allow()) {
          // allowed by a standing rule now: nothing to watch
          tracked.remove(e.getKey(), t);
          continue;
        }
        reason = d.reason();
      } catch (Decider.NotReadyException | RuntimeException ex) {
        reason = "re-check failed: " + ex.getMessage();
      }
      if (tracked.remove(e.getKey(), t)) {
        metrics.connectionClosed("grant_ended");
        onClose.accept(t.facts, reason);
        t.closer.run();
      }
    }
  }
}
