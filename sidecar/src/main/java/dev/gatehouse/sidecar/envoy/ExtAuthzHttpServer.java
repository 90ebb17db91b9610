package dev.gatehouse.sidecar.envoy;

import com.google.protobuf.Timestamp;
import dev.gatehouse.engine.value.Json;
import dev.gatehouse.sidecar.decisionlog.DecisionLogger;
import dev.gatehouse.sync.PolicyHolder;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.service.auth.v3.AttributeContext;
import io.envoyproxy.envoy.service.auth.v3.CheckRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Envoy's HTTP ext_authz service mode: Envoy sends the original request's method, path (after an
 * optional {@code path_prefix}), headers and, with {@code with_request_body}, body. The request
 * is turned into the same {@code CheckRequest} attributes the gRPC mode carries, so policies see
 * the same input. A 200 allows (decision {@code headers} and {@code response_headers_to_add} are
 * returned as response headers, for Envoy's {@code allowed_upstream_headers} and
 * {@code allowed_client_headers_on_success}); any other status denies, and Envoy passes the
 * status, headers and body back to the client. Unusable requests get 400, undecidable checks 500
 * (Envoy denies on both unless {@code failure_mode_allow}).
 */
public final class ExtAuthzHttpServer {
  private final HttpServer server;

  private ExtAuthzHttpServer(HttpServer server) {
    this.server = server;
  }

  /**
   * @param pathPrefix the {@code path_prefix} Envoy is configured with, stripped before the policy
   *     sees the path ("" for none)
   */
  public static Future<ExtAuthzHttpServer> start(Vertx vertx, String host, int port, PolicyHolder holder,
      String decisionPath, String pathPrefix, DecisionLogger logger) {
    return start(vertx, host, port, new ExtAuthzService(holder, decisionPath, logger), pathPrefix);
  }

  /** Starts listening with a configured service (e.g. one deciding with a {@link GatehouseMapping}). */
  public static Future<ExtAuthzHttpServer> start(Vertx vertx, String host, int port, ExtAuthzService svc,
      String pathPrefix) {
    String prefix = pathPrefix == null ? "" : pathPrefix.replaceAll("/+$", "");
    return vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port))
        .requestHandler(req -> handle(vertx, svc, prefix, req))
        .listen()
        .map(ExtAuthzHttpServer::new);
  }

  public int port() {
    return server.actualPort();
  }

  public Future<Void> close() {
    return server.close();
  }

  /** Envoy buffers at most {@code max_request_bytes} of the body; refuse more than this. */
  static final int MAX_BODY = 8 * 1024 * 1024;

  private static void handle(Vertx vertx, ExtAuthzService svc, String prefix, HttpServerRequest req) {
    String cl = req.getHeader("Content-Length");
    if (cl != null && cl.chars().allMatch(Character::isDigit) && !cl.isEmpty() && Long.parseLong(cl) > MAX_BODY) {
      req.response().setStatusCode(413).end();
      return;
    }
    req.body().onComplete(ar -> {
      if (ar.failed()) {
        req.response().setStatusCode(400).end();
        return;
      }
      if (ar.result().length() > MAX_BODY) {
        req.response().setStatusCode(413).end();
        return;
      }
      CheckRequest check = toCheckRequest(req, ar.result(), prefix);
      String peer = req.remoteAddress() == null ? "" : req.remoteAddress().host() + ":" + req.remoteAddress().port();
      vertx.executeBlocking(() -> svc.check(check, peer), false).onComplete(res -> {
        HttpServerResponse resp = req.response();
        if (res.failed()) {
          boolean bad = res.cause() instanceof ExtAuthzService.CheckFailed cf && cf.invalidArgument();
          resp.setStatusCode(bad ? 400 : 500).putHeader("Content-Type", "application/json")
              .end("{\"error\":" + Json.quote(String.valueOf(res.cause().getMessage())) + "}");
          return;
        }
        EnvoyDecision d = res.result().decision();
        d.headers().forEach(h -> resp.headers().add(h.getKey(), h.getValue()));
        if (d.allowed()) {
          d.responseHeadersToAdd().forEach(h -> resp.headers().add(h.getKey(), h.getValue()));
        }
        if (res.result().decisionId() != null) {
          resp.headers().set("x-gatehouse-decision-id", res.result().decisionId());
        }
        if (d.allowed()) {
          resp.setStatusCode(200).end();
          return;
        }
        resp.setStatusCode(d.httpStatus()).end(d.body());
      });
    });
  }

  /** The attributes Envoy's gRPC mode would have sent for this request. */
  static CheckRequest toCheckRequest(HttpServerRequest req, Buffer body, String prefix) {
    String uri = req.uri();
    if (!prefix.isEmpty() && uri.startsWith(prefix)) {
      uri = uri.substring(prefix.length());
      if (uri.isEmpty() || uri.charAt(0) != '/') {
        uri = "/" + uri;
      }
    }
    Map<String, String> headers = new LinkedHashMap<>();
    req.headers().forEach(e -> headers.merge(e.getKey().toLowerCase(Locale.ROOT), e.getValue(), (a, b) -> a + "," + b));
    String host = req.authority() != null ? req.authority().toString() : headers.getOrDefault("host", "");
    headers.putIfAbsent(":authority", host);
    headers.putIfAbsent(":method", req.method().name());
    headers.putIfAbsent(":path", uri);
    AttributeContext.HttpRequest.Builder http = AttributeContext.HttpRequest.newBuilder()
        .setMethod(req.method().name())
        .setPath(uri)
        .setHost(host)
        .setScheme(headers.getOrDefault("x-forwarded-proto", req.isSSL() ? "https" : "http"))
        .setProtocol(switch (req.version()) {
          case HTTP_1_0 -> "HTTP/1.0";
          case HTTP_2 -> "HTTP/2";
          default -> "HTTP/1.1";
        })
        .putAllHeaders(headers);
    if (headers.containsKey("x-request-id")) {
      http.setId(headers.get("x-request-id"));
    }
    if (body != null && body.length() > 0) {
      http.setBody(body.toString(StandardCharsets.UTF_8)).setSize(body.length());
    }
    Instant now = Instant.now();
    AttributeContext.Builder attrs = AttributeContext.newBuilder()
        .setRequest(AttributeContext.Request.newBuilder()
            .setTime(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
            .setHttp(http));
    if (req.remoteAddress() != null) {
      attrs.setSource(AttributeContext.Peer.newBuilder().setAddress(Address.newBuilder().setSocketAddress(
          SocketAddress.newBuilder().setAddress(req.remoteAddress().host()).setPortValue(req.remoteAddress().port()))));
    }
    if (req.localAddress() != null) {
      attrs.setDestination(AttributeContext.Peer.newBuilder().setAddress(Address.newBuilder().setSocketAddress(
          SocketAddress.newBuilder().setAddress(req.localAddress().host()).setPortValue(req.localAddress().port()))));
    }
    return CheckRequest.newBuilder().setAttributes(attrs).build();
  }
}
