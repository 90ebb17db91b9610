package dev.gatehouse.controlplane.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.gatehouse.controlplane.Jsons;
import dev.gatehouse.controlplane.store.Store;
import dev.gatehouse.engine.value.Value;

/**
 * The namespace grants the grants bundle holds (scheduled, active, revoked-but-not-expired), as the
 * value the Kubernetes policies read at {@code data.gatehouse.grants}. Rebuilt from the store when
 * the grants sequence moves ({@link #invalidate} from the control plane's hook, and a sequence
 * check on every read as a backstop); whether a grant is in force is the policy's call at
 * {@code now}, so expiry needs no rebuild.
 */
public final class LiveGrants {
  private record Snapshot(long sequence, Value grants, int count) {}

  private final Store store;
  private volatile Snapshot snapshot;
  private volatile boolean stale = true;
  private volatile long checkedAt;

  public LiveGrants(Store store) {
    this.store = store;
  }

  /** The grants changed (a commit bumped the sequence): the next read rebuilds. */
  public void invalidate() {
    stale = true;
  }

  /** The namespace grants as an engine array value. */
  public Value current() {
    Snapshot s = snapshot;
    if (s == null || stale || sequenceMoved(s)) {
      s = rebuild();
    }
    return s.grants();
  }

  public int count() {
    current();
    return snapshot.count();
  }

  /** At most twice a second: a change committed elsewhere (another replica) without our hook. */
  private boolean sequenceMoved(Snapshot s) {
    long now = System.nanoTime();
    if (now - checkedAt < 500_000_000L) {
      return false;
    }
    checkedAt = now;
    return store.grantsSequence() != s.sequence();
  }

  private synchronized Snapshot rebuild() {
    stale = false;
    Store.BundleRows rows = store.bundleRows();
    ArrayNode out = Jsons.MAPPER.createArrayNode();
    for (Store.BundleRow r : rows.rows()) {
      try {
        JsonNode doc = Jsons.MAPPER.readTree(r.doc());
        if ("namespace".equals(doc.path("target").path("kind").asText())) {
          out.add(doc);
        }
      } catch (java.io.IOException e) {
        throw new IllegalStateException("grant " + r.id() + " has an unreadable document", e);
      }
    }
    Snapshot s = new Snapshot(rows.sequence(), Jsons.toValue(out), out.size());
    snapshot = s;
    return s;
  }
}
