package dev.gatehouse.controlplane.api;

import dev.gatehouse.controlplane.bundle.BuiltBundle;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Serves one bundle with OPA's HTTP semantics: {@code ETag} (the revision), {@code If-None-Match}
 * → 304, and long polling ({@code Prefer: wait=N}): a client that already has the current revision
 * is parked until the revision changes (answered at once with the new bundle) or N seconds pass
 * (304). {@link #changed} is called after every commit that changes the bundle; it builds the
 * bundle once and answers every parked client on its own event loop.
 */
final class BundleServer {
  static final String CONTENT_TYPE = "application/vnd.openpolicyagent.bundles";
  static final int MAX_WAIT_SECONDS = 600;
  private static final Pattern WAIT = Pattern.compile("(?i)(?:^|[;,\\s])wait\\s*=\\s*(\\d+)");

  private record Waiter(RoutingContext ctx, Context context, String etag, long[] timer) {}

  private final Vertx vertx;
  private final Supplier<BuiltBundle> build;
  /** What a client holding an ETag gets (a delta bundle from it, or the snapshot). */
  private final java.util.function.Function<String, BuiltBundle> forEtag;
  private final ExecutorService builder;
  private final Set<Waiter> waiters = ConcurrentHashMap.newKeySet();
  private final Metrics metrics;
  private final String name;

  BundleServer(String name, Vertx vertx, Supplier<BuiltBundle> build, ExecutorService builder, Metrics metrics) {
    this(name, vertx, build, etag -> build.get(), builder, metrics);
  }

  BundleServer(String name, Vertx vertx, Supplier<BuiltBundle> build,
      java.util.function.Function<String, BuiltBundle> forEtag, ExecutorService builder, Metrics metrics) {
    this.name = name;
    this.vertx = vertx;
    this.build = build;
    this.forEtag = forEtag;
    this.builder = builder;
    this.metrics = metrics;
  }

  int waiting() {
    return waiters.size();
  }

  /** Built on a worker: what this client gets for its If-None-Match (its revision's delta, or the snapshot). */
  BuiltBundle prepare(String ifNoneMatch) {
    return forEtag.apply(etag(ifNoneMatch));
  }

  /** Answers the request on its event loop; {@code current} was built on a worker. */
  void serve(RoutingContext ctx, BuiltBundle current) {
    String etag = etag(ctx.request().getHeader("If-None-Match"));
    if (etag == null || !etag.equals(current.revision())) {
      send(ctx, current);
      return;
    }
    int wait = waitSeconds(ctx.request().getHeader("Prefer"));
    if (wait <= 0) {
      notModified(ctx, current.revision());
      return;
    }
    Waiter w = new Waiter(ctx, vertx.getOrCreateContext(), etag, new long[] {-1});
    waiters.add(w);
    w.timer()[0] = vertx.setTimer(wait * 1000L, id -> {
      if (waiters.remove(w)) {
        notModified(ctx, etag);
      }
    });
    ctx.response().closeHandler(v -> {
      if (waiters.remove(w)) {
        vertx.cancelTimer(w.timer()[0]);
      }
    });
    // The revision may have moved between building `current` and parking: check once more.
    builder.execute(() -> wake(build.get()));
  }

  /** The bundle's content changed: build it once, answer every parked client that lacks it. */
  void changed() {
    builder.execute(() -> {
      long t0 = System.nanoTime();
      BuiltBundle b = build.get();
      long built = System.nanoTime();
      int n = wake(b);
      if (Boolean.getBoolean("gatehouse.debug.bundles")) {
        System.err.printf("bundle %s: built in %.1f ms, %d parked clients handed to their event loops in %.1f ms%n",
            b.revision(), (built - t0) / 1e6, n, (System.nanoTime() - built) / 1e6);
      }
    });
  }

  private int wake(BuiltBundle b) {
    int n = 0;
    // Parked clients mostly hold the same previous revision: one delta each, built once.
    java.util.Map<String, BuiltBundle> answers = new java.util.HashMap<>();
    for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
      Waiter w = it.next();
      if (!w.etag().equals(b.revision()) && waiters.remove(w)) {
        n++;
        BuiltBundle answer = answers.computeIfAbsent(w.etag(), e -> {
          BuiltBundle x = forEtag.apply(e);
          return x.revision().equals(b.revision()) ? x : b;
        });
        w.context().runOnContext(v -> {
          vertx.cancelTimer(w.timer()[0]);
          send(w.ctx(), answer);
        });
      }
    }
    return n;
  }

  private void send(RoutingContext ctx, BuiltBundle b) {
    if (ctx.response().ended() || ctx.response().closed()) {
      return;
    }
    metrics.inc("gatehouse_bundle_downloads_total", "bundle=\"" + name + "\"");
    ctx.response().setStatusCode(200).putHeader("content-type", CONTENT_TYPE).putHeader("ETag", b.revision())
        .end(b.buffer());
  }

  private void notModified(RoutingContext ctx, String revision) {
    if (ctx.response().ended() || ctx.response().closed()) {
      return;
    }
    ctx.response().setStatusCode(304).putHeader("ETag", revision).end();
  }

  /** Accepts the revision bare, quoted or weak ({@code W/"…"}). */
  static String etag(String header) {
    if (header == null || header.isBlank()) {
      return null;
    }
    String e = header.trim();
    if (e.startsWith("W/")) {
      e = e.substring(2);
    }
    if (e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"")) {
      e = e.substring(1, e.length() - 1);
    }
    return e;
  }

  static int waitSeconds(String prefer) {
    if (prefer == null) {
      return 0;
    }
    Matcher m = WAIT.matcher(prefer);
    if (!m.find()) {
      return 0;
    }
    try {
      return Math.min(MAX_WAIT_SECONDS, Integer.parseInt(m.group(1)));
    } catch (NumberFormatException e) {
      return MAX_WAIT_SECONDS;
    }
  }
}
