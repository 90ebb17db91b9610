package dev.gatehouse.sidecar.proxy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.sidecar.Decider;
import dev.gatehouse.sidecar.Decision;
import dev.gatehouse.sidecar.JsonLog;
import dev.gatehouse.sidecar.RequestFacts;
import dev.gatehouse.sidecar.SidecarOptions;
import dev.gatehouse.sidecar.admin.SidecarMetrics;
import dev.gatehouse.sidecar.identity.AuthenticationException;
import dev.gatehouse.sidecar.identity.Identity;
import dev.gatehouse.sidecar.identity.IdentityResolver;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * The reverse proxy: for each request, find the caller's identity, decide with the policy (on a
 * worker thread, the request paused meanwhile), then either answer 401/403/503 as JSON or forward
 * to the upstream with bodies streamed both ways (never buffered whole) and WebSocket upgrades
 * bridged message by message. Every response carries {@code x-gatehouse-decision-id}.
 */
public final class ProxyHandler implements Handler<HttpServerRequest> {
  public static final String DECISION_ID = "x-gatehouse-decision-id";
  public static final String SUBJECT = "x-gatehouse-subject";
  private static final ObjectMapper JSON = new ObjectMapper();
  /** RFC 9110 §7.6.1 hop-by-hop headers, never forwarded. */
  private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection",
      "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "http2-settings");
  /** Credentials are never part of the decision input (and so never in decision logs). */
  private static final Set<String> NOT_IN_INPUT = Set.of("authorization", "proxy-authorization", "cookie");
  private static final Set<String> WS_HANDSHAKE = Set.of("sec-websocket-key", "sec-websocket-version",
      "sec-websocket-extensions", "sec-websocket-accept", "sec-websocket-protocol", "host", "content-length");

  private record Outcome(Identity identity, Decision decision) {}

  private final Vertx vertx;
  private final SidecarOptions options;
  private final IdentityResolver identities;
  private final Decider decider;
  private final HttpClientAgent client;
  private final WebSocketClient wsClient;
  private final ConnectionTracker tracker;
  private final SidecarMetrics metrics;
  private final JsonLog log;
  private final Consumer<Decision> decisionListener;
  private final boolean upstreamTls;

  public ProxyHandler(Vertx vertx, SidecarOptions options, IdentityResolver identities, Decider decider,
      HttpClientAgent client, WebSocketClient wsClient, ConnectionTracker tracker, SidecarMetrics metrics,
      JsonLog log) {
    this.vertx = vertx;
    this.options = options;
    this.identities = identities;
    this.decider = decider;
    this.client = client;
    this.wsClient = wsClient;
    this.tracker = tracker;
    this.metrics = metrics;
    this.log = log;
    this.decisionListener = options.decisionListener();
    this.upstreamTls = "https".equals(options.upstream().getScheme());
  }

  @Override
  public void handle(HttpServerRequest req) {
    req.pause();
    req.exceptionHandler(e -> { }); // a client that goes away mid-request is not an error of ours
    String rawPath = rawPath(req);
    Map<String, String> headers = inputHeaders(req.headers());
    List<Certificate> peer = peerCertificates(req);
    String authorization = req.getHeader(HttpHeaders.AUTHORIZATION);
    String forwarded = identities.identityHeader() == null ? null : req.getHeader(identities.identityHeader());
    String method = req.method().name();
    vertx.executeBlocking(() -> {
      Identity id = identities.resolve(peer, authorization, forwarded);
      return new Outcome(id, decider.decide(new RequestFacts(method, rawPath, headers, id.subject())));
    }, false).onComplete(ar -> {
      if (ar.failed()) {
        refuse(req, ar.cause(), method, rawPath);
        return;
      }
      Outcome o = ar.result();
      Decision d = o.decision();
      metrics.decisionNanos(d.evalNanos());
      if (decisionListener != null) {
        try {
          decisionListener.accept(d);
        } catch (RuntimeException e) {
          log.warn("decision listener failed", Map.of("error", String.valueOf(e)));
        }
      }
      if (!d.allow()) {
        metrics.request("deny");
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("decision_id", d.id());
        f.put("subject", o.identity().subject());
        f.put("identity_source", o.identity().source());
        f.put("method", method);
        f.put("path", rawPath);
        f.put("reason", d.reason());
        log.info("request denied", f);
        ObjectNode body = JSON.createObjectNode();
        body.put("error", "forbidden");
        body.put("message", d.reason());
        body.put("reason", d.reason());
        if (d.hint() != null) {
          body.put("request_access_hint", d.hint());
        }
        body.put("decision_id", d.id());
        json(req, 403, d.id(), body);
        return;
      }
      metrics.request("allow");
      RequestFacts facts = new RequestFacts(method, rawPath, headers, o.identity().subject());
      if (req.canUpgradeToWebSocket()) {
        webSocket(req, d, facts);
      } else {
        forward(req, d, facts);
      }
    });
  }

  private void refuse(HttpServerRequest req, Throwable cause, String method, String rawPath) {
    String id = UUID.randomUUID().toString();
    ObjectNode body = JSON.createObjectNode();
    int status;
    if (cause instanceof AuthenticationException) {
      metrics.request("unauthenticated");
      status = 401;
      body.put("error", "unauthenticated");
      req.response().putHeader("www-authenticate", "Bearer error=\"invalid_token\"");
      log.info("request refused: bad credentials", Map.of("decision_id", id, "method", method, "path", rawPath,
          "reason", cause.getMessage()));
    } else if (cause instanceof Decider.NotReadyException) {
      metrics.request("unavailable");
      status = 503;
      body.put("error", "unavailable");
    } else {
      // Evaluation failed: fail closed, and say so (a policy bug, not the caller's fault).
      metrics.request("error");
      status = 503;
      body.put("error", "policy_error");
      log.error("policy evaluation failed", Map.of("decision_id", id, "method", method, "path", rawPath,
          "error", String.valueOf(cause.getMessage())));
    }
    body.put("message", String.valueOf(cause.getMessage()));
    body.put("decision_id", id);
    json(req, status, id, body);
  }

  private static void json(HttpServerRequest req, int status, String decisionId, ObjectNode body) {
    HttpServerResponse resp = req.response();
    if (resp.ended() || resp.closed()) {
      return;
    }
    resp.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(DECISION_ID, decisionId).end(body.toString());
    req.resume(); // discard any unread body
  }

  // ------------------------------------------------------------------------------ HTTP

  private void forward(HttpServerRequest req, Decision d, RequestFacts facts) {
    HttpServerResponse resp = req.response();
    resp.exceptionHandler(e -> { });
    RequestOptions ro = new RequestOptions()
        .setMethod(req.method())
        .setHost(options.upstream().getHost())
        .setPort(options.upstreamPort())
        .setSsl(upstreamTls)
        .setURI(pathAndQuery(req))
        .setHeaders(upstreamHeaders(req, d));
    client.request(ro).onComplete(ar -> {
      if (ar.failed()) {
        badGateway(req, d, ar.cause());
        return;
      }
      HttpClientRequest creq = ar.result();
      creq.exceptionHandler(e -> { });
      // No body: HTTP/1.x without Content-Length or Transfer-Encoding, a zero length, or a request
      // already complete (an HTTP/2 HEADERS frame with END_STREAM).
      boolean noBody = req.isEnded() || "0".equals(req.getHeader(HttpHeaders.CONTENT_LENGTH))
          || (req.version() != HttpVersion.HTTP_2 && req.getHeader(HttpHeaders.CONTENT_LENGTH) == null
              && req.getHeader(HttpHeaders.TRANSFER_ENCODING) == null);
      var sent = noBody ? creq.send() : creq.send(req);
      if (noBody) {
        req.resume();
      }
      sent.onComplete(r -> {
        if (r.failed()) {
          badGateway(req, d, r.cause());
          return;
        }
        HttpClientResponse cresp = r.result();
        if (resp.closed()) {
          cresp.request().reset();
          return;
        }
        resp.setStatusCode(cresp.statusCode());
        if (cresp.statusMessage() != null) {
          resp.setStatusMessage(cresp.statusMessage());
        }
        copyEndToEnd(cresp.headers(), resp.headers(), false);
        resp.putHeader(DECISION_ID, d.id());
        resp.send(cresp);
        if (d.grantId() != null) {
          trackConnection(req.connection(), facts, d.grantId());
        }
      });
    });
  }

  private void badGateway(HttpServerRequest req, Decision d, Throwable cause) {
    metrics.upstreamError();
    HttpServerResponse resp = req.response();
    if (resp.headWritten()) {
      resp.reset();
      return;
    }
    ObjectNode body = JSON.createObjectNode();
    body.put("error", "bad_gateway");
    body.put("message", "upstream " + options.upstream() + " did not answer: " + cause.getMessage());
    body.put("decision_id", d.id());
    json(req, 502, d.id(), body);
  }

  private void trackConnection(HttpConnection conn, RequestFacts facts, String grantId) {
    if (tracker.track(conn, facts, grantId, () -> conn.close())) {
      conn.closeHandler(v -> tracker.untrack(conn));
    }
  }

  // ------------------------------------------------------------------------------ WebSocket

  private void webSocket(HttpServerRequest req, Decision d, RequestFacts facts) {
    WebSocketConnectOptions wo = new WebSocketConnectOptions()
        .setHost(options.upstream().getHost())
        .setPort(options.upstreamPort())
        .setSsl(upstreamTls)
        .setURI(pathAndQuery(req));
    MultiMap h = MultiMap.caseInsensitiveMultiMap();
    copyEndToEnd(req.headers(), h, true);
    addForwarding(req, d, h);
    wo.setHeaders(h);
    String protocols = req.getHeader("sec-websocket-protocol");
    if (protocols != null) {
      List<String> list = new ArrayList<>();
      for (String p : protocols.split(",")) {
        if (!p.isBlank()) {
          list.add(p.strip());
        }
      }
      wo.setSubProtocols(list);
    }
    wsClient.connect(wo).onComplete(ar -> {
      if (ar.failed()) {
        badGateway(req, d, ar.cause());
        return;
      }
      WebSocket up = ar.result();
      req.response().putHeader(DECISION_ID, d.id());
      req.toWebSocket().onComplete(sr -> {
        if (sr.failed()) {
          up.close();
          return;
        }
        ServerWebSocket down = sr.result();
        bridge(down, up);
        if (d.grantId() != null) {
          tracker.track(down, facts, d.grantId(), () -> {
            down.close((short) 1008, "access ended: grant revoked or expired");
            up.close();
          });
        }
        down.closeHandler(v -> {
          tracker.untrack(down);
          up.close();
        });
      });
    });
  }

  /** Messages both ways, with backpressure; a close on either side closes the other. */
  private static void bridge(ServerWebSocket down, WebSocket up) {
    down.exceptionHandler(e -> up.close());
    up.exceptionHandler(e -> down.close());
    down.textMessageHandler(s -> {
      up.writeTextMessage(s);
      if (up.writeQueueFull()) {
        down.pause();
        up.drainHandler(v -> down.resume());
      }
    });
    down.binaryMessageHandler(b -> {
      up.writeBinaryMessage(b);
      if (up.writeQueueFull()) {
        down.pause();
        up.drainHandler(v -> down.resume());
      }
    });
    up.textMessageHandler(s -> {
      down.writeTextMessage(s);
      if (down.writeQueueFull()) {
        up.pause();
        down.drainHandler(v -> up.resume());
      }
    });
    up.binaryMessageHandler(b -> {
      down.writeBinaryMessage(b);
      if (down.writeQueueFull()) {
        up.pause();
        down.drainHandler(v -> up.resume());
      }
    });
    up.closeHandler(v -> {
      Short code = up.closeStatusCode();
      if (code != null) {
        down.close(code, up.closeReason());
      } else {
        down.close();
      }
    });
  }

  // ------------------------------------------------------------------------------ headers and paths

  /** The path exactly as the client sent it (percent-encoding and dot segments untouched). */
  static String rawPath(HttpServerRequest req) {
    String uri = req.uri();
    int scheme = uri.indexOf("://");
    if (scheme > 0 && scheme < uri.indexOf('/')) {
      // absolute-form request target: keep only the path part
      int slash = uri.indexOf('/', scheme + 3);
      uri = slash < 0 ? "/" : uri.substring(slash);
    }
    int q = uri.indexOf('?');
    return q < 0 ? uri : uri.substring(0, q);
  }

  private static String pathAndQuery(HttpServerRequest req) {
    String uri = req.uri();
    int scheme = uri.indexOf("://");
    if (scheme > 0 && scheme < uri.indexOf('/')) {
      int slash = uri.indexOf('/', scheme + 3);
      return slash < 0 ? "/" : uri.substring(slash);
    }
    return uri;
  }

  /** Lower-case names, repeated headers joined with ", ", credentials left out. */
  static Map<String, String> inputHeaders(MultiMap headers) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : headers) {
      String k = e.getKey().toLowerCase(Locale.ROOT);
      if (NOT_IN_INPUT.contains(k)) {
        continue;
      }
      out.merge(k, e.getValue(), (a, b) -> a + ", " + b);
    }
    return out;
  }

  private static void copyEndToEnd(MultiMap from, MultiMap to, boolean webSocketHandshake) {
    Set<String> listed = new java.util.HashSet<>();
    for (String c : from.getAll(HttpHeaders.CONNECTION)) {
      for (String t : c.split(",")) {
        listed.add(t.strip().toLowerCase(Locale.ROOT));
      }
    }
    for (Map.Entry<String, String> e : from) {
      String k = e.getKey().toLowerCase(Locale.ROOT);
      if (HOP_BY_HOP.contains(k) || listed.contains(k) || k.startsWith(":")
          || (webSocketHandshake && WS_HANDSHAKE.contains(k))) {
        continue;
      }
      to.add(e.getKey(), e.getValue());
    }
  }

  private MultiMap upstreamHeaders(HttpServerRequest req, Decision d) {
    MultiMap h = MultiMap.caseInsensitiveMultiMap();
    copyEndToEnd(req.headers(), h, false);
    h.remove(HttpHeaders.HOST);
    addForwarding(req, d, h);
    return h;
  }

  private static void addForwarding(HttpServerRequest req, Decision d, MultiMap h) {
    // Headers of ours are set here only: whatever a caller sent under these names is dropped.
    h.remove(DECISION_ID);
    h.remove(SUBJECT);
    h.set(DECISION_ID, d.id());
    String subject = d.input() instanceof dev.gatehouse.engine.value.ObjectValue in
        && in.get("subject") instanceof dev.gatehouse.engine.value.StringValue s ? s.value() : null;
    if (subject != null) {
      h.set(SUBJECT, subject);
    }
    String remote = req.remoteAddress() == null ? null : req.remoteAddress().hostAddress();
    if (remote != null) {
      String xff = h.get("x-forwarded-for");
      h.set("x-forwarded-for", xff == null ? remote : xff + ", " + remote);
    }
    h.set("x-forwarded-proto", req.isSSL() ? "https" : "http");
    if (req.authority() != null) {
      h.set("x-forwarded-host", req.authority().toString());
    }
  }

  private static List<Certificate> peerCertificates(HttpServerRequest req) {
    if (!req.isSSL()) {
      return List.of();
    }
    try {
      List<Certificate> certs = req.connection().peerCertificates();
      return certs == null ? List.of() : certs;
    } catch (SSLPeerUnverifiedException e) {
      return List.of();
    }
  }
}
