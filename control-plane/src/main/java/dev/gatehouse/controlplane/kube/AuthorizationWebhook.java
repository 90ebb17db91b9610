package dev.gatehouse.controlplane.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.controlplane.Jsons;
import dev.gatehouse.controlplane.api.ApiServer;
import dev.gatehouse.controlplane.api.Metrics;
import dev.gatehouse.controlplane.auth.AuthResult;
import dev.gatehouse.controlplane.auth.Authenticator;
import dev.gatehouse.controlplane.auth.Identity;
import dev.gatehouse.controlplane.service.AccessService;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The Kubernetes authorization webhook ({@code POST /kubernetes/authorize}): the API server sends
 * a SubjectAccessReview ({@code authorization.k8s.io/v1}) and gets it back with a status decided by
 * {@code data.gatehouse.kubernetes.authz.decision} over the live grants.
 *
 * <p>Served by the control plane because it has the grants directly: no bundle round-trip between
 * a revocation and the next answer. The API server authenticates as a control-plane identity with
 * the {@code enforcer} role (a bearer token or a client certificate in the webhook's kubeconfig);
 * anything else is 401/403 and audited. A decision that cannot be made (policies not loaded, an
 * evaluation error) is answered as no opinion with {@code evaluationError}, so the next authorizer
 * (RBAC) decides and nothing Gatehouse granted is in force: fail closed for what Gatehouse governs.
 */
public final class AuthorizationWebhook {
  private static final Logger LOG = Logger.getLogger(AuthorizationWebhook.class.getName());
  public static final String PATH = "/kubernetes/authorize";
  static final String API_VERSION = "authorization.k8s.io/v1";
  private static final int MAX_BODY = 64 * 1024;

  private final Vertx vertx;
  private final KubePolicies policies;
  private final Authenticator auth;
  private final AccessService service;
  private final Metrics metrics;
  /** Failed authentications audited per address per 10 s window (the rest only counted). */
  private final ConcurrentHashMap<String, long[]> auditWindows = new ConcurrentHashMap<>();

  public AuthorizationWebhook(Vertx vertx, KubePolicies policies, Authenticator auth, AccessService service, Metrics metrics) {
    this.vertx = vertx;
    this.policies = policies;
    this.auth = auth;
    this.service = service;
    this.metrics = metrics;
    metrics.describe("gatehouse_kube_authz_decisions_total", "SubjectAccessReviews answered, by outcome");
  }

  /** Adds the route to the control plane's router. */
  public void mount(Router router) {
    BodyHandler bodies = BodyHandler.create(false).setBodyLimit(MAX_BODY).setHandleFileUploads(false);
    router.post(PATH).handler(bodies).handler(this::handle);
  }

  private void handle(RoutingContext ctx) {
    String authz = ctx.request().getHeader("Authorization");
    Certificate[] peer = ApiServer.peer(ctx);
    String remote = String.valueOf(ctx.request().remoteAddress());
    String body = ctx.body() == null || ctx.body().buffer() == null ? "" : ctx.body().asString(StandardCharsets.UTF_8.name());
    vertx.executeBlocking(() -> answer(authz, peer, remote, body), false).onComplete(ar -> {
      if (ar.succeeded()) {
        Answer a = ar.result();
        ctx.response().setStatusCode(a.status()).putHeader("content-type", "application/json").end(Jsons.write(a.body()));
      } else {
        LOG.log(Level.WARNING, "authorization webhook", ar.cause());
        error(ctx.response(), 500, "internal", "internal error");
      }
    });
  }

  record Answer(int status, ObjectNode body) {}

  Answer answer(String authz, Certificate[] peer, String remote, String body) {
    AuthResult r = auth.authenticate(authz, peer);
    if (!(r instanceof AuthResult.Ok ok)) {
      metrics.inc("gatehouse_kube_authz_decisions_total", "outcome=\"unauthenticated\"");
      if (allowAudit(remote)) {
        String method = r instanceof AuthResult.Failed f ? f.method() : "none";
        String reason = r instanceof AuthResult.Failed f ? f.reason() : "no credential";
        service.authenticationFailed(method, reason, remote, PATH);
      }
      return new Answer(401, err("unauthenticated", "the API server must authenticate as a Gatehouse enforcer"));
    }
    Identity who = ok.identity();
    if (!who.has(Identity.ENFORCER)) {
      metrics.inc("gatehouse_kube_authz_decisions_total", "outcome=\"forbidden\"");
      service.forbidden(who, PATH, "needs role enforcer");
      return new Answer(403, err("forbidden", who.user() + " lacks the enforcer role the authorization webhook needs"));
    }
    JsonNode review;
    try {
      review = Jsons.MAPPER.readTree(body);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return bad("the body is not JSON: " + e.getOriginalMessage());
    }
    if (!(review instanceof ObjectNode review0)) {
      return bad("the body must be a SubjectAccessReview object");
    }
    if (!API_VERSION.equals(review0.path("apiVersion").asText()) || !"SubjectAccessReview".equals(review0.path("kind").asText())) {
      return bad("expected apiVersion " + API_VERSION + ", kind SubjectAccessReview (set subjectAccessReviewVersion: v1)");
    }
    if (!review0.path("spec").isObject()) {
      return bad("spec must be an object");
    }
    ObjectNode status = Jsons.object();
    try {
      ObjectNode d = policies.authorize(review0);
      boolean allowed = d.path("allowed").asBoolean(false);
      status.put("allowed", allowed);
      if (d.path("denied").asBoolean(false) && !allowed) {
        status.put("denied", true);
      }
      status.put("reason", d.path("reason").asText(""));
      metrics.inc("gatehouse_kube_authz_decisions_total", "outcome=\"" + (allowed ? "allowed" : "no_opinion") + "\"");
    } catch (RuntimeException e) {
      // No decision: no opinion, so RBAC decides and no grant is in force.
      status.put("allowed", false).put("evaluationError", "gatehouse: " + e.getMessage());
      metrics.inc("gatehouse_kube_authz_decisions_total", "outcome=\"error\"");
      LOG.log(Level.WARNING, "authorization decision failed: " + e.getMessage());
    }
    ObjectNode out = Jsons.object().put("apiVersion", API_VERSION).put("kind", "SubjectAccessReview");
    if (review0.has("metadata")) {
      out.set("metadata", review0.get("metadata"));
    }
    out.set("status", status);
    return new Answer(200, out);
  }

  private Answer bad(String message) {
    metrics.inc("gatehouse_kube_authz_decisions_total", "outcome=\"bad_request\"");
    return new Answer(400, err("bad_request", message));
  }

  private boolean allowAudit(String remote) {
    int colon = remote.lastIndexOf(':');
    String host = colon > 0 ? remote.substring(0, colon) : remote;
    long now = System.currentTimeMillis();
    long[] w = auditWindows.compute(host, (k, v) -> v == null || now - v[0] >= 10_000 ? new long[] {now, 0} : v);
    synchronized (w) {
      return ++w[1] <= 20;
    }
  }

  private static ObjectNode err(String error, String message) {
    return Jsons.object().put("error", error).put("message", message);
  }

  private static void error(HttpServerResponse res, int status, String error, String message) {
    if (!res.ended()) {
      res.setStatusCode(status).putHeader("content-type", "application/json").end(Jsons.write(err(error, message)));
    }
  }
}
