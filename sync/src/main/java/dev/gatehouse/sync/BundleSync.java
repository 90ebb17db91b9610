package dev.gatehouse.sync;

import dev.gatehouse.engine.Policy;
import dev.gatehouse.engine.Rego;
import dev.gatehouse.engine.RegoException;
import dev.gatehouse.engine.ast.RegoVersion;
import dev.gatehouse.engine.bundle.Bundle;
import dev.gatehouse.engine.bundle.BundleException;
import dev.gatehouse.engine.bundle.Manifest;
import dev.gatehouse.engine.bundle.Bundles;
import dev.gatehouse.engine.bundle.DataPatch;
import dev.gatehouse.engine.value.ArrayValue;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import dev.gatehouse.engine.bundle.VerificationConfig;
import dev.gatehouse.sync.config.BundleConfig;
import dev.gatehouse.sync.config.ConfigException;
import dev.gatehouse.sync.config.KeyConfig;
import dev.gatehouse.sync.config.SyncConfig;
import dev.gatehouse.sync.grants.GrantVerifier;
import dev.gatehouse.sync.source.BundleSource;
import dev.gatehouse.sync.source.DirectorySource;
import dev.gatehouse.sync.source.GitSource;
import dev.gatehouse.sync.source.HttpSource;
import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Keeps a compiled {@link Policy} current from a set of bundles (policies, grants…), as OPA's
 * bundle plugin does: each bundle has its own source (HTTP with ETag and long polling, a local
 * directory, Git) running on its own thread; every bundle that arrives is verified (bundle
 * signature, then each grant's own JWS), checked for overlapping roots against the others and
 * compiled together with them into a new {@link Policy}, swapped in atomically. Anything that
 * fails is reported in {@link #status()} and through {@link SyncEvents}, and the last good
 * generation keeps serving. The first generation activates once every configured bundle has
 * arrived, so a policy never serves without its grants.
 */
public final class BundleSync implements PolicyHolder, SyncStatus, AutoCloseable {
  private final SyncConfig config;
  private final Clock clock;
  private final SyncEvents events;
  private final SyncMetrics metrics = new SyncMetrics();
  private final Persistence persistence;
  private final AtomicReference<ActivePolicy> current = new AtomicReference<>();
  private final List<Consumer<ActivePolicy>> listeners = new CopyOnWriteArrayList<>();
  private final Map<String, State> states = new LinkedHashMap<>();
  private final List<BundleSource> sources = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  /** Verified grant payloads by compact JWS, per bundle: only new or changed grants are verified again. */
  private final Map<String, Map<String, dev.gatehouse.engine.value.Value>> verifiedGrants =
      new java.util.concurrent.ConcurrentHashMap<>();
  /** The aligned grants document of each verified snapshot, until it is accepted (by bundle identity). */
  private final Map<Bundle, ObjectValue> pendingAligned =
      java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

  /** Mutable per-bundle state; guarded by {@code this}. */
  private static final class State {
    final BundleConfig config;
    Bundle good; // last bundle that activated (or is waiting for the others before the first activation)
    String revision;
    Instant lastDownload;
    Instant lastActivation;
    String lastError;
    String grantNote; // dropped grants of the bundle being activated, kept in lastError after success
    RevisionOrder floor; // newest grants-<n> ever accepted, here or persisted: older ones are replays
    /**
     * The active data as the server has it, for applying delta bundles: a grants list keeps a
     * placeholder where a grant was dropped, so the server's array indexes still line up. Null
     * when it is the active bundle's own data.
     */
    ObjectValue aligned;

    State(BundleConfig config) {
      this.config = config;
    }
  }

  public BundleSync(SyncConfig config, Clock clock, SyncEvents events) {
    if (config.bundles().isEmpty()) {
      throw new ConfigException("no bundles configured");
    }
    this.config = config;
    this.clock = clock;
    this.events = events;
    this.persistence = config.persistenceDirectory() == null ? null : new Persistence(config.persistenceDirectory());
    for (BundleConfig b : config.bundles().values()) {
      State st = new State(b);
      if (persistence != null) {
        try {
          st.floor = persistence.loadFloor(b.name()).map(RevisionOrder::parse).orElse(null);
        } catch (java.io.IOException e) {
          // unreadable: the in-memory floor still protects this process; reported like a failed write
          events.persistFailed(b.name(), "cannot read the revision floor: " + e.getMessage());
        }
      }
      states.put(b.name(), st);
    }
  }

  /**
   * Forgets the newest accepted revision of every bundle (in memory and on disk), so a control
   * plane that started over at {@code grants-1} is accepted again. Call before {@link #start()},
   * on an operator's explicit request only ({@code --reset-revision-floor}): it is exactly what a
   * replay would need. Returns the floors dropped, by bundle.
   */
  public synchronized Map<String, String> resetRevisionFloors() {
    if (!threads.isEmpty()) {
      throw new IllegalStateException("reset the revision floors before start()");
    }
    Map<String, String> dropped = new LinkedHashMap<>();
    for (State st : states.values()) {
      if (st.floor != null) {
        dropped.put(st.config.name(), st.floor.text());
      }
      st.floor = null;
      if (persistence != null) {
        try {
          persistence.deleteFloor(st.config.name());
        } catch (java.io.IOException e) {
          events.persistFailed(st.config.name(), "cannot delete the revision floor: " + e.getMessage());
        }
      }
    }
    return dropped;
  }

  /** Starts one thread per bundle. Returns at once; see {@link #current()} and {@link #awaitFirstActivation}. */
  public synchronized void start() {
    if (!threads.isEmpty()) {
      throw new IllegalStateException("already started");
    }
    for (BundleConfig b : config.bundles().values()) {
      BundleSource source = sourceFor(b);
      sources.add(source);
      Sink sink = new Sink() {
        @Override
        public boolean offer(String bundleName, Bundle bundle) {
          return BundleSync.this.offer(bundleName, bundle);
        }

        @Override
        public boolean offerChain(String bundleName, List<Bundle> chain) {
          return BundleSync.this.offerChain(bundleName, chain);
        }
      };
      Thread t = new Thread(() -> source.run(sink), "gatehouse-sync-" + b.name());
      t.setDaemon(true);
      threads.add(t);
    }
    threads.forEach(Thread::start);
  }

  private BundleSource sourceFor(BundleConfig b) {
    if (b.directory() != null) {
      return new DirectorySource(b, bundle -> verifyGrants(b, bundle), this::reportFailure, metrics::downloadEvent);
    }
    if (b.git() != null) {
      java.nio.file.Path mirror;
      try {
        mirror = config.persistenceDirectory() != null
            ? config.persistenceDirectory().resolve("git").resolve(java.net.URLEncoder.encode(b.name(),
                java.nio.charset.StandardCharsets.UTF_8))
            : java.nio.file.Files.createTempDirectory("gatehouse-git-" + b.name().replaceAll("[^A-Za-z0-9_-]", "_"));
      } catch (java.io.IOException e) {
        throw new ConfigException("bundles." + b.name() + ".git: cannot create a mirror directory: " + e.getMessage(), e);
      }
      return new GitSource(b, mirror, bundle -> verifyGrants(b, bundle), this::reportFailure, metrics::downloadEvent);
    }
    SyncEvents withMetrics = new SyncEvents() {
      @Override
      public void persistFailed(String bundle, String error) {
        metrics.persistFailure(bundle);
        events.persistFailed(bundle, error);
      }

      @Override
      public void loadedPersisted(String bundle, String revision) {
        events.loadedPersisted(bundle, revision);
      }
    };
    return new HttpSource(b, config.services().get(b.service()), this::parse, this::reportFailure,
        persistence != null && b.persist() ? persistence : null, withMetrics, metrics::downloadEvent);
  }

  @Override
  public void close() {
    List<Thread> ts;
    synchronized (this) {
      sources.forEach(BundleSource::stop);
      ts = List.copyOf(threads);
    }
    ts.forEach(Thread::interrupt);
    for (Thread t : ts) {
      try {
        t.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  @Override
  public Optional<ActivePolicy> current() {
    return Optional.ofNullable(current.get());
  }

  /** Called after every successful activation (on the activating thread; do not block). */
  public void onActivation(Consumer<ActivePolicy> listener) {
    listeners.add(listener);
  }

  public SyncMetrics metrics() {
    return metrics;
  }

  /** Waits up to {@code millis} for the first activation; true when a policy is serving. */
  public boolean awaitFirstActivation(long millis) throws InterruptedException {
    long deadline = System.nanoTime() + millis * 1_000_000;
    while (current.get() == null) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(10);
    }
    return true;
  }

  @Override
  public synchronized List<BundleStatus> status() {
    List<BundleStatus> out = new ArrayList<>(states.size());
    for (State s : states.values()) {
      out.add(new BundleStatus(s.config.name(), s.revision, s.lastDownload, s.lastActivation, s.lastError));
    }
    return out;
  }

  // ------------------------------------------------------------------ parsing and verification

  /**
   * Reads a downloaded tarball: the bundle signature is checked when the bundle has
   * {@code signing} configured (an unsigned bundle is then refused), then every grant's JWS.
   *
   * @throws BundleException with the reason when the bundle must not be activated
   */
  Bundle parse(BundleConfig b, byte[] tarGz) {
    long t0 = System.nanoTime();
    Bundle out = parseAndVerify(b, tarGz);
    metrics.verifyNanos(System.nanoTime() - t0);
    return out;
  }

  private Bundle parseAndVerify(BundleConfig b, byte[] tarGz) {
    Bundle.ReadOptions ro = Bundle.ReadOptions.DEFAULT;
    if (b.signing() != null) {
      ro = Bundle.ReadOptions.verifying(verification(b));
    }
    Bundle bundle = Bundle.readTarGz(new ByteArrayInputStream(tarGz), b.name(), ro);
    if (b.signing() != null && !bundle.isSigned()) {
      // The engine's reader verifies what is signed; refusing what is not is the caller's part (OPA's message).
      throw new BundleException("bundle " + b.name() + ": bundle missing .signatures.json file");
    }
    if (bundle.isDelta()) {
      // Its grants are verified when it is applied, against the active data it patches.
      return bundle.withName(b.name());
    }
    return verifyGrants(b, bundle);
  }

  private VerificationConfig verification(BundleConfig b) {
    if (config.keys().isEmpty()) {
      throw new BundleException("bundle " + b.name() + " requires a signature but no keys are configured");
    }
    Map<String, VerificationConfig.Key> keys = new LinkedHashMap<>();
    config.keys().forEach((id, k) -> keys.put(id, new VerificationConfig.Key(k.key(), k.algorithm(), k.scope())));
    return new VerificationConfig(keys, b.signing().keyId(), b.signing().scope(), b.signing().excludeFiles());
  }

  /** Replaces grants by their verified JWS payloads; drops (and reports) the ones that fail. */
  Bundle verifyGrants(BundleConfig b, Bundle bundle) {
    if (!GrantVerifier.hasGrants(bundle.data())) {
      return bundle.withName(b.name());
    }
    Map<String, KeyConfig> keys = config.keys();
    String keyId = b.signing() == null ? null : b.signing().keyId();
    GrantVerifier.Result r = new GrantVerifier(keys, keyId).verify(bundle.data(),
        verifiedGrants.getOrDefault(b.name(), Map.of()));
    verifiedGrants.put(b.name(), r.verifiedByJws());
    String note = null;
    if (!r.rejected().isEmpty()) {
      metrics.grantsRejected(b.name(), r.rejected().size());
      events.grantsRejected(b.name(), bundle.manifest().revision(), r.rejected());
      StringBuilder sb = new StringBuilder().append(r.rejected().size()).append(" grant(s) dropped (JWS did not verify):");
      r.rejected().stream().limit(5).forEach(x -> sb.append(' ').append(x.id()).append(": ").append(x.reason()).append(';'));
      note = sb.toString();
    }
    synchronized (this) {
      states.get(b.name()).grantNote = note;
    }
    Bundle out = Bundle.of(bundle.manifest(), bundle.modules(), r.data()).withName(b.name());
    if (r.aligned() != r.data()) {
      pendingAligned.put(out, r.aligned());
    }
    return out;
  }

  // ------------------------------------------------------------------ activation

  /**
   * A verified bundle for {@code name}: activates it with the others (or holds it until every
   * bundle has arrived once). Returns false when it could not be activated; the error is in the
   * bundle's status and the previous generation keeps serving.
   */
  boolean offer(String name, Bundle bundle) {
    ActivePolicy activated;
    String replay = null;
    RevisionOrder newest = null;
    RevisionOrder offered = RevisionOrder.of(bundle.manifest());
    synchronized (this) {
      State st = states.get(name);
      Instant now = clock.instant();
      st.lastDownload = now;
      if (offered != null) {
        RevisionOrder active = st.good == null ? null : RevisionOrder.of(st.good.manifest());
        newest = active == null || (st.floor != null && st.floor.compareTo(active) > 0) ? st.floor : active;
        if (newest != null && offered.compareTo(newest) < 0) {
          replay = "security: replay refused: revision " + offered.text() + " is older than " + newest.text()
              + (newest == active ? " (active)" : " (accepted before, persisted)")
              + "; a validly signed older grants bundle could bring revoked grants back";
          st.lastError = replay;
          metrics.replayRefused(name);
        }
      }
      if (replay == null && bundle.isDelta()) {
        Bundle applied;
        try {
          applied = applyDelta(st, name, bundle, offered);
        } catch (BundleException e) {
          st.lastError = "delta: " + e.getMessage();
          metrics.delta(name, "refused");
          events.bundleFailed(name, "delta", e.getMessage());
          return false;
        }
        ObjectValue aligned = pendingAligned.remove(applied);
        activated = accept(st, name, applied, offered, now);
        if (st.good != applied) {
          metrics.delta(name, "refused");
          return false;
        }
        st.aligned = aligned;
        metrics.delta(name, "applied");
        if (activated == null) {
          return true;
        }
      } else if (replay == null) {
        activated = accept(st, name, bundle, offered, now);
        if (st.good == bundle) {
          st.aligned = pendingAligned.remove(bundle);
        }
        if (activated == null) {
          return st.good == bundle;
        }
      } else {
        activated = null;
      }
    }
    if (replay != null) {
      events.replayRefused(name, offered.text(), newest.text(), replay);
      return false;
    }
    events.activated(activated);
    for (Consumer<ActivePolicy> l : listeners) {
      try {
        l.accept(activated);
      } catch (RuntimeException e) {
        // a listener's bug must not stop bundle activation
        events.bundleFailed(name, "listener", String.valueOf(e));
      }
    }
    return true;
  }

  /**
   * A persisted snapshot and the deltas applied on top of it since, offered as one: the deltas are
   * applied to the snapshot aside, and only the state they reach is offered (checked against the
   * revision floor, activated). Offering the snapshot alone first would be refused as older than
   * the floor, or, worse, serve its revoked-since grants for a moment. A delta that does not apply
   * ends the chain at the state reached.
   */
  boolean offerChain(String name, List<Bundle> chain) {
    if (chain.isEmpty()) {
      return false;
    }
    Bundle reached = chain.get(0);
    if (chain.size() > 1) {
      synchronized (this) {
        State scratch = new State(states.get(name).config);
        scratch.good = reached;
        scratch.aligned = pendingAligned.get(reached);
        for (Bundle delta : chain.subList(1, chain.size())) {
          try {
            Bundle applied = applyDelta(scratch, name, delta, RevisionOrder.of(delta.manifest()));
            scratch.aligned = pendingAligned.get(applied);
            scratch.good = applied;
          } catch (BundleException e) {
            events.bundleFailed(name, "persisted", "delta " + delta.manifest().revision() + ": " + e.getMessage());
            break;
          }
        }
        reached = scratch.good;
        states.get(name).grantNote = scratch.grantNote;
      }
    }
    return offer(name, reached);
  }

  /**
   * Applies a delta bundle to the active data of its bundle (guarded by {@code this}) and returns
   * the resulting snapshot, not yet accepted. A delta applies only to the exact revision it was
   * made from (its signed {@code metadata.base_revision}, and the same epoch), with the same
   * roots; each grant it upserts is verified by its own JWS (a failing one is dropped, keeping its
   * place); it may replace whole grants but never edit a field inside one.
   *
   * @throws BundleException when it must not be applied (the caller then fetches a snapshot)
   */
  private Bundle applyDelta(State st, String name, Bundle delta, RevisionOrder offered) {
    if (st.good == null) {
      throw new BundleException("a delta bundle needs an active snapshot of " + name + " to apply to");
    }
    Manifest active = st.good.manifest();
    ObjectValue meta = delta.manifest().metadata();
    String base = meta != null && meta.get("base_revision") instanceof StringValue sv ? sv.value() : null;
    RevisionOrder activeOrder = RevisionOrder.of(active);
    if (base == null || !base.equals(active.revision())
        || (activeOrder != null && (offered == null || offered.epoch() != activeOrder.epoch()))) {
      throw new BundleException("delta " + delta.manifest().revision() + " was made from "
          + (base == null ? "an unnamed revision" : base) + ", the active revision is " + active.revision()
          + (activeOrder != null && offered != null && offered.epoch() != activeOrder.epoch() ? " (another epoch)" : ""));
    }
    if (activeOrder != null && offered != null && offered.compareTo(activeOrder) <= 0) {
      throw new BundleException("delta " + offered.text() + " does not advance the active " + activeOrder.text());
    }
    if (!delta.manifest().effectiveRoots().equals(active.effectiveRoots())) {
      throw new BundleException("delta roots " + delta.manifest().effectiveRoots() + " differ from the active bundle's "
          + active.effectiveRoots());
    }
    ObjectValue current = st.aligned != null ? st.aligned : st.good.data();
    boolean grants = GrantVerifier.hasGrants(current) || delta.patch().stream().anyMatch(DeltaOps::touchesGrants);
    List<DataPatch.Op> ops = delta.patch();
    List<GrantVerifier.Rejected> rejected = new ArrayList<>();
    if (grants) {
      GrantVerifier verifier = new GrantVerifier(config.keys(), st.config.signing() == null ? null : st.config.signing().keyId());
      List<DataPatch.Op> mapped = new ArrayList<>(ops.size());
      for (DataPatch.Op op : ops) {
        mapped.add(DeltaOps.verified(op, verifier, rejected));
      }
      ops = mapped;
    }
    ObjectValue aligned = DataPatch.apply(current, ops);
    ObjectValue data = grants ? GrantVerifier.policyView(aligned) : aligned;
    String note = null;
    if (!rejected.isEmpty()) {
      metrics.grantsRejected(name, rejected.size());
      events.grantsRejected(name, delta.manifest().revision(), rejected);
      StringBuilder sb = new StringBuilder().append(rejected.size()).append(" grant(s) dropped (JWS did not verify):");
      rejected.stream().limit(5).forEach(x -> sb.append(' ').append(x.id()).append(": ").append(x.reason()).append(';'));
      note = sb.toString();
    }
    st.grantNote = note;
    Bundle out = Bundle.of(delta.manifest(), st.good.modules(), data).withName(name);
    if (aligned != data) {
      pendingAligned.put(out, aligned);
    }
    return out;
  }

  /**
   * Takes a bundle that passed the order check (guarded by {@code this}): holds it until every
   * bundle has arrived, else compiles and swaps. Returns the new generation, or null when nothing
   * activated (held: {@code st.good} is the bundle; failed: it is the previous one).
   */
  private ActivePolicy accept(State st, String name, Bundle bundle, RevisionOrder offered, Instant now) {
    Bundle previous = st.good;
    st.good = bundle;
    boolean all = states.values().stream().allMatch(s -> s.good != null);
    if (!all) {
      st.revision = bundle.manifest().revision();
      st.lastError = st.grantNote;
      raiseFloor(st, offered);
      return null;
    }
    Policy policy;
    long t0 = System.nanoTime();
    try {
      List<Bundle> bundles = states.values().stream().map(s -> s.good).toList();
      Rego.Builder merged = Rego.builder().regoVersion(RegoVersion.V1).bundles(bundles);
      ActivePolicy serving = current.get();
      if (serving != null && previous != null && previous.modules().isEmpty() && bundle.modules().isEmpty()) {
        // Data only (a grants change): the modules are the ones already compiled; swap the data.
        policy = withData(serving.policy(), merged);
      } else {
        policy = merged.compile();
      }
      metrics.activationNanos(System.nanoTime() - t0);
    } catch (RuntimeException | StackOverflowError e) {
      // BundleException / RegoException normally; anything else is still a refused bundle
      st.good = previous;
      st.lastError = "activation: " + e.getMessage();
      metrics.activation(name, "error");
      events.bundleFailed(name, "activate", e.getMessage());
      return null;
    }
    Map<String, String> revisions = new LinkedHashMap<>();
    for (State s : states.values()) {
      s.revision = s.good.manifest().revision();
      if (s.lastActivation == null || s == st) {
        s.lastActivation = now;
      }
      revisions.put(s.config.name(), s.revision);
    }
    st.lastError = st.grantNote;
    ActivePolicy activated = new ActivePolicy(policy, revisions, now);
    current.set(activated);
    metrics.activation(name, "ok");
    raiseFloor(st, offered);
    return activated;
  }

  /** The serving policy over the new merged data, or a full compile when it cannot share its modules. */
  private static Policy withData(Policy serving, Rego.Builder merged) {
    try {
      return serving.withData(merged.data());
    } catch (UnsupportedOperationException e) {
      return merged.compile();
    }
  }

  /** Remembers the newest accepted revision, on disk too when there is a persistence directory. */
  private void raiseFloor(State st, RevisionOrder accepted) {
    if (accepted == null || (st.floor != null && st.floor.compareTo(accepted) >= 0)) {
      return;
    }
    st.floor = accepted;
    if (persistence != null) {
      try {
        persistence.saveFloor(st.config.name(), accepted.text());
      } catch (java.io.IOException | RuntimeException e) {
        // the in-memory floor still protects this process (logged; not counted as a bundle write)
        events.persistFailed(st.config.name(), "revision floor: " + e.getMessage());
      }
    }
  }

  /** A download, read or verification failure of {@code name}. */
  synchronized void reportFailure(String name, String stage, String error) {
    State st = states.get(name);
    st.lastError = stage + ": " + error;
    events.bundleFailed(name, stage, error);
  }

  // Expose the offer path to sources in this package's sub-packages.
  /** Receives verified bundles from a source. */
  @FunctionalInterface
  public interface Sink {
    boolean offer(String bundleName, Bundle bundle);

    /** A persisted snapshot followed by the delta bundles applied on top of it, offered as one state. */
    default boolean offerChain(String bundleName, List<Bundle> chain) {
      boolean ok = false;
      for (Bundle b : chain) {
        ok = offer(bundleName, b);
        if (!ok) {
          break;
        }
      }
      return ok;
    }
  }

  /** Parses and verifies a downloaded tarball (signature, grants). */
  @FunctionalInterface
  public interface Parser {
    Bundle parse(BundleConfig config, byte[] tarGz);
  }

  /** Reports a failure for a bundle: stage (download, verify, read…) and message. */
  @FunctionalInterface
  public interface FailureSink {
    void fail(String bundleName, String stage, String error);
  }
}
