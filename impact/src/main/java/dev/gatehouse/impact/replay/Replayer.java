package dev.gatehouse.impact.replay;

import dev.gatehouse.engine.EvalOptions;
import dev.gatehouse.engine.PreparedQuery;
import dev.gatehouse.engine.QueryResult;
import dev.gatehouse.engine.RegoException;
import dev.gatehouse.engine.value.Json;
import dev.gatehouse.impact.corpus.Entry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Evaluates each entry against both revisions and folds the differences into {@link Findings}.
 * Entries arrive one by one from the corpus reader and are replayed in batches on a fixed pool;
 * at most two batches per thread are in flight, so memory stays bounded however long the log is
 * (the reader waits when the workers fall behind).
 */
public final class Replayer implements AutoCloseable {
  static final int BATCH = 256;

  /**
   * @param masks mask rules applied to kept examples
   * @param examplesPerGroup how many examples each group keeps
   * @param threads worker threads
   * @param timeout per evaluation
   */
  public record Options(Masks masks, int examplesPerGroup, int threads, Duration timeout) {
    public static Options defaults() {
      return new Options(Masks.of(Masks.DEFAULTS), 3, Runtime.getRuntime().availableProcessors(),
          EvalOptions.DEFAULT_TIMEOUT);
    }
  }

  private final Revision base;
  private final Revision head;
  private final RuleTitles titles;
  private final Options options;
  private final ExecutorService pool;
  private final Semaphore inFlight;
  private final Findings total;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private List<Entry> batch = new ArrayList<>(BATCH);
  /** The clock for entries that carry no time of their own: one instant, so both revisions see the same. */
  private final long runNanos = System.currentTimeMillis() * 1_000_000L;

  public Replayer(Revision base, Revision head, Options options) {
    this.base = base;
    this.head = head;
    this.options = options;
    this.titles = new RuleTitles(base.policy(), head.policy());
    this.total = new Findings(options.examplesPerGroup());
    int threads = Math.max(1, options.threads());
    this.pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(null, r, "impact-replay", 64L << 20); // deep policies recurse
      t.setDaemon(true);
      return t;
    });
    this.inFlight = new Semaphore(threads * 2);
  }

  /** Queues one entry (called by the corpus reader's thread). */
  public void accept(Entry e) {
    batch.add(e);
    if (batch.size() >= BATCH) {
      submit();
    }
  }

  /** Waits for every queued entry and returns the aggregate. */
  public Findings finish() {
    submit();
    pool.shutdown();
    try {
      while (!pool.awaitTermination(1, TimeUnit.MINUTES)) {
        // keep waiting: each evaluation is bounded by its own timeout
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while replaying", e);
    }
    Throwable t = failure.get();
    if (t != null) {
      throw new IllegalStateException("replay failed: " + t, t);
    }
    return total;
  }

  private void submit() {
    if (batch.isEmpty()) {
      return;
    }
    List<Entry> work = batch;
    batch = new ArrayList<>(BATCH);
    try {
      inFlight.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while replaying", e);
    }
    pool.execute(() -> {
      try {
        Findings f = new Findings(options.examplesPerGroup());
        for (Entry e : work) {
          replay(e, f);
        }
        synchronized (total) {
          total.merge(f);
        }
      } catch (Throwable t) {
        failure.compareAndSet(null, t);
      } finally {
        inFlight.release();
      }
    });
  }

  private void replay(Entry e, Findings f) {
    Outcome b = evaluate(base, e);
    Outcome h = evaluate(head, e);
    Findings.PathStats ps = f.path(e.path());
    ps.replayed++;
    if (e.recorded() != null) {
      ps.recordedCompared++;
      if (!(b instanceof Outcome.Defined d && (d.value().equals(e.recorded())
          || Json.write(d.value()).equals(Json.write(e.recorded()))))) {
        ps.recordedDiffers++;
      }
    }
    Classifier.Diff d = Classifier.classify(b, h);
    if (d == null) {
      if (b instanceof Outcome.Undefined) {
        ps.undefinedBoth++;
      } else if (b instanceof Outcome.Failed) {
        ps.errorBoth++;
      }
      return;
    }
    ps.changed++;
    ps.classes.merge(d.cls(), 1L, Long::sum);
    Set<String> rules = d.rules().isEmpty() ? Set.of(titles.titleOf(e.path())) : d.rules();
    for (String rule : rules) {
      Findings.GroupKey k = new Findings.GroupKey(d.cls(), e.path(), rule);
      f.add(k, f.wantsExample(k, e.ordinal()) ? example(e, b, h, d) : null);
    }
  }

  private Example example(Entry e, Outcome b, Outcome h, Classifier.Diff d) {
    Masks.Masked in = options.masks().apply("input", e.input());
    List<String> erased = new ArrayList<>(in.erased());
    Masks.Masked mb = options.masks().apply("result", b instanceof Outcome.Defined x ? x.value() : null);
    Masks.Masked mh = options.masks().apply("result", h instanceof Outcome.Defined x ? x.value() : null);
    erased.addAll(mb.erased());
    mh.erased().stream().filter(p -> !erased.contains(p)).forEach(erased::add);
    return new Example(e.ordinal(), e.source(), e.decisionId(), in.value(), erased,
        b instanceof Outcome.Defined ? new Outcome.Defined(mb.value()).toJson() : b.toJson(),
        h instanceof Outcome.Defined ? new Outcome.Defined(mh.value()).toJson() : h.toJson(), d.detail());
  }

  /** One revision's outcome for one entry; errors are outcomes, never exceptions. */
  static Outcome evaluate(Revision r, Entry e, Duration timeout, long defaultNanos) {
    Object q = r.query(e.data(), e.path());
    if (q instanceof RegoException ex) {
      return new Outcome.Failed(ex.code(), ex.getMessage());
    }
    EvalOptions.Builder ob = EvalOptions.builder().input(e.input()).timeout(timeout);
    ob.nowNanos(e.nowNanos() != null ? e.nowNanos() : defaultNanos);
    try {
      List<QueryResult> rs = ((PreparedQuery) q).eval(ob.build());
      return rs.isEmpty() ? Outcome.UNDEFINED : new Outcome.Defined(rs.get(0).value());
    } catch (RegoException ex) {
      return new Outcome.Failed(ex.code(), ex.getMessage());
    } catch (StackOverflowError ex) {
      return new Outcome.Failed("eval_cancel_error", "stack exhausted");
    }
  }

  private Outcome evaluate(Revision r, Entry e) {
    return evaluate(r, e, options.timeout(), runNanos);
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
