package dev.gatehouse.injector.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.injector.Mappers;
import dev.gatehouse.injector.config.Durations;
import dev.gatehouse.injector.config.WebhookConfig;
import dev.gatehouse.injector.inject.Injector;
import dev.gatehouse.injector.notify.Notifier;
import dev.gatehouse.injector.policy.CompiledPolicies;
import dev.gatehouse.injector.policy.PolicySource;
import dev.gatehouse.injector.policy.PolicyStore;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.JdkLoggerFactory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.ServerSSLOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The HTTPS admission webhook on Vert.x: {@code POST /validate}, {@code POST /mutate},
 * {@code GET /health} (ready once policies are loaded, and not while draining),
 * {@code GET /health/live}, {@code GET /metrics}.
 *
 * <p>Request bodies are read by hand rather than with vertx-web's BodyHandler so that an oversized
 * or slow body gets this webhook's 400 JSON answer. Decoding and evaluation run on worker threads
 * with a guard timer, so a request is always answered: by its decision, by the failure mode when
 * evaluation overruns, or (when the worker pool is saturated before the request could even be
 * read) by a 429.
 */
public final class WebhookServer implements AutoCloseable {
  static final Set<String> TLS_PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");
  /** Extra time past the evaluation deadline before the guard answers for a stuck evaluation. */
  private static final long GUARD_GRACE_MS = 1000;
  private static final long HANDSHAKE_TIMEOUT_SECONDS = 10;
  /** Bodies up to this size are parsed on the event loop; larger ones on a worker. */
  private static final int INLINE_PREPARE_BYTES = 64 * 1024;
  /**
   * Log lines that may wait for the writer thread: 20 s of admissions at 200/s, a few MiB at most.
   * More are dropped (counted), never waited for.
   */
  private static final int LOG_QUEUE_LINES = 4096;

  /**
   * @param policies where policies come from
   * @param host listen address (0.0.0.0 in a pod)
   * @param port 0 picks a free port (tests)
   */
  public record Options(PolicySource policies, Path tlsCert, Path tlsKey, String host, int port,
      WebhookConfig config, PrintStream logOut, Clock clock) {}

  private final Options options;
  private final WebhookConfig config;
  private final JsonLog log;
  private final Metrics metrics = new Metrics();
  private final PolicyStore store;
  private final AdmissionService service;
  private final TlsFiles tls;
  private final Notifier notifier;
  private final ScheduledExecutorService watcher;
  private Vertx vertx;
  private HttpServer server;
  private volatile TlsFiles.Snapshot tlsInForce;
  private volatile String lastTlsError;
  private volatile boolean draining;

  private WebhookServer(Options options) {
    this.options = options;
    this.config = options.config();
    this.log = JsonLog.background(options.logOut(), options.clock(), LOG_QUEUE_LINES);
    metrics.include(sb -> sb.append("# HELP gatehouse_webhook_log_lines_dropped_total Log lines dropped because the log "
        + "queue was full (stdout not drained fast enough).\n# TYPE gatehouse_webhook_log_lines_dropped_total counter\n"
        + "gatehouse_webhook_log_lines_dropped_total ").append(log.dropped()).append('\n'));
    this.store = new PolicyStore(options.policies(), config.validation().decisionPath(), options.clock(),
        this::onPolicyReload);
    this.notifier = new Notifier(config.notifications(), new NotificationLog());
    this.service = new AdmissionService(config, store, new Injector(config.injection()), metrics, options.clock(),
        notifier);
    this.tls = new TlsFiles(options.tlsCert(), options.tlsKey());
    this.watcher = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "gatehouse-watch");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Starts listening (policies load in the background; /health says when they are in).
   *
   * @throws IOException when the certificate or key cannot be read, or the port cannot be bound
   */
  public static WebhookServer start(Options options) throws IOException {
    WebhookServer s = new WebhookServer(options);
    try {
      s.doStart();
    } catch (IOException | RuntimeException e) {
      s.log.close(); // what was logged before the failure is written before the caller reports it
      throw e;
    }
    return s;
  }

  private void doStart() throws IOException {
    // Everything logs through java.util.logging into JSON lines: Vert.x by property, Netty by
    // factory (it would otherwise probe SLF4J, whose API is on the classpath without a provider,
    // and print a non-JSON warning).
    if (System.getProperty("vertx.logger-delegate-factory-class-name") == null) {
      System.setProperty("vertx.logger-delegate-factory-class-name", "io.vertx.core.logging.JULLogDelegateFactory");
    }
    if (System.getProperty("slf4j.internal.verbosity") == null) {
      System.setProperty("slf4j.internal.verbosity", "ERROR");
    }
    InternalLoggerFactory.setDefaultFactory(JdkLoggerFactory.INSTANCE);
    log.captureJul();
    tlsInForce = tls.read();
    logCertificate("tls certificate loaded", tlsInForce);
    vertx = Vertx.vertx(new VertxOptions()
        .setWorkerPoolSize(Math.max(4, 2 * Runtime.getRuntime().availableProcessors()))
        // A read-only root filesystem has no room for Vert.x's file cache; we serve no files.
        .setFileSystemOptions(new FileSystemOptions().setFileCachingEnabled(false).setClassPathResolvingEnabled(false)));
    HttpServerOptions http = new HttpServerOptions()
        .setSsl(true)
        .setKeyCertOptions(tlsInForce.options())
        .setEnabledSecureTransportProtocols(TLS_PROTOCOLS)
        .setIdleTimeout((int) Math.max(1, config.server().idleTimeout().toSeconds()))
        .setIdleTimeoutUnit(TimeUnit.SECONDS)
        // Not the body timeout: a first handshake on a cold, busy JVM can take a second or more.
        .setSslHandshakeTimeout(HANDSHAKE_TIMEOUT_SECONDS)
        .setSslHandshakeTimeoutUnit(TimeUnit.SECONDS)
        .setDecompressionSupported(false);
    Router router = router();
    server = vertx.createHttpServer(http)
        .connectionHandler(this::headerDeadline)
        .requestHandler(req -> {
          requestStarted(req);
          router.handle(req);
        });
    try {
      server.listen(options.port(), options.host()).toCompletionStage().toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      vertx.close();
      throw new IOException("cannot listen on " + options.host() + ":" + options.port() + ": " + cause.getMessage(), cause);
    }
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("address", options.host() + ":" + server.actualPort());
    fields.put("policies", store.describeSource());
    fields.put("decisionPath", config.validation().decisionPath());
    fields.put("failureMode", config.validation().failureMode().name().toLowerCase());
    fields.put("evaluationTimeout", Durations.format(config.validation().evaluationTimeout()));
    log.info("listening", fields);
    long policyMs = config.server().policyPollInterval().toMillis();
    long tlsMs = config.server().tlsPollInterval().toMillis();
    watcher.scheduleWithFixedDelay(this::refreshPolicies, 0, policyMs, TimeUnit.MILLISECONDS);
    watcher.scheduleWithFixedDelay(this::refreshTls, tlsMs, tlsMs, TimeUnit.MILLISECONDS);
  }

  public int port() {
    return server.actualPort();
  }

  public Metrics metrics() {
    return metrics;
  }

  /** Ready: policies loaded and not shutting down. */
  public boolean ready() {
    return !draining && store.current().isPresent();
  }

  /** Checks the policy source now (normally done every policyPollInterval). */
  public void refreshPolicies() {
    try {
      store.refresh();
    } catch (RuntimeException e) {
      log.error("policy refresh failed", Map.of("error", String.valueOf(e)));
    }
  }

  /** Checks the certificate and key files now (normally done every tlsPollInterval). */
  public void refreshTls() {
    TlsFiles.Snapshot next;
    try {
      next = tls.read();
    } catch (IOException e) {
      if (!e.getMessage().equals(lastTlsError)) {
        lastTlsError = e.getMessage();
        metrics.reload("tls", "failure");
        log.error("tls files unreadable; keeping the certificate in force", Map.of("error", e.getMessage()));
      }
      return;
    }
    if (next.sameAs(tlsInForce)) {
      return;
    }
    try {
      // force: the digest already says the content changed
      Boolean updated = server.updateSSLOptions(new ServerSSLOptions().setKeyCertOptions(next.options())
              .setEnabledSecureTransportProtocols(TLS_PROTOCOLS), true)
          .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      if (!Boolean.TRUE.equals(updated)) {
        throw new IllegalStateException("the TLS stack did not take the new certificate");
      }
      tlsInForce = next;
      lastTlsError = null;
      metrics.reload("tls", "success");
      logCertificate("tls certificate reloaded", next);
    } catch (Exception e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      String msg = String.valueOf(cause.getMessage());
      if (!msg.equals(lastTlsError)) {
        lastTlsError = msg;
        metrics.reload("tls", "failure");
        log.error("tls reload rejected; keeping the certificate in force", Map.of("error", msg));
      }
    }
  }

  private void logCertificate(String msg, TlsFiles.Snapshot s) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("file", tls.certFile().toString());
    try {
      X509Certificate c = (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(s.cert()));
      fields.put("subject", c.getSubjectX500Principal().getName());
      fields.put("notAfter", c.getNotAfter().toInstant().toString());
    } catch (Exception e) {
      fields.put("subject", "unknown");
    }
    log.info(msg, fields);
  }

  /** Every notification outcome is logged and counted: a page that never left must be visible. */
  private final class NotificationLog implements Notifier.Listener {
    @Override
    public void sent(Notifier.Notification n, int attempts) {
      metrics.notification("sent");
      log.info("notification sent", fields(n, Map.of("attempts", attempts)));
    }

    @Override
    public void failed(Notifier.Notification n, int attempts, String error) {
      metrics.notification("failed");
      log.error("notification failed", fields(n, Map.of("attempts", attempts, "error", error)));
    }

    @Override
    public void dropped(Notifier.Notification n, String why) {
      metrics.notification("dropped");
      log.warn("notification not sent", fields(n, Map.of("reason", why)));
    }

    private Map<String, Object> fields(Notifier.Notification n, Map<String, Object> more) {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("uid", n.details().get("uid"));
      f.put("channels", n.channels());
      f.put("text", n.text());
      f.putAll(more);
      return f;
    }
  }

  private void onPolicyReload(PolicyStore.Reload r) {
    if (r instanceof PolicyStore.Reload.Loaded l) {
      CompiledPolicies p = l.policies();
      metrics.reload("policy", "success");
      metrics.policyLoaded(p.revision(), p.loadedAt().getEpochSecond());
      log.info("policies loaded", Map.of("source", store.describeSource(), "revision", p.revision(),
          "modules", p.modules()));
    } else if (r instanceof PolicyStore.Reload.Failed f) {
      metrics.reload("policy", "failure");
      log.error(store.current().isPresent() ? "policy reload failed; keeping the policies in force"
          : "policies could not be loaded; not ready", Map.of("source", f.source(), "error", f.error()));
    }
  }

  private Router router() {
    Router router = Router.router(vertx);
    router.post(Endpoint.VALIDATE.path()).handler(ctx -> admission(ctx, Endpoint.VALIDATE));
    router.post(Endpoint.MUTATE.path()).handler(ctx -> admission(ctx, Endpoint.MUTATE));
    router.get("/health").handler(this::health);
    router.get("/health/live").handler(ctx -> json(ctx.response(), 200, Map.of("status", "alive")));
    router.get("/metrics").handler(ctx -> ctx.response().setStatusCode(200)
        .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
        .end(metrics.render()));
    router.errorHandler(404, ctx -> json(ctx.response(), 404,
        Map.of("error", "not_found", "message", "no such endpoint: " + ctx.request().path())));
    router.errorHandler(405, ctx -> json(ctx.response(), 405,
        Map.of("error", "method_not_allowed", "message", ctx.request().method() + " is not allowed on "
            + ctx.request().path())));
    router.errorHandler(500, ctx -> {
      log.error("unhandled error", Map.of("path", ctx.request().path(), "error", String.valueOf(ctx.failure())));
      json(ctx.response(), 500, Map.of("error", "internal", "message", "internal error"));
    });
    return router;
  }

  private void health(RoutingContext ctx) {
    Optional<CompiledPolicies> p = store.current();
    Map<String, Object> body = new LinkedHashMap<>();
    if (draining) {
      body.put("status", "draining");
      json(ctx.response(), 503, body);
    } else if (p.isEmpty()) {
      body.put("status", "loading");
      String err = store.lastError();
      if (err != null) {
        body.put("error", err);
      }
      json(ctx.response(), 503, body);
    } else {
      body.put("status", "ok");
      body.put("policyRevision", p.get().revision());
      body.put("policiesLoadedAt", p.get().loadedAt().toString());
      json(ctx.response(), 200, body);
    }
  }

  /**
   * Slow headers: Vert.x has no header timeout, and a client trickling header bytes never looks
   * idle. Each connection gets a deadline for its next request's headers: headerTimeout when it is
   * opened, idleTimeout after each response (so kept-alive connections keep their idle semantics).
   * A request whose headers arrived clears it; a deadline that passes closes the connection.
   */
  private final Map<HttpConnection, Long> headerTimers = new ConcurrentHashMap<>();

  private void headerDeadline(HttpConnection conn) {
    armHeaderTimer(conn, config.server().headerTimeout());
    conn.closeHandler(v -> {
      Long t = headerTimers.remove(conn);
      if (t != null) {
        vertx.cancelTimer(t);
      }
    });
  }

  private void armHeaderTimer(HttpConnection conn, Duration d) {
    long id = vertx.setTimer(Math.max(1, d.toMillis()), t -> {
      if (headerTimers.remove(conn, t)) {
        metrics.badRequest("connection", "header_timeout");
        conn.close();
      }
    });
    Long previous = headerTimers.put(conn, id);
    if (previous != null) {
      vertx.cancelTimer(previous);
    }
  }

  private void requestStarted(HttpServerRequest req) {
    HttpConnection conn = req.connection();
    Long t = headerTimers.remove(conn);
    if (t != null) {
      vertx.cancelTimer(t);
    }
    req.response().endHandler(v -> {
      if (!req.response().closed()) {
        armHeaderTimer(conn, config.server().idleTimeout());
      }
    });
  }

  /** Mutable per-request state, touched only on the request's event loop. */
  private static final class Exchange {
    final RoutingContext ctx;
    final Endpoint endpoint;
    final long start = System.nanoTime();
    final Buffer body = Buffer.buffer();
    boolean received;
    boolean tooLarge;
    // The first answer wins: the worker's decision or the guard timer's (event loop), whichever
    // comes first; the worker also reads it to abandon an evaluation nobody waits for.
    final AtomicBoolean answered = new AtomicBoolean();
    volatile long timer = -1;
    volatile AdmissionService.Prepared prepared;

    Exchange(RoutingContext ctx, Endpoint endpoint) {
      this.ctx = ctx;
      this.endpoint = endpoint;
    }
  }

  private void admission(RoutingContext ctx, Endpoint ep) {
    Exchange x = new Exchange(ctx, ep);
    HttpServerRequest req = ctx.request();
    String type = req.getHeader("content-type");
    if (!isJson(type)) {
      answer(x, service.rejected(ep, 415, "unsupported_media_type", "Content-Type must be application/json (an "
          + "AdmissionReview), got " + (type == null ? "none" : "\"" + type + "\"")), true);
      return;
    }
    long max = config.server().maxBodyBytes();
    String declared = req.getHeader("content-length");
    if (declared != null) {
      long n;
      try {
        n = Long.parseLong(declared.trim());
      } catch (NumberFormatException e) {
        n = -1;
      }
      if (n < 0 || n > max) {
        answer(x, service.badRequest(ep, n < 0 ? "bad_content_length" : "body_too_large",
            n < 0 ? "Content-Length is not a number: " + declared
                : "the body is " + n + " bytes; the limit is " + max), true);
        return;
      }
    }
    long bodyMs = config.server().bodyTimeout().toMillis();
    x.timer = vertx.setTimer(bodyMs, id -> {
      if (!x.received) {
        x.received = true;
        answer(x, service.badRequest(ep, "body_timeout", "the request body was not received within "
            + Durations.format(config.server().bodyTimeout())), true);
      }
    });
    req.handler(chunk -> {
      if (x.received || x.tooLarge) {
        return;
      }
      if (x.body.length() + chunk.length() > max) {
        x.tooLarge = true;
      } else {
        x.body.appendBuffer(chunk);
      }
    });
    req.exceptionHandler(t -> {
      if (!x.received) {
        x.received = true;
        vertx.cancelTimer(x.timer);
        answer(x, service.badRequest(ep, "bad_body", "the request body could not be read: " + t.getMessage()), true);
      }
    });
    req.endHandler(v -> {
      if (x.received) {
        return;
      }
      x.received = true;
      vertx.cancelTimer(x.timer);
      if (x.tooLarge) {
        answer(x, service.badRequest(ep, "body_too_large", "the body exceeds the limit of " + max + " bytes"), false);
        return;
      }
      dispatch(x);
    });
    req.resume();
  }

  /** application/json, with or without parameters (charset=utf-8), case-insensitively. */
  static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    int semi = contentType.indexOf(';');
    String media = (semi >= 0 ? contentType.substring(0, semi) : contentType).strip();
    return media.equalsIgnoreCase("application/json");
  }

  private void dispatch(Exchange x) {
    byte[] bytes = x.body.getBytes();
    long guardMs = config.validation().evaluationTimeout().toMillis() + GUARD_GRACE_MS;
    x.timer = vertx.setTimer(guardMs, id -> {
      if (x.answered.get()) {
        return;
      }
      if (x.prepared == null) {
        Map<String, Object> body = Map.of("error", "overloaded",
            "message", "the webhook could not start on this request within " + guardMs + "ms");
        answer(x, new Answer(429, jsonBytes(body), "overloaded", false, new LinkedHashMap<>(body)), false);
      } else {
        answer(x, service.failure(x.prepared, "no decision within " + guardMs + "ms"), false);
      }
    });
    if (bytes.length <= INLINE_PREPARE_BYTES) {
      // Typical reviews are a few KiB: reading them on the event loop costs less than a hop.
      AdmissionService.Prepared p;
      try {
        p = service.prepare(x.endpoint, bytes);
      } catch (RuntimeException e) {
        vertx.cancelTimer(x.timer);
        answer(x, service.badRequest(x.endpoint, "unreadable", "the request could not be read: " + e), false);
        return;
      }
      prepared(x, p);
      return;
    }
    vertx.executeBlocking(() -> service.prepare(x.endpoint, bytes), false).onComplete(ar -> {
      if (x.answered.get()) {
        return;
      }
      if (ar.failed()) {
        vertx.cancelTimer(x.timer);
        answer(x, service.badRequest(x.endpoint, "unreadable", "the request could not be read: " + ar.cause()), false);
        return;
      }
      prepared(x, ar.result());
    });
  }

  /**
   * Evaluation or injection runs on a worker, under the guard timer already set, and the worker
   * answers itself: Vert.x hands the write to the connection's event loop, which is woken once
   * (for the write) instead of first running a completion callback that then writes.
   */
  private void prepared(Exchange x, AdmissionService.Prepared p) {
    if (p.answer() != null) {
      vertx.cancelTimer(x.timer);
      answer(x, p.answer(), false);
      return;
    }
    x.prepared = p;
    // A decision still queued when the guard answers is never started, and one running stops at
    // the engine's next check: a burst the guard already answered does not keep the CPU busy.
    vertx.executeBlocking(() -> {
      if (x.answered.get()) {
        return null;
      }
      Answer a;
      try {
        a = service.decide(p, x.answered::get);
      } catch (RuntimeException | Error e) {
        a = service.failure(p, "internal error: " + e);
      }
      vertx.cancelTimer(x.timer);
      answer(x, a, false);
      return null;
    }, false).onFailure(t -> {
      // The pool refused the task (closing): still one answer, from the event loop.
      vertx.cancelTimer(x.timer);
      answer(x, service.failure(p, "internal error: " + t), false);
    });
  }

  /** Sends the answer unless one was already sent; any thread (the event loop or a worker). */
  private void answer(Exchange x, Answer a, boolean closeConnection) {
    if (!x.answered.compareAndSet(false, true)) {
      return;
    }
    HttpServerResponse res = x.ctx.response();
    if (res.ended() || res.closed()) {
      return;
    }
    res.setStatusCode(a.status()).putHeader("content-type", "application/json");
    if (closeConnection) {
      res.putHeader("connection", "close");
    }
    Future<Void> done = res.end(Buffer.buffer(a.body()));
    if (closeConnection) {
      done.onComplete(v -> x.ctx.request().connection().close());
    }
    long nanos = System.nanoTime() - x.start;
    metrics.request(x.endpoint.path(), a.decision(), a.dryRun(), nanos);
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("endpoint", x.endpoint.path());
    fields.put("status", a.status());
    fields.putAll(a.log());
    fields.put("durationMs", Math.round(nanos / 1e4) / 100.0);
    log.write(a.status() == 200 ? "info" : "warn", "admission", fields);
  }

  private static void json(HttpServerResponse res, int status, Map<String, ?> body) {
    res.setStatusCode(status).putHeader("content-type", "application/json").end(Buffer.buffer(jsonBytes(body)));
  }

  private static byte[] jsonBytes(Map<String, ?> body) {
    ObjectNode o = Mappers.JSON.valueToTree(body);
    return o.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Graceful stop: report unready, keep serving for shutdownDelay, then finish requests in flight. */
  @Override
  public void close() {
    draining = true;
    log.info("shutting down", Map.of("delay", Durations.format(config.server().shutdownDelay()),
        "timeout", Durations.format(config.server().shutdownTimeout())));
    sleep(config.server().shutdownDelay());
    watcher.shutdownNow();
    try {
      // Notifications queued by the last admissions get a moment to leave.
      notifier.drain(Duration.ofSeconds(2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    notifier.close();
    try {
      server.shutdown(config.server().shutdownTimeout()).toCompletionStage().toCompletableFuture()
          .get(config.server().shutdownTimeout().toMillis() + 5000, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      log.warn("shutdown did not finish cleanly", Map.of("error", String.valueOf(e)));
    }
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.warn("vert.x did not close cleanly", Map.of("error", String.valueOf(e)));
    }
    log.info("stopped", Map.of());
    log.close();
  }

  /**
   * Waits (at most {@code timeout}) until every log line so far is written: the log is written by
   * its own thread, so a caller that reads it right after a response (tests) calls this first.
   */
  public boolean flushLog(Duration timeout) {
    return log.flush(timeout);
  }

  private static void sleep(Duration d) {
    if (d.isZero() || d.isNegative()) {
      return;
    }
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
