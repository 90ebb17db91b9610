package dev.gatehouse.sidecar;

import dev.gatehouse.sidecar.admin.AdminHandler;
import dev.gatehouse.sidecar.admin.SidecarMetrics;
import dev.gatehouse.sidecar.identity.IdentityResolver;
import dev.gatehouse.sidecar.identity.JwtVerifier;
import dev.gatehouse.sidecar.proxy.ConnectionTracker;
import dev.gatehouse.sidecar.proxy.ProxyHandler;
import dev.gatehouse.sync.ActivePolicy;
import dev.gatehouse.sync.BundleSync;
import dev.gatehouse.sync.SyncEvents;
import dev.gatehouse.sync.grants.GrantVerifier;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A running sidecar: the proxy listener, the admin listener, and the wiring to a
 * {@link BundleSync} (already configured; started here if it is not). Connections admitted by a
 * grant are re-checked on every activation and every 100 ms against grant expiry, so a revoked or
 * expired grant closes them within a second. Entry point: {@link #start}.
 */
public final class Sidecar implements AutoCloseable {
  /** How often open grant-admitted connections are checked for expiry. */
  static final long EXPIRY_CHECK_MS = 100;

  private final Vertx vertx;
  private final HttpServer proxy;
  private final HttpServer admin;
  private final ConnectionTracker tracker;
  private final SidecarMetrics metrics;
  private final JsonLog log;

  private Sidecar(Vertx vertx, HttpServer proxy, HttpServer admin, ConnectionTracker tracker, SidecarMetrics metrics,
      JsonLog log) {
    this.vertx = vertx;
    this.proxy = proxy;
    this.admin = admin;
    this.tracker = tracker;
    this.metrics = metrics;
    this.log = log;
  }

  /**
   * Starts listening (blocks until both listeners are bound). The sync should already be started
   * (the caller owns it and closes it); until it activates, the proxy answers 503 and /ready fails.
   */
  /**
   * Threads: a sidecar shares its pod's CPU and memory with the service, so it runs one event
   * loop per core (Vert.x's default is two) and as many decision workers as the machine can run
   * at once, not Vert.x's 20; each thread is a stack and buffers in the resident set. The system
   * properties {@code gatehouse.sidecar.eventLoops} and {@code gatehouse.sidecar.workers} override
   * them (measured in sidecar/README.md "Performance").
   */
  static VertxOptions vertxOptions() {
    int cores = Runtime.getRuntime().availableProcessors();
    return new VertxOptions().setPreferNativeTransport(false)
        .setEventLoopPoolSize(Integer.getInteger("gatehouse.sidecar.eventLoops", Math.max(1, cores)))
        .setWorkerPoolSize(Integer.getInteger("gatehouse.sidecar.workers", Math.max(2, 2 * cores)))
        .setInternalBlockingPoolSize(Integer.getInteger("gatehouse.sidecar.internalBlocking", 2));
  }

  public static Sidecar start(SidecarOptions o, BundleSync sync) throws IOException {
    JsonLog log = new JsonLog(o.log(), o.clock());
    JwtVerifier jwt = null;
    if (o.jwt() != null) {
      jwt = new JwtVerifier(JwtVerifier.keys(o.jwt().jwks()), o.jwt().issuer(), o.jwt().audience(),
          o.jwt().subjectClaim(), o.clock());
    }
    IdentityResolver identities = new IdentityResolver(jwt, o.identityHeader());
    Decider decider = new Decider(sync, o.clock(), o.service(), o.namespace());
    SidecarMetrics metrics = new SidecarMetrics();
    Vertx vertx = Vertx.vertx(vertxOptions());
    try {
      ConnectionTracker tracker = new ConnectionTracker(decider, metrics, (facts, reason) -> {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("subject", facts.subject());
        f.put("method", facts.method());
        f.put("path", facts.rawPath());
        f.put("reason", reason);
        log.info("connection closed: its grant no longer allows it", f);
      });
      HttpClientAgent client = vertx.createHttpClient(new HttpClientOptions()
          .setKeepAlive(true).setTcpNoDelay(true).setIdleTimeout(60).setIdleTimeoutUnit(TimeUnit.SECONDS),
          new PoolOptions().setHttp1MaxSize(256));
      WebSocketClient ws = vertx.createWebSocketClient(new WebSocketClientOptions());
      ProxyHandler handler = new ProxyHandler(vertx, o, identities, decider, client, ws, tracker, metrics, log);
      HttpServerOptions po = new HttpServerOptions().setHost(o.listenHost()).setPort(o.listenPort())
          .setTcpNoDelay(true).setHttp2ClearTextEnabled(true);
      if (o.tls() != null) {
        po.setSsl(true).setKeyCertOptions(new PemKeyCertOptions().setCertPath(o.tls().cert().toString())
            .setKeyPath(o.tls().key().toString())).setUseAlpn(true);
        if (o.tls().clientCa() != null) {
          // REQUEST, not REQUIRE: callers may authenticate with a bearer token instead; a certificate
          // that is presented must still chain to the client CA or the handshake fails.
          po.setClientAuth(ClientAuth.REQUEST).setTrustOptions(new PemTrustOptions().addCertPath(o.tls().clientCa().toString()));
        }
      }
      HttpServer proxy = vertx.createHttpServer(po).requestHandler(handler);
      HttpServer admin = vertx.createHttpServer(new HttpServerOptions().setHost(o.adminHost()).setPort(o.adminPort()))
          .requestHandler(new AdminHandler(sync, metrics));
      await(proxy.listen(), "proxy listener " + o.listenHost() + ":" + o.listenPort());
      await(admin.listen(), "admin listener " + o.adminHost() + ":" + o.adminPort());

      sync.onActivation((ActivePolicy a) -> vertx.executeBlocking(() -> {
        tracker.recheckAll();
        return null;
      }, false));
      vertx.setPeriodic(EXPIRY_CHECK_MS, id -> {
        if (tracker.size() > 0) {
          vertx.executeBlocking(() -> {
            tracker.recheckExpired(o.clock().instant());
            return null;
          }, false);
        }
      });
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("listen", o.listenHost() + ":" + proxy.actualPort());
      f.put("admin", o.adminHost() + ":" + admin.actualPort());
      f.put("upstream", o.upstream().toString());
      f.put("service", o.service());
      f.put("tls", o.tls() != null);
      f.put("jwt", o.jwt() != null);
      log.info("sidecar listening", f);
      return new Sidecar(vertx, proxy, admin, tracker, metrics, log);
    } catch (IOException | RuntimeException e) {
      vertx.close();
      throw e;
    }
  }

  private static void await(io.vertx.core.Future<?> f, String what) throws IOException {
    try {
      f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(what + ": interrupted");
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      Throwable c = e.getCause() == null ? e : e.getCause();
      throw new IOException(what + ": " + c.getMessage(), c);
    }
  }

  /** SyncEvents that log as JSON lines: every refused bundle and dropped grant is on record. */
  public static SyncEvents loggingEvents(JsonLog log) {
    return new SyncEvents() {
      @Override
      public void activated(ActivePolicy policy) {
        log.info("bundles activated", Map.of("revisions", policy.revisions()));
      }

      @Override
      public void bundleFailed(String bundle, String stage, String error) {
        log.warn("bundle not activated; the last good one keeps serving",
            Map.of("bundle", bundle, "stage", stage, "error", String.valueOf(error)));
      }

      @Override
      public void grantsRejected(String bundle, String revision, List<GrantVerifier.Rejected> rejected) {
        for (GrantVerifier.Rejected r : rejected) {
          Map<String, Object> f = new LinkedHashMap<>();
          f.put("bundle", bundle);
          f.put("revision", revision);
          f.put("grant_id", r.id());
          f.put("error", r.reason());
          log.warn("grant dropped: its JWS did not verify", f);
        }
      }

      @Override
      public void replayRefused(String bundle, String offered, String newest, String error) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("security", true);
        f.put("bundle", bundle);
        f.put("offered_revision", offered);
        f.put("newest_revision", newest);
        f.put("error", error);
        log.error("security: older bundle revision refused (replay or stale mirror); the newer one keeps serving", f);
      }

      @Override
      public void persistFailed(String bundle, String error) {
        log.error("could not persist bundle; still serving", Map.of("bundle", bundle, "error", String.valueOf(error)));
      }

      @Override
      public void loadedPersisted(String bundle, String revision) {
        log.warn("bundle server unreachable: serving the persisted bundle",
            Map.of("bundle", bundle, "etag", String.valueOf(revision)));
      }
    };
  }

  public int port() {
    return proxy.actualPort();
  }

  public int adminPort() {
    return admin.actualPort();
  }

  public SidecarMetrics metrics() {
    return metrics;
  }

  public int trackedConnections() {
    return tracker.size();
  }

  @Override
  public void close() {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.warn("shutdown incomplete", Map.of("error", String.valueOf(e)));
    }
  }
}
