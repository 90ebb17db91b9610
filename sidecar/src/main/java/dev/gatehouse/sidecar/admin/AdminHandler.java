package dev.gatehouse.sidecar.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.sync.BundleStatus;
import dev.gatehouse.sync.BundleSync;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;

/**
 * The admin listener, separate from the proxy so nothing here is reachable through the service's
 * port: {@code GET /health} and {@code /ready} (200 once the first set of bundles has activated,
 * 503 before; per-bundle status in the body), {@code /live} (200 while the process serves) and
 * {@code /metrics} (Prometheus text).
 */
public final class AdminHandler implements Handler<HttpServerRequest> {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final BundleSync sync;
  private final SidecarMetrics metrics;

  public AdminHandler(BundleSync sync, SidecarMetrics metrics) {
    this.sync = sync;
    this.metrics = metrics;
  }

  @Override
  public void handle(HttpServerRequest req) {
    if (req.method() != HttpMethod.GET && req.method() != HttpMethod.HEAD) {
      error(req, 405, "method_not_allowed", "use GET");
      return;
    }
    switch (req.path()) {
      case "/health", "/ready" -> health(req);
      case "/live" -> req.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end("{\"status\":\"ok\"}");
      case "/metrics" -> {
        StringBuilder sb = new StringBuilder(4096);
        metrics.render(sb);
        sync.metrics().render(sb, sync.status());
        req.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8").end(sb.toString());
      }
      default -> error(req, 404, "not_found", "no such endpoint: " + req.path());
    }
  }

  private void health(HttpServerRequest req) {
    boolean ready = sync.current().isPresent();
    ObjectNode body = JSON.createObjectNode();
    body.put("status", ready ? "ok" : "unavailable");
    if (!ready) {
      body.put("message", "waiting for the first activation of every bundle");
    }
    sync.current().ifPresent(a -> body.put("activated_at", a.activatedAt().toString()));
    ArrayNode bundles = body.putArray("bundles");
    List<BundleStatus> status = sync.status();
    for (BundleStatus s : status) {
      ObjectNode b = bundles.addObject();
      b.put("name", s.name());
      b.put("revision", s.revision());
      b.put("last_successful_download", s.lastSuccessfulDownload() == null ? null : s.lastSuccessfulDownload().toString());
      b.put("last_successful_activation", s.lastSuccessfulActivation() == null ? null : s.lastSuccessfulActivation().toString());
      b.put("last_error", s.lastError());
    }
    req.response().setStatusCode(ready ? 200 : 503).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(body.toString());
  }

  private static void error(HttpServerRequest req, int status, String code, String message) {
    ObjectNode body = JSON.createObjectNode();
    body.put("error", code);
    body.put("message", message);
    req.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body.toString());
  }
}
