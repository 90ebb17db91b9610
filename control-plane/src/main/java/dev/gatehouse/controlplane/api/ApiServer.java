package dev.gatehouse.controlplane.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.controlplane.Jsons;
import dev.gatehouse.controlplane.audit.AuditChain;
import dev.gatehouse.controlplane.audit.AuditExport;
import dev.gatehouse.controlplane.auth.AuthResult;
import dev.gatehouse.controlplane.auth.Authenticator;
import dev.gatehouse.controlplane.auth.Identity;
import dev.gatehouse.controlplane.bundle.BuiltBundle;
import dev.gatehouse.controlplane.bundle.Bundles;
import dev.gatehouse.controlplane.policy.Policies;
import dev.gatehouse.controlplane.policy.PolicySnapshot;
import dev.gatehouse.controlplane.service.AccessService;
import dev.gatehouse.controlplane.service.Refusal;
import dev.gatehouse.controlplane.store.AuditEvent;
import dev.gatehouse.controlplane.store.GrantRecord;
import dev.gatehouse.controlplane.store.GrantState;
import dev.gatehouse.controlplane.store.RequestRecord;
import dev.gatehouse.controlplane.store.RequestState;
import dev.gatehouse.controlplane.store.Store;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The HTTP surface: REST under {@code /api/v1/}, OPA bundles under {@code /bundles/}, plus
 * {@code /health} and {@code /metrics}. Every API and bundle call is authenticated from its
 * credentials; handlers run on worker threads (store and policy calls block), bundle long-polls
 * park on the event loop. Errors are JSON {@code {"error","message"}}; bad input is a 4xx.
 */
public final class ApiServer {
  public static final int MAX_BODY_BYTES = 64 * 1024;
  private static final Logger LOG = Logger.getLogger(ApiServer.class.getName());
  private static final Set<String> REQUEST_LIST_PARAMS = Set.of("mine", "to_review", "needs_review", "state", "limit");

  private final Vertx vertx;
  private final AccessService service;
  private final Authenticator auth;
  private final Policies policies;
  private final Bundles bundles;
  private final Metrics metrics;
  private final BundleServer grantsServer;
  private final BundleServer policiesServer;
  private final String openapi;
  private final RateLimit authAudit = new RateLimit(20, 10_000);

  public ApiServer(Vertx vertx, AccessService service, Authenticator auth, Policies policies, Bundles bundles,
      Metrics metrics, ExecutorService bundleBuilder) {
    this.vertx = vertx;
    this.service = service;
    this.auth = auth;
    this.policies = policies;
    this.bundles = bundles;
    this.metrics = metrics;
    this.grantsServer = new BundleServer("grants", vertx, bundles::grants, bundles::grantsFor, bundleBuilder, metrics);
    this.policiesServer = new BundleServer("policies", vertx, this::policyBundle, bundleBuilder, metrics);
    this.openapi = resource("openapi.json");
    metrics.gauge("gatehouse_bundle_long_polls", "bundle clients parked in a long poll",
        () -> grantsServer.waiting() + policiesServer.waiting());
  }

  public void grantsChanged() {
    grantsServer.changed();
  }

  public void policiesChanged() {
    policiesServer.changed();
  }

  private BuiltBundle policyBundle() {
    PolicySnapshot s = policies.current().orElseThrow(() -> new Refusal(503, "not_ready", "policies are not loaded"));
    return bundles.policies(s);
  }

  private static String resource(String name) {
    try (InputStream in = ApiServer.class.getResourceAsStream("/dev/gatehouse/controlplane/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("missing resource " + name, e);
    }
  }

  /** A handler body: the caller's identity in, a JSON answer out (or a {@link Refusal} thrown). */
  private interface Call {
    Object run(Identity who, RoutingContext ctx);
  }

  public Router router() {
    Router r = Router.router(vertx);
    r.route().handler(ctx -> {
      ctx.addEndHandler(v -> metrics.inc("gatehouse_http_requests_total", "route=\""
          + (ctx.currentRoute() == null || ctx.currentRoute().getPath() == null ? "other" : ctx.currentRoute().getPath())
          + "\",code=\"" + ctx.response().getStatusCode() + "\""));
      ctx.next();
    });
    r.get("/health").handler(this::health);
    r.get("/metrics").handler(ctx -> ctx.response().putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
        .end(metrics.render()));
    r.get("/api/v1/keys").handler(ctx -> ctx.response().putHeader("content-type", "application/jwk-set+json")
        .end(bundles.keys().jwksJson()));
    r.get("/api/v1/openapi.json").handler(ctx -> ctx.response().putHeader("content-type", "application/json").end(openapi));
    // A method-agnostic route (a POST-only one would turn every unknown GET below /api/v1 into a 405).
    BodyHandler bodies = BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES).setHandleFileUploads(false);
    r.route("/api/v1/*").handler(ctx -> {
      if (ctx.request().method() == io.vertx.core.http.HttpMethod.POST) {
        bodies.handle(ctx);
      } else {
        ctx.next();
      }
    });

    r.get("/api/v1/whoami").handler(ctx -> call(ctx, null, (who, c) -> whoami(who)));
    r.post("/api/v1/requests/evaluate").handler(ctx -> call(ctx, null, (who, c) -> service.evaluate(who, body(c))));
    r.post("/api/v1/requests").handler(ctx -> call(ctx, null, (who, c) -> created(c, service.file(who, body(c)))));
    r.get("/api/v1/requests").handler(ctx -> call(ctx, null, this::listRequests));
    r.get("/api/v1/requests/:id").handler(ctx -> call(ctx, null, (who, c) -> service.requestView(
        service.store().request(c.pathParam("id")).orElseThrow(() -> Refusal.notFound("request", c.pathParam("id"))))));
    r.post("/api/v1/requests/:id/cancel").handler(ctx -> call(ctx, null, (who, c) -> service.cancel(who, c.pathParam("id"))));
    r.post("/api/v1/requests/:id/reviews").handler(ctx -> call(ctx, null,
        (who, c) -> created(c, service.review(who, c.pathParam("id"), body(c)))));
    r.get("/api/v1/grants").handler(ctx -> call(ctx, null, this::listGrants));
    r.post("/api/v1/grants/revoke").handler(ctx -> call(ctx, null, (who, c) -> service.revokeMatching(who, body(c))));
    r.get("/api/v1/grants/:id").handler(ctx -> call(ctx, null, (who, c) -> service.grantView(
        service.store().grant(c.pathParam("id")).orElseThrow(() -> Refusal.notFound("grant", c.pathParam("id"))))));
    r.post("/api/v1/grants/:id/revoke").handler(ctx -> call(ctx, null, (who, c) -> service.revoke(who, c.pathParam("id"), body(c))));
    r.post("/api/v1/grants/:id/extend").handler(ctx -> call(ctx, null,
        (who, c) -> created(c, service.extend(who, c.pathParam("id"), body(c)))));
    r.get("/api/v1/audit").handler(ctx -> call(ctx, Identity.AUDITOR, this::audit));
    r.get("/api/v1/audit/verify").handler(ctx -> call(ctx, Identity.AUDITOR, this::verify));
    r.get("/bundles/grants").handler(ctx -> bundle(ctx, grantsServer));
    r.get("/bundles/policies").handler(ctx -> bundle(ctx, policiesServer));

    r.errorHandler(404, ctx -> error(ctx.response(), 404, "not_found", "no such endpoint: " + ctx.request().path(), null));
    r.errorHandler(405, ctx -> error(ctx.response(), 405, "method_not_allowed",
        ctx.request().method() + " is not allowed on " + ctx.request().path(), null));
    r.errorHandler(413, ctx -> error(ctx.response(), 413, "body_too_large",
        "the body exceeds the limit of " + MAX_BODY_BYTES + " bytes", null));
    r.errorHandler(400, ctx -> error(ctx.response(), 400, "bad_request",
        ctx.failure() == null ? "the request could not be read" : String.valueOf(ctx.failure().getMessage()), null));
    r.errorHandler(500, ctx -> {
      LOG.log(Level.WARNING, "unhandled error on " + ctx.request().path(), ctx.failure());
      error(ctx.response(), 500, "internal", "internal error", null);
    });
    return r;
  }

  private static Object created(RoutingContext ctx, ObjectNode body) {
    ctx.put("status", 201);
    return body;
  }

  private static String body(RoutingContext ctx) {
    if (ctx.body() == null || ctx.body().buffer() == null) {
      return "";
    }
    return ctx.body().asString(StandardCharsets.UTF_8.name());
  }

  // ------------------------------------------------------------------ dispatch

  private void call(RoutingContext ctx, String role, Call call) {
    String authz = ctx.request().getHeader("Authorization");
    Certificate[] peer = peer(ctx);
    String remote = String.valueOf(ctx.request().remoteAddress());
    String path = ctx.request().path();
    vertx.executeBlocking(() -> {
      Identity who = authenticate(authz, peer, remote, path);
      if (role != null && !who.has(role)) {
        service.forbidden(who, path, "needs role " + role);
        throw new Refusal(403, "forbidden", who.user() + " lacks the " + role + " role this endpoint needs");
      }
      return call.run(who, ctx);
    }, false).onComplete(ar -> {
      if (ar.succeeded()) {
        Object out = ar.result();
        int status = ctx.get("status") instanceof Integer s ? s : 200;
        ctx.response().setStatusCode(status).putHeader("content-type", "application/json")
            .end(out instanceof String s ? s : Jsons.write(out));
      } else {
        fail(ctx, ar.cause());
      }
    });
  }

  private Identity authenticate(String authz, Certificate[] peer, String remote, String path) {
    AuthResult r = auth.authenticate(authz, peer);
    if (r instanceof AuthResult.Ok ok) {
      return ok.identity();
    }
    String method = r instanceof AuthResult.Failed f ? f.method() : "none";
    String reason = r instanceof AuthResult.Failed f ? f.reason() : "no credential";
    metrics.inc("gatehouse_auth_failures_total", "method=\"" + method + "\"");
    if (authAudit.allow(host(remote))) {
      service.authenticationFailed(method, reason, remote, path);
    } else {
      // A flood of bad credentials from one address would otherwise cost an fsync each: counted, not audited.
      metrics.inc("gatehouse_auth_failures_unaudited_total", "");
    }
    throw new Refusal(401, "unauthenticated", r instanceof AuthResult.Missing
        ? "this endpoint needs a bearer token (Authorization: Bearer …) or a client certificate"
        : "the credential was refused");
  }

  private static String host(String remote) {
    int colon = remote.lastIndexOf(':');
    return colon > 0 ? remote.substring(0, colon) : remote;
  }

  /** The client certificate chain of an mTLS request; null without TLS or a client certificate. */
  public static Certificate[] peer(RoutingContext ctx) {
    try {
      if (ctx.request().isSSL() && ctx.request().connection().sslSession() != null) {
        return ctx.request().connection().sslSession().getPeerCertificates();
      }
    } catch (Exception e) {
      // no client certificate: authenticate by token or not at all
    }
    return null;
  }

  private void fail(RoutingContext ctx, Throwable t) {
    if (t instanceof Refusal r) {
      if (r.status() == 401) {
        ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"gatehouse\"");
      }
      error(ctx.response(), r.status(), r.error(), r.getMessage(), r.details());
      return;
    }
    LOG.log(Level.WARNING, "unhandled error on " + ctx.request().path(), t);
    error(ctx.response(), 500, "internal", "internal error: " + t.getClass().getSimpleName(), null);
  }

  static void error(HttpServerResponse res, int status, String error, String message, ObjectNode details) {
    if (res.ended() || res.closed()) {
      return;
    }
    ObjectNode o = Jsons.object().put("error", error).put("message", message);
    if (details != null) {
      o.setAll(details);
    }
    res.setStatusCode(status).putHeader("content-type", "application/json").end(Buffer.buffer(Jsons.write(o)));
  }

  private void bundle(RoutingContext ctx, BundleServer server) {
    String ifNoneMatch = ctx.request().getHeader("If-None-Match");
    String authz = ctx.request().getHeader("Authorization");
    Certificate[] peer = peer(ctx);
    String remote = String.valueOf(ctx.request().remoteAddress());
    String path = ctx.request().path();
    vertx.executeBlocking(() -> {
      Identity who = authenticate(authz, peer, remote, path);
      if (!who.has(Identity.ENFORCER)) {
        service.forbidden(who, path, "needs role enforcer");
        throw new Refusal(403, "forbidden", who.user() + " lacks the enforcer role bundle clients need");
      }
      return server.prepare(ifNoneMatch);
    }, false).onComplete(ar -> {
      if (ar.succeeded()) {
        server.serve(ctx, ar.result());
      } else {
        fail(ctx, ar.cause());
      }
    });
  }

  // ------------------------------------------------------------------ handlers

  private void health(RoutingContext ctx) {
    ObjectNode o = Jsons.object();
    PolicySnapshot s = policies.current().orElse(null);
    if (s == null) {
      o.put("status", "loading").put("error", policies.lastError());
      ctx.response().setStatusCode(503).putHeader("content-type", "application/json").end(Jsons.write(o));
      return;
    }
    o.put("status", "ok").put("policy_revision", s.revision()).put("policy_error", policies.lastError());
    ctx.response().putHeader("content-type", "application/json").end(Jsons.write(o));
  }

  private static ObjectNode whoami(Identity who) {
    ObjectNode o = Jsons.object().put("user", who.user()).put("method", who.method());
    ArrayNode g = o.putArray("groups");
    who.groups().forEach(g::add);
    ArrayNode r = o.putArray("roles");
    who.roles().stream().sorted().forEach(r::add);
    return o;
  }

  private Object listRequests(Identity who, RoutingContext ctx) {
    for (String p : ctx.queryParams().names()) {
      if (!REQUEST_LIST_PARAMS.contains(p)) {
        throw Refusal.badRequest("unknown_parameter", "unknown query parameter " + p + "; allowed: "
            + String.join(", ", REQUEST_LIST_PARAMS.stream().sorted().toList()));
      }
    }
    int limit = intParam(ctx, "limit", 100, 1, 1000);
    RequestState state = null;
    String st = ctx.queryParams().get("state");
    if (st != null) {
      try {
        state = RequestState.parse(st);
      } catch (IllegalArgumentException e) {
        throw Refusal.badRequest("bad_parameter", e.getMessage());
      }
    }
    boolean mine = flag(ctx, "mine");
    boolean toReview = flag(ctx, "to_review");
    boolean needsReview = flag(ctx, "needs_review");
    List<RequestRecord> rs;
    if (toReview) {
      rs = service.store().requests(new Store.RequestQuery(null, null, false, 1000)).stream()
          .filter(r -> r.state() == RequestState.PENDING || (r.breakGlass() && r.needsReview()))
          .filter(r -> service.wouldAccept(who, r)).limit(limit).toList();
    } else {
      rs = service.store().requests(new Store.RequestQuery(mine ? who.user() : null, state, needsReview, limit));
    }
    ArrayNode out = Jsons.array();
    rs.forEach(r -> out.add(service.requestView(r)));
    return Jsons.object().set("requests", out);
  }

  private Object listGrants(Identity who, RoutingContext ctx) {
    for (String p : ctx.queryParams().names()) {
      if (!Set.of("active", "subject", "limit").contains(p)) {
        throw Refusal.badRequest("unknown_parameter", "unknown query parameter " + p + "; allowed: active, subject, limit");
      }
    }
    int limit = intParam(ctx, "limit", 100, 1, 1000);
    List<GrantState> states = flag(ctx, "active") ? List.of(GrantState.ACTIVE) : null;
    List<GrantRecord> gs = service.store().grants(new Store.GrantQuery(ctx.queryParams().get("subject"), states, null, 100_000));
    ArrayNode out = Jsons.array();
    gs.stream().sorted((a, b) -> b.createdAt().compareTo(a.createdAt())).limit(limit)
        .forEach(g -> out.add(service.grantView(g)));
    return Jsons.object().set("grants", out);
  }

  private Object audit(Identity who, RoutingContext ctx) {
    long from = intParam(ctx, "from", 1, 1, Integer.MAX_VALUE);
    int limit = intParam(ctx, "limit", 100, 1, 1000);
    ArrayNode out = Jsons.array();
    List<AuditEvent> events = service.store().audit(from, limit);
    events.forEach(e -> out.add(AuditExport.json(e)));
    ObjectNode o = Jsons.object();
    o.set("events", out);
    if (!events.isEmpty() && events.size() == limit) {
      o.put("next", events.get(events.size() - 1).seq() + 1);
    }
    ArrayNode heads = o.putArray("heads");
    for (Store.SignedHead h : service.store().heads(1)) {
      heads.addObject().put("seq", h.seq()).put("hash", h.hash()).put("at", h.at()).put("jws", h.jws());
    }
    return o;
  }

  private Object verify(Identity who, RoutingContext ctx) {
    long from = intParam(ctx, "from", 1, 1, Integer.MAX_VALUE);
    AuditChain.Verifier v = new AuditChain.Verifier(from);
    long next = from;
    while (true) {
      List<AuditEvent> page = service.store().audit(next, 5000);
      if (page.isEmpty() || !v.feed(page)) {
        break;
      }
      next = page.get(page.size() - 1).seq() + 1;
    }
    for (Store.SignedHead h : service.store().heads(1)) {
      if (h.seq() >= from) {
        v.checkHead(h.seq(), h.hash(), seq -> service.store().audit(seq, 1).stream().filter(e -> e.seq() == seq)
            .map(AuditEvent::hash).findFirst().orElse(null));
      }
    }
    AuditChain.Result res = v.result();
    ObjectNode o = Jsons.object().put("ok", res.ok()).put("checked", res.checked());
    if (res.ok()) {
      o.put("head_seq", res.headSeq()).put("head_hash", res.headHash());
    } else {
      o.put("first_broken", res.firstBroken()).put("reason", res.reason());
    }
    return o;
  }

  private static boolean flag(RoutingContext ctx, String name) {
    String v = ctx.queryParams().get(name);
    if (v == null) {
      return false;
    }
    if (v.isEmpty() || v.equals("true") || v.equals("1")) {
      return true;
    }
    if (v.equals("false") || v.equals("0")) {
      return false;
    }
    throw Refusal.badRequest("bad_parameter", name + " must be true or false");
  }

  private static int intParam(RoutingContext ctx, String name, int def, int min, int max) {
    String v = ctx.queryParams().get(name);
    if (v == null) {
      return def;
    }
    try {
      int n = Integer.parseInt(v.trim());
      if (n < min || n > max) {
        throw Refusal.badRequest("bad_parameter", name + " must be between " + min + " and " + max);
      }
      return n;
    } catch (NumberFormatException e) {
      throw Refusal.badRequest("bad_parameter", name + " must be a whole number");
    }
  }
}
