package dev.gatehouse.sync.source;

import dev.gatehouse.engine.bundle.Bundle;
import dev.gatehouse.sync.BundleSync;
import dev.gatehouse.sync.Persistence;
import dev.gatehouse.sync.SyncEvents;
import dev.gatehouse.sync.config.BundleConfig;
import dev.gatehouse.sync.config.ServiceConfig;
import dev.gatehouse.sync.http.BundleClient;
import dev.gatehouse.sync.http.Download;
import java.io.IOException;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * OPA's download loop for one bundle: conditional GETs with the last ETag, long polling when
 * configured (the next request goes out as soon as one returns), a random delay in
 * [min_delay, max_delay] otherwise, exponential backoff with jitter after failures. When the very
 * first download fails and a persisted copy exists, that copy is verified and activated so the
 * process enforces from its last known state while the server is down.
 */
public final class HttpSource implements BundleSource {
  /**
   * After this many delta bundles on top of one snapshot, the next request asks for a snapshot
   * (no If-None-Match), so the persisted chain a restart must replay stays short.
   */
  static final int MAX_DELTAS_PER_SNAPSHOT = 200;

  private final BundleConfig config;
  private final BundleClient client;
  private final BundleSync.Parser parser;
  private final BundleSync.FailureSink failures;
  private final Persistence persistence;
  private final SyncEvents events;
  private final BiConsumer<String, String> downloadMetric;
  private volatile boolean stopped;

  public HttpSource(BundleConfig config, ServiceConfig service, BundleSync.Parser parser,
      BundleSync.FailureSink failures, Persistence persistence, SyncEvents events,
      BiConsumer<String, String> downloadMetric) {
    this.config = config;
    this.client = new BundleClient(service);
    this.parser = parser;
    this.failures = failures;
    this.persistence = persistence;
    this.events = events;
    this.downloadMetric = downloadMetric;
  }

  @Override
  public void stop() {
    stopped = true;
  }

  @Override
  public void run(BundleSync.Sink sink) {
    String name = config.name();
    Long longPoll = config.polling().longPollingTimeoutSeconds();
    String etag = null;
    int failed = 0;
    int deltas = 0;
    boolean triedPersisted = persistence == null;
    while (!stopped && !Thread.currentThread().isInterrupted()) {
      long started = System.nanoTime();
      String ask = deltas >= MAX_DELTAS_PER_SNAPSHOT ? null : etag;
      Download d = client.fetch(config.resource(), ask, ask == null ? null : longPoll);
      boolean ok;
      boolean changed = false;
      if (d instanceof Download.Fetched f) {
        downloadMetric.accept(name, "ok");
        Bundle b = activate(sink, f.body(), "download");
        ok = b != null;
        if (ok) {
          etag = f.etag();
          changed = true;
          triedPersisted = true;
          if (b.isDelta()) {
            deltas++;
            persistDelta(f.body(), f.etag());
          } else {
            deltas = 0;
            persist(f.body(), f.etag());
          }
        } else if (triedPersisted && ask != null) {
          // Whatever the server answered our revision with (a delta for another base, a bundle
          // that does not verify) is not applied; the next request asks for a full snapshot.
          etag = null;
        } else if (!triedPersisted) {
          // The server answered at start with something unusable (a replayed older revision, a
          // bundle that does not verify): serve the persisted last good copy meanwhile.
          triedPersisted = true;
          String persistedEtag = loadPersisted(sink);
          if (persistedEtag != null && !persistedEtag.isEmpty()) {
            etag = persistedEtag;
          }
        }
      } else if (d instanceof Download.NotModified) {
        downloadMetric.accept(name, "not_modified");
        ok = true;
      } else {
        downloadMetric.accept(name, "error");
        ok = false;
        if (!triedPersisted) {
          triedPersisted = true;
          String persistedEtag = loadPersisted(sink);
          if (persistedEtag != null) {
            etag = persistedEtag;
          }
        }
        // Reported after any fallback so the status shows the server is unreachable.
        failures.fail(name, "download", ((Download.Failed) d).message());
      }
      failed = ok ? 0 : failed + 1;
      long delayMs;
      if (!ok) {
        delayMs = Delays.backoff(failed, config.polling().maxDelaySeconds());
      } else if (longPoll != null) {
        // A 304 that came back at once means the server does not hold long polls: fall back to
        // the polling delay rather than spin.
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;
        delayMs = changed || elapsedMs >= 500 ? 0 : Delays.between(config.polling().minDelaySeconds(),
            config.polling().maxDelaySeconds());
      } else {
        delayMs = Delays.between(config.polling().minDelaySeconds(), config.polling().maxDelaySeconds());
      }
      if (delayMs > 0) {
        try {
          Thread.sleep(delayMs);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  /** The bundle read from {@code body} when it verified and was accepted, else null. */
  private Bundle activate(BundleSync.Sink sink, byte[] body, String stage) {
    Bundle b;
    try {
      b = parser.parse(config, body);
    } catch (RuntimeException e) {
      downloadMetric.accept(config.name(), "invalid");
      failures.fail(config.name(), stage.equals("download") ? "verify" : stage, e.getMessage());
      return null;
    }
    return sink.offer(config.name(), b) ? b : null;
  }

  private void persistDelta(byte[] body, String etag) {
    if (persistence == null) {
      return;
    }
    try {
      persistence.saveDelta(config.name(), body, etag);
    } catch (IOException | RuntimeException e) {
      events.persistFailed(config.name(), String.valueOf(e.getMessage()));
    }
  }

  private void persist(byte[] body, String etag) {
    if (persistence == null) {
      return;
    }
    try {
      persistence.save(config.name(), body, etag);
    } catch (IOException | RuntimeException e) {
      events.persistFailed(config.name(), String.valueOf(e.getMessage()));
    }
  }

  /** Activates the persisted copy; returns its ETag (or "" when it had none), null when none loaded. */
  private String loadPersisted(BundleSync.Sink sink) {
    Optional<Persistence.Stored> stored;
    try {
      stored = persistence.load(config.name());
    } catch (IOException e) {
      failures.fail(config.name(), "persisted", e.getMessage());
      return null;
    }
    if (stored.isEmpty()) {
      return null;
    }
    // The snapshot and the deltas applied since, offered as one state; a chain that breaks
    // leaves the state it reached, and the ETag is then dropped so the server sends a snapshot.
    java.util.List<Bundle> chain = new java.util.ArrayList<>();
    boolean whole = true;
    for (byte[] file : stored.get().all()) {
      try {
        chain.add(parser.parse(config, file));
      } catch (RuntimeException e) {
        downloadMetric.accept(config.name(), "invalid");
        failures.fail(config.name(), "persisted", e.getMessage());
        whole = false;
        break;
      }
    }
    if (chain.isEmpty() || !sink.offerChain(config.name(), chain)) {
      return null;
    }
    events.loadedPersisted(config.name(), stored.get().etag());
    return !whole || stored.get().etag() == null ? "" : stored.get().etag();
  }
}
