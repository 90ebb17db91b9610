package dev.gatehouse.controlplane.bundle;

import dev.gatehouse.controlplane.grant.SigningKeys;
import dev.gatehouse.controlplane.policy.PolicySnapshot;
import dev.gatehouse.controlplane.store.Store;
import dev.gatehouse.engine.bundle.Bundle;
import dev.gatehouse.engine.bundle.Manifest;
import dev.gatehouse.engine.bundle.SigningConfig;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.Value;
import dev.gatehouse.engine.value.ArrayValue;
import dev.gatehouse.engine.value.Json;
import dev.gatehouse.engine.value.StringValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the two OPA bundles, signed with the control plane's ES256 key and kid as
 * {@code opa build --signing-alg ES256} signs (a {@code .signatures.json} JWS over the files'
 * digests). The grants bundle holds every grant not yet expired (scheduled, active, or revoked but
 * not yet expired), sorted by id, each with its own JWS; its revision is
 * {@code grants-<sequence>}, the sequence bumped in the same transaction as every change to that set.
 */
public final class Bundles {
  public static final String GRANTS_ROOT = "gatehouse/grants";
  /** Store meta key of the grants bundles' epoch. */
  static final String EPOCH_KEY = "grants_epoch";
  private final Store store;
  private final SigningKeys keys;
  private final SigningConfig signing;
  private volatile BuiltBundle grants;
  private volatile BuiltBundle policies;
  private Map<String, Entry> entryCache = new HashMap<>();
  private volatile ObjectValue grantsMetadata;

  private record Entry(String updatedAt, Value value) {}

  /**
   * The grants list of one built revision, for delta bundles: ids sorted (the bundle's order) and
   * each entry (document + JWS, shared with the entry cache, so a revision costs two arrays).
   */
  record Built(String revision, String[] ids, Value[] entries) {}

  /** A delta up to this size is sent even when the snapshot is smaller (a handful of grants). */
  static final int SMALL_DELTA_BYTES = 64 * 1024;
  /** How many recent revisions a delta can start from; older clients get a snapshot. */
  private final int deltaHistory;
  private final java.util.ArrayDeque<Built> history = new java.util.ArrayDeque<>();
  /** Deltas already built to the current revision, by base revision (cleared when it moves). */
  private final Map<String, BuiltBundle> deltas = new java.util.concurrent.ConcurrentHashMap<>();

  public Bundles(Store store, SigningKeys keys) {
    this(store, keys, Integer.getInteger("gatehouse.bundles.deltaHistory", 64));
  }

  /** {@code deltaHistory} 0 turns delta bundles off (every change is sent as a snapshot). */
  public Bundles(Store store, SigningKeys keys, int deltaHistory) {
    this.deltaHistory = Math.max(0, deltaHistory);
    this.store = store;
    this.keys = keys;
    this.signing = new SigningConfig(keys.privateKeyPem(), "ES256", null, keys.keyId());
  }

  /**
   * The grants manifest's {@code metadata.epoch}: the store's creation time in seconds, set once.
   * Enforcers order grants bundles by (epoch, sequence) and refuse older ones as replays, so a
   * control plane that starts over on an empty store (grants-1 again) must order after the old
   * store's bundles; being signed, an old bundle cannot claim the new epoch.
   */
  private ObjectValue grantsMetadata() {
    ObjectValue m = grantsMetadata;
    if (m == null) {
      long epoch = store.meta(EPOCH_KEY).map(Long::parseLong).orElseGet(() -> store.write(tx -> {
        java.util.Optional<String> set = tx.reads().meta(EPOCH_KEY);
        if (set.isPresent()) {
          return Long.parseLong(set.get());
        }
        long now = java.time.Instant.now().getEpochSecond();
        tx.putMeta(EPOCH_KEY, Long.toString(now));
        return now;
      }));
      m = ObjectValue.of(Map.of(StringValue.of("epoch"), dev.gatehouse.engine.value.NumberValue.of(epoch)));
      grantsMetadata = m;
    }
    return m;
  }

  /** The grants bundle for the current sequence, rebuilt only when the sequence moved. */
  public BuiltBundle grants() {
    BuiltBundle b = grants;
    long seq = store.grantsSequence();
    if (b != null && b.revision().equals("grants-" + seq)) {
      return b;
    }
    synchronized (this) {
      b = grants;
      if (b != null && b.revision().equals("grants-" + store.grantsSequence())) {
        return b;
      }
      // Sequence and grants are read in one transaction so the label matches the content.
      long t0 = System.nanoTime();
      Store.BundleRows read = store.bundleRows();
      long t1 = System.nanoTime();
      // Each entry is the grant document plus its JWS, parsed once per version of the grant:
      // a revocation re-reads one grant, not all of them.
      Map<String, Entry> next = new HashMap<>();
      List<Value> entries = new ArrayList<>(read.rows().size());
      String[] ids = new String[read.rows().size()];
      for (Store.BundleRow row : read.rows()) {
        ids[entries.size()] = row.id();
        Entry e = entryCache.get(row.id());
        if (e == null || !e.updatedAt().equals(row.updatedAt())) {
          Value doc = Json.parse(row.doc());
          e = new Entry(row.updatedAt(), ((ObjectValue) doc).with(StringValue.of("jws"), StringValue.of(row.jws())));
        }
        next.put(row.id(), e);
        entries.add(e.value());
      }
      entryCache = next;
      ObjectValue v = ObjectValue.of(Map.of(StringValue.of("gatehouse"),
          ObjectValue.of(Map.of(StringValue.of("grants"), ArrayValue.of(entries)))));
      String revision = "grants-" + read.sequence();
      Manifest m = new Manifest(revision, List.of(GRANTS_ROOT), null, Map.of(), grantsMetadata());
      long t2 = System.nanoTime();
      Bundle signed = Bundle.of(m, List.of(), v).signed(signing);
      long t3 = System.nanoTime();
      byte[] bytes = signed.toTarGz();
      if (Boolean.getBoolean("gatehouse.debug.bundles")) {
        System.err.printf("grants bundle: read %.1f ms, entries %.1f ms, sign %.1f ms, tar.gz %.1f ms%n", (t1 - t0) / 1e6,
            (t2 - t1) / 1e6, (t3 - t2) / 1e6, (System.nanoTime() - t3) / 1e6);
      }
      b = new BuiltBundle(revision, bytes);
      grants = b;
      deltas.clear();
      if (deltaHistory > 0) {
        history.addLast(new Built(revision, ids, entries.toArray(new Value[0])));
        while (history.size() > deltaHistory + 1) {
          history.removeFirst();
        }
      }
      return b;
    }
  }

  /**
   * What to send a client whose {@code If-None-Match} is {@code etag}: the current snapshot, or,
   * when {@code etag} is a recent revision this process built, an OPA <em>delta</em> bundle of
   * the grants that changed since (each entry with its own JWS, as in a snapshot), signed like the
   * snapshot. Its manifest names the base in {@code metadata.base_revision} (the enforcer applies
   * it to exactly that revision, else asks for the snapshot) and carries the same epoch. Array
   * indexes in its operations are those of the base's list: removals first (from the end), then
   * replacements and insertions in id order, so each index holds as the patch is applied.
   */
  public BuiltBundle grantsFor(String etag) {
    BuiltBundle current = grants();
    if (etag == null || etag.equals(current.revision()) || deltaHistory == 0) {
      return current;
    }
    BuiltBundle d = deltas.get(etag);
    if (d != null && d.revision().equals(current.revision())) {
      return d;
    }
    Built base;
    Built target;
    synchronized (this) {
      target = history.peekLast();
      base = history.stream().filter(h -> h.revision().equals(etag)).findFirst().orElse(null);
    }
    if (base == null || target == null || !target.revision().equals(current.revision())) {
      return current;
    }
    List<dev.gatehouse.engine.bundle.DataPatch.Op> ops = diff(base, target);
    Manifest m = new Manifest(target.revision(), List.of(GRANTS_ROOT), null, Map.of(),
        grantsMetadata().with(StringValue.of("base_revision"), StringValue.of(base.revision())));
    byte[] bytes = Bundle.delta(m, ops).signed(signing).toTarGz();
    // A big delta is only worth it when smaller than the snapshot (not after a mass expiry or a
    // bulk import); a small one always is (the enforcer patches instead of re-reading everything).
    d = bytes.length <= Math.max(current.bytes().length, SMALL_DELTA_BYTES) ? new BuiltBundle(target.revision(), bytes)
        : current;
    deltas.put(etag, d);
    return d;
  }

  static List<dev.gatehouse.engine.bundle.DataPatch.Op> diff(Built base, Built target) {
    String prefix = "/" + GRANTS_ROOT + "/";
    List<dev.gatehouse.engine.bundle.DataPatch.Op> ops = new ArrayList<>();
    // Removals, from the highest index down so the lower ones stay put.
    Map<String, Integer> inTarget = new HashMap<>(target.ids().length * 2);
    for (int i = 0; i < target.ids().length; i++) {
      inTarget.put(target.ids()[i], i);
    }
    Map<String, Integer> inBase = new HashMap<>(base.ids().length * 2);
    for (int i = base.ids().length - 1; i >= 0; i--) {
      inBase.put(base.ids()[i], i);
      if (!inTarget.containsKey(base.ids()[i])) {
        ops.add(dev.gatehouse.engine.bundle.DataPatch.Op.remove(prefix + i));
      }
    }
    // Then in target order: after the removals, everything before index i is already the
    // target's first i entries, so i is the right index to replace at or insert at.
    for (int i = 0; i < target.ids().length; i++) {
      Integer was = inBase.get(target.ids()[i]);
      if (was == null) {
        ops.add(dev.gatehouse.engine.bundle.DataPatch.Op.upsert(prefix + i, target.entries()[i]));
      } else if (base.entries()[was] != target.entries()[i] && !base.entries()[was].equals(target.entries()[i])) {
        ops.add(dev.gatehouse.engine.bundle.DataPatch.Op.replace(prefix + i, target.entries()[i]));
      }
    }
    if (ops.isEmpty()) {
      // OPA reads an empty patch as "erase the data": a revision without a visible change
      // (a scheduled grant becoming active) re-states one entry instead.
      ops.add(target.ids().length == 0
          ? dev.gatehouse.engine.bundle.DataPatch.Op.replace("/" + GRANTS_ROOT, dev.gatehouse.engine.value.ArrayValue.EMPTY)
          : dev.gatehouse.engine.bundle.DataPatch.Op.replace(prefix + 0, target.entries()[0]));
    }
    return ops;
  }

  /** The policies bundle of a snapshot (roots computed from its content, never {@code gatehouse/grants}). */
  public BuiltBundle policies(PolicySnapshot s) {
    BuiltBundle b = policies;
    if (b != null && b.revision().equals(s.revision())) {
      return b;
    }
    synchronized (this) {
      Manifest m = new Manifest(s.revision(), s.roots(), null, Map.of(), null);
      b = new BuiltBundle(s.revision(), Bundle.of(m, s.modules(), s.data()).signed(signing).toTarGz());
      policies = b;
      return b;
    }
  }

  public SigningKeys keys() {
    return keys;
  }
}
