package dev.gatehouse.sidecar.opa;

import dev.gatehouse.engine.EvalOptions;
import dev.gatehouse.engine.Policy;
import dev.gatehouse.engine.PreparedQuery;
import dev.gatehouse.engine.QueryResult;
import dev.gatehouse.engine.Rego;
import dev.gatehouse.engine.RegoException;
import dev.gatehouse.engine.value.Json;
import dev.gatehouse.engine.value.NumberValue;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import dev.gatehouse.engine.value.ValueFormatException;
import dev.gatehouse.sidecar.decisionlog.DecisionEvent;
import dev.gatehouse.sidecar.decisionlog.DecisionLogger;
import dev.gatehouse.sync.ActivePolicy;
import dev.gatehouse.sync.BundleStatus;
import dev.gatehouse.sync.PolicyHolder;
import dev.gatehouse.sync.SyncStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.PemKeyCertOptions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * OPA's REST API (v1) as a drop-in on its own port, answering from the sidecar's active policy:
 * the data API ({@code GET/POST /v1/data/{path}}, {@code POST /v0/data/{path}}, {@code POST /}),
 * {@code GET /health}, the policy API ({@code /v1/policies}) and document writes outside bundle
 * roots ({@code PUT/PATCH/DELETE /v1/data/{path}}). Status codes, error bodies and messages are
 * OPA v1.22's (recorded from a real {@code opa run --server}, see the tests' fixtures).
 *
 * <pre>{@code
 * OpaApiServer api = OpaApiServer.start(vertx, OpaApiOptions.parseAddr("127.0.0.1:8181"),
 *     policyHolder, syncStatus, decisionLogger).toCompletionStage().toCompletableFuture().join();
 * }</pre>
 */
public final class OpaApiServer {
  static final Policy EMPTY = Rego.builder().compile();
  private static final String JSON_TYPE = "application/json";
  private static final int MAX_PREPARED = 1_000;

  private final Vertx vertx;
  private final OpaApiOptions options;
  private final PolicyHolder holder;
  private final SyncStatus sync;
  private final DecisionLogger logger;
  private final RuntimeState runtime = new RuntimeState();
  private final StoreApi store;
  private volatile PreparedCache prepared = new PreparedCache(null);
  private final java.util.concurrent.atomic.AtomicLong requestCounter = new java.util.concurrent.atomic.AtomicLong();
  private HttpServer server;

  private record PreparedCache(Policy policy, Map<String, PreparedQuery> queries) {
    PreparedCache(Policy policy) {
      this(policy, new ConcurrentHashMap<>());
    }
  }

  /** A response computed off the event loop. */
  record Reply(int status, String body) {
    static Reply json(int status, String body) {
      return new Reply(status, body);
    }

    static Reply error(int status, String code, String message) {
      return new Reply(status, OpaErrors.body(code, message));
    }
  }

  OpaApiServer(Vertx vertx, OpaApiOptions options, PolicyHolder holder, SyncStatus sync, DecisionLogger logger) {
    this.vertx = vertx;
    this.options = options;
    this.holder = holder;
    this.sync = sync;
    this.logger = logger == null ? DecisionLogger.DISABLED : logger;
    this.store = new StoreApi(options, this::active, runtime);
  }

  /**
   * Starts the listener.
   *
   * @param syncStatus bundle status for {@code /health?bundles}; null when there is no sync
   * @param decisionLogger where decisions go; {@link DecisionLogger#DISABLED} (or null) for none,
   *     in which case responses carry no {@code decision_id}, as OPA's
   */
  public static Future<OpaApiServer> start(Vertx vertx, OpaApiOptions options, PolicyHolder policyHolder,
      SyncStatus syncStatus, DecisionLogger decisionLogger) {
    OpaApiServer api = new OpaApiServer(vertx, options, policyHolder, syncStatus, decisionLogger);
    HttpServerOptions so = new HttpServerOptions().setHost(options.host()).setPort(options.port())
        .setMaxInitialLineLength(64 * 1024);
    if (options.tlsCert() != null) {
      so.setSsl(true).setKeyCertOptions(new PemKeyCertOptions().setCertPath(options.tlsCert().toString())
          .setKeyPath(options.tlsKey().toString()));
    }
    return vertx.createHttpServer(so)
        .requestHandler(api::handle)
        .listen()
        .map(s -> {
          api.server = s;
          return api;
        });
  }

  /** The bound port (useful with port 0). */
  public int port() {
    return server.actualPort();
  }

  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  /** The request handler, to mount on another server instead of {@link #start}. */
  public static io.vertx.core.Handler<HttpServerRequest> handler(Vertx vertx, OpaApiOptions options,
      PolicyHolder policyHolder, SyncStatus syncStatus, DecisionLogger decisionLogger) {
    return new OpaApiServer(vertx, options, policyHolder, syncStatus, decisionLogger)::handle;
  }

  void handle(HttpServerRequest req) {
    long start = System.nanoTime();
    String path = req.path();
    Route route = Route.of(req.method().name(), path);
    if (route == Route.NOT_FOUND) {
      req.response().setStatusCode(404).putHeader("Content-Type", "text/plain; charset=utf-8")
          .end("404 page not found\n");
      return;
    }
    if (route == Route.METHOD_NOT_ALLOWED) {
      req.response().setStatusCode(405).end();
      return;
    }
    String remote = req.remoteAddress() == null ? "" : req.remoteAddress().host() + ":" + req.remoteAddress().port();
    req.body().onComplete(ar -> {
      if (ar.failed()) {
        send(req.response(), Reply.error(400, OpaErrors.INVALID_PARAMETER, "could not read request body"));
        return;
      }
      Buffer body = ar.result();
      if (body.length() > options.maxBodyBytes()) {
        send(req.response(), Reply.error(413, OpaErrors.INVALID_PARAMETER, "request body too large"));
        return;
      }
      byte[] bytes = body.getBytes();
      if ("gzip".equalsIgnoreCase(req.getHeader("Content-Encoding"))) {
        // OPA accepts gzip-compressed request bodies; bound the inflated size as the raw one.
        try {
          bytes = gunzip(bytes, options.maxBodyBytes());
        } catch (java.io.IOException e) {
          send(req.response(), Reply.error(e.getMessage() != null && e.getMessage().startsWith("too large") ? 413 : 400,
              OpaErrors.INVALID_PARAMETER, "could not decompress the gzip request body"));
          return;
        }
      }
      Request r = new Request(req.method().name(), path, req.params(), req.getHeader("If-None-Match"),
          bytes, remote, start);
      vertx.executeBlocking(() -> dispatch(route, r), false).onComplete(res -> {
        if (res.succeeded()) {
          send(req.response(), res.result());
        } else {
          send(req.response(), Reply.error(500, OpaErrors.INTERNAL_ERROR, String.valueOf(res.cause().getMessage())));
        }
      });
    });
  }

  static byte[] gunzip(byte[] in, long limit) throws java.io.IOException {
    try (java.util.zip.GZIPInputStream gz = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(in))) {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      int n;
      while ((n = gz.read(buf)) > 0) {
        out.write(buf, 0, n);
        if (out.size() > limit) {
          throw new java.io.IOException("too large");
        }
      }
      return out.toByteArray();
    }
  }

  private static void send(HttpServerResponse resp, Reply r) {
    resp.setStatusCode(r.status());
    if (r.body() == null) {
      resp.end();
      return;
    }
    resp.putHeader("Content-Type", JSON_TYPE).end(r.body());
  }

  record Request(String method, String path, io.vertx.core.MultiMap params, String ifNoneMatch, byte[] body,
      String remote, long startNanos) {
    boolean flag(String name) {
      if (!params.contains(name)) {
        return false;
      }
      String v = params.get(name);
      return v == null || v.isEmpty() || v.equalsIgnoreCase("true");
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  enum Route {
    MAIN, HEALTH, HEALTH_POLICY, DATA_V1, DATA_V0, POLICIES, POLICY, NOT_FOUND, METHOD_NOT_ALLOWED;

    static Route of(String method, String path) {
      if (path.equals("/")) {
        return method.equals("POST") ? MAIN : METHOD_NOT_ALLOWED;
      }
      if (path.equals("/health")) {
        return method.equals("GET") ? HEALTH : METHOD_NOT_ALLOWED;
      }
      if (path.startsWith("/health/")) {
        return method.equals("GET") ? HEALTH_POLICY : METHOD_NOT_ALLOWED;
      }
      if (path.equals("/v1/data") || path.startsWith("/v1/data/")) {
        return switch (method) {
          case "GET", "POST", "PUT", "PATCH", "DELETE" -> DATA_V1;
          default -> METHOD_NOT_ALLOWED;
        };
      }
      if (path.equals("/v0/data") || path.startsWith("/v0/data/")) {
        return method.equals("POST") ? DATA_V0 : METHOD_NOT_ALLOWED;
      }
      if (path.equals("/v1/policies")) {
        return method.equals("GET") ? POLICIES : METHOD_NOT_ALLOWED;
      }
      if (path.startsWith("/v1/policies/")) {
        return switch (method) {
          case "GET", "PUT", "DELETE" -> POLICY;
          default -> METHOD_NOT_ALLOWED;
        };
      }
      return NOT_FOUND;
    }
  }

  private static final System.Logger LOG = System.getLogger("dev.gatehouse.sidecar.opa");

  Reply dispatch(Route route, Request r) {
    boolean write = (route == Route.DATA_V1 || route == Route.POLICY)
        && (r.method().equals("PUT") || r.method().equals("PATCH") || r.method().equals("DELETE"));
    if (write && options.readOnly()) {
      LOG.log(System.Logger.Level.WARNING, "refused {0} {1} from {2}: the OPA API is read-only", r.method(), r.path(),
          r.remote());
      return Reply.error(401, "unauthorized", "request rejected by administrative policy");
    }
    Reply reply = route(route, r);
    if (write && reply.status() == 400) {
      // Security-relevant: someone tried to change policy or data the bundles own, or sent bad input.
      LOG.log(System.Logger.Level.WARNING, "refused {0} {1} from {2}: {3}", r.method(), r.path(), r.remote(),
          reply.body().replaceAll("\\s+", " "));
    }
    return reply;
  }

  private Reply route(Route route, Request r) {
    try {
      return switch (route) {
        case MAIN -> main(r);
        case HEALTH -> health(r);
        case HEALTH_POLICY -> healthPolicy(r);
        case DATA_V0 -> dataV0(r);
        case DATA_V1 -> switch (r.method()) {
          case "GET", "POST" -> dataQuery(r);
          case "PUT" -> store.dataPut(r);
          case "PATCH" -> store.dataPatch(r);
          default -> store.dataDelete(r);
        };
        case POLICIES -> store.listPolicies(r);
        case POLICY -> switch (r.method()) {
          case "GET" -> store.getPolicy(r);
          case "PUT" -> store.putPolicy(r);
          default -> store.deletePolicy(r);
        };
        default -> Reply.error(404, OpaErrors.RESOURCE_NOT_FOUND, "not found");
      };
    } catch (RuntimeException e) {
      // Never a stack trace to the client; OPA answers internal_error for what it did not foresee.
      return Reply.error(500, OpaErrors.INTERNAL_ERROR, String.valueOf(e.getMessage()));
    }
  }

  // ---------------------------------------------------------------- data API

  private Optional<ActivePolicy> active() {
    return holder == null ? Optional.empty() : holder.current();
  }

  private Policy basePolicy() {
    return active().map(ActivePolicy::policy).orElse(EMPTY);
  }

  private Policy effectivePolicy() {
    return runtime.effective(basePolicy());
  }

  /** Path segments after the prefix, percent-decoded; empty for the root document. */
  static List<String> segments(String path, String prefix) {
    String rest = path.length() > prefix.length() ? path.substring(prefix.length()) : "";
    List<String> out = new ArrayList<>();
    for (String s : rest.split("/")) {
      if (!s.isEmpty()) {
        out.add(percentDecode(s));
      }
    }
    return out;
  }

  static String percentDecode(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '%' && i + 2 < bytes.length) {
        int h = Character.digit(bytes[i + 1], 16);
        int l = Character.digit(bytes[i + 2], 16);
        if (h >= 0 && l >= 0) {
          out.write(h * 16 + l);
          i += 2;
          continue;
        }
      }
      out.write(bytes[i]);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** {@code data.a.b["c-d"]}: identifiers dotted, anything else quoted. */
  static String query(List<String> segs) {
    StringBuilder sb = new StringBuilder("data");
    for (String s : segs) {
      if (s.matches("[A-Za-z_][A-Za-z0-9_]*") && !isKeyword(s)) {
        sb.append('.').append(s);
      } else {
        sb.append('[');
        Json.quote(s, sb);
        sb.append(']');
      }
    }
    return sb.toString();
  }

  private static boolean isKeyword(String s) {
    return switch (s) {
      case "not", "with", "as", "default", "else", "import", "package", "some", "every", "in", "if", "contains",
           "true", "false", "null" -> true;
      default -> false;
    };
  }

  private record Evaluated(Value result, Map<String, Long> metrics, boolean cacheHit) {}

  private Evaluated evaluate(Policy policy, String queryText, Value input, boolean strict) {
    long t0 = System.nanoTime();
    PreparedCache cache = prepared;
    if (cache.policy() != policy) {
      cache = new PreparedCache(policy);
      prepared = cache;
    }
    PreparedQuery q = cache.queries().get(queryText);
    boolean hit = q != null;
    if (q == null) {
      q = policy.prepare(queryText);
      if (cache.queries().size() >= MAX_PREPARED) {
        cache.queries().clear();
      }
      cache.queries().put(queryText, q);
    }
    long t1 = System.nanoTime();
    EvalOptions.Builder eo = EvalOptions.builder().strictBuiltinErrors(strict);
    if (input != null) {
      eo.input(input);
    }
    List<QueryResult> rs = q.eval(eo.build());
    long t2 = System.nanoTime();
    Value result = rs.isEmpty() ? null : rs.get(0).value();
    Map<String, Long> m = new LinkedHashMap<>();
    m.put("counter_server_query_cache_hit", hit ? 1L : 0L);
    if (!hit) {
      m.put("timer_rego_query_compile_ns", t1 - t0); // as OPA: only when the query was prepared
    }
    m.put("timer_rego_query_eval_ns", t2 - t1);
    return new Evaluated(result, m, hit);
  }

  static final class BadInput extends RuntimeException {
    BadInput(String message) {
      super(message, null, false, false);
    }
  }

  static Value parseJson(byte[] bytes, String what) {
    try {
      return Json.parse(bytes);
    } catch (ValueFormatException | IllegalArgumentException e) {
      String m = String.valueOf(e.getMessage());
      // Go's decoder says "unexpected EOF" for truncated documents; clients match on it.
      throw new BadInput(what + ": " + (m.contains("end-of-input") ? "unexpected EOF" : m));
    }
  }

  private Reply dataQuery(Request r) {
    List<String> segs = segments(r.path(), "/v1/data");
    long parseStart = System.nanoTime();
    Value input = null;
    String warning = null;
    try {
      if (r.method().equals("GET")) {
        String in = r.params().get("input");
        if (in != null) {
          input = parseJson(in.getBytes(StandardCharsets.UTF_8), "parameter contains malformed input document");
        }
      } else if (r.body().length == 0 || isBlank(r.body())) {
        warning = "'input' key missing from the request";
      } else {
        Value doc = parseJson(r.body(), "body contains malformed input document");
        if (!(doc instanceof ObjectValue o)) {
          throw new BadInput("body contains malformed input document: json: cannot unmarshal "
              + goJsonKind(doc) + " into Go value of type types.DataRequestV1");
        }
        input = o.get("input");
        if (input == null) {
          warning = "'input' key missing from the request";
        }
      }
    } catch (BadInput e) {
      return Reply.error(400, OpaErrors.INVALID_PARAMETER, e.getMessage());
    }
    long parseNs = System.nanoTime() - parseStart;
    Optional<ActivePolicy> act = active();
    Policy policy = runtime.effective(act.map(ActivePolicy::policy).orElse(EMPTY));
    String decisionId = logger.enabled() ? logger.newDecisionId() : null;
    String logPath = String.join("/", segs);
    Evaluated ev;
    try {
      ev = evaluate(policy, query(segs), input, r.flag("strict-builtin-errors"));
    } catch (RegoException e) {
      return evalError(e, decisionId, logPath, input, act, r);
    }
    Map<String, Long> metrics = new LinkedHashMap<>(ev.metrics());
    metrics.put("timer_rego_input_parse_ns", parseNs);
    metrics.put("timer_server_handler_ns", System.nanoTime() - r.startNanos());
    log(decisionId, logPath, input, ev.result(), act, metrics, r.remote(), null);

    ObjectValue.Builder out = ObjectValue.builder();
    if (decisionId != null) {
      out.put("decision_id", StringValue.of(decisionId));
    }
    if (r.flag("metrics")) {
      ObjectValue.Builder mb = ObjectValue.builder();
      metrics.forEach((k, v) -> mb.put(k, NumberValue.of(v)));
      out.put("metrics", mb.build());
    }
    if (ev.result() != null) {
      out.put("result", ev.result());
    }
    if (warning != null) {
      out.put("warning", ObjectValue.of("code", StringValue.of("api_usage_warning"), "message", StringValue.of(warning)));
    }
    return Reply.json(200, write(out.build(), r.flag("pretty")));
  }

  static boolean isBlank(byte[] b) {
    for (byte x : b) {
      if (x != ' ' && x != '\n' && x != '\r' && x != '\t') {
        return false;
      }
    }
    return true;
  }

  static String goJsonKind(Value v) {
    return switch (v.typeName()) {
      case "array" -> "array";
      case "string" -> "string";
      case "number" -> "number";
      case "boolean" -> "bool";
      default -> v.typeName();
    };
  }

  private Reply evalError(RegoException e, String decisionId, String logPath, Value input, Optional<ActivePolicy> act,
      Request r) {
    boolean evalTime = e.code().startsWith("eval_");
    log(decisionId, logPath, input, null, act, Map.of(), r.remote(), (evalTime ? OpaErrors.MSG_EVAL : OpaErrors.MSG_PARSE_QUERY)
        + ": " + e.getMessage());
    if (evalTime) {
      return new Reply(500, OpaErrors.body(OpaErrors.INTERNAL_ERROR, OpaErrors.MSG_EVAL, e.errors()));
    }
    return new Reply(400, OpaErrors.body(OpaErrors.INVALID_PARAMETER, OpaErrors.MSG_PARSE_QUERY, e.errors()));
  }

  private void log(String decisionId, String path, Value input, Value result, Optional<ActivePolicy> act,
      Map<String, Long> metrics, String remote, String error) {
    if (decisionId == null) {
      return;
    }
    DecisionEvent ev = DecisionEvent.of(decisionId, path, input, result,
        act.map(ActivePolicy::revisions).orElse(Map.of()), metrics, remote).withReqId(requestCounter.incrementAndGet());
    logger.log(error == null ? ev : ev.withError(error));
  }

  static String write(Value v, boolean pretty) {
    return pretty ? Json.writeIndented(v, "  ") : Json.write(v);
  }

  /** {@code POST /}: the raw body is the input, the answer is {@code data.system.main}'s value. */
  private Reply main(Request r) {
    return rawQuery(r, List.of("system", "main"));
  }

  private Reply dataV0(Request r) {
    return rawQuery(r, segments(r.path(), "/v0/data"));
  }

  private Reply rawQuery(Request r, List<String> segs) {
    Value input = null;
    if (!isBlank(r.body())) {
      try {
        input = parseJson(r.body(), "body contains malformed input document");
      } catch (BadInput e) {
        return Reply.error(400, OpaErrors.INVALID_PARAMETER, e.getMessage());
      }
    }
    Optional<ActivePolicy> act = active();
    Policy policy = runtime.effective(act.map(ActivePolicy::policy).orElse(EMPTY));
    String decisionId = logger.enabled() ? logger.newDecisionId() : null;
    String logPath = String.join("/", segs);
    Evaluated ev;
    try {
      ev = evaluate(policy, query(segs), input, r.flag("strict-builtin-errors"));
    } catch (RegoException e) {
      return evalError(e, decisionId, logPath, input, act, r);
    }
    if (ev.result() == null) {
      String missing = "document missing: " + query(segs);
      log(decisionId, logPath, input, null, act, ev.metrics(), r.remote(), OpaErrors.UNDEFINED_DOCUMENT + ": " + missing);
      return Reply.error(404, OpaErrors.UNDEFINED_DOCUMENT, missing);
    }
    log(decisionId, logPath, input, ev.result(), act, ev.metrics(), r.remote(), null);
    return Reply.json(200, write(ev.result(), r.flag("pretty")));
  }

  // ---------------------------------------------------------------- health

  private Reply health(Request r) {
    List<String> inactive = inactiveBundles();
    if (r.flag("bundles") && !inactive.isEmpty()) {
      return Reply.json(500, "{\"error\":" + Json.quote("one or more bundles are not activated: "
          + String.join(", ", inactive)) + "}");
    }
    if (r.params().contains("plugins") && !inactive.isEmpty()
        && !r.params().getAll("exclude-plugin").contains("bundle")) {
      return Reply.json(500, "{\"error\":\"one or more plugins are not up\"}");
    }
    return Reply.json(200, "{}");
  }

  /**
   * OPA's policy-based health checks: {@code GET /health/live} is healthy when
   * {@code data.system.health.live} is {@code true}.
   */
  private Reply healthPolicy(Request r) {
    List<String> segs = segments(r.path(), "/health");
    List<String> full = new ArrayList<>(List.of("system", "health"));
    full.addAll(segs);
    String q = query(full);
    Value v;
    try {
      v = evaluate(effectivePolicy(), q, null, false).result();
    } catch (RegoException e) {
      return Reply.json(500, "{\"error\":" + Json.quote(e.getMessage()) + "}");
    }
    if (v == null) {
      return Reply.json(500, "{\"error\":" + Json.quote("health check (" + q + ") was undefined") + "}");
    }
    if (!v.equals(dev.gatehouse.engine.value.BooleanValue.TRUE)) {
      return Reply.json(500, "{\"error\":" + Json.quote("health check (" + q + ") returned unexpected value") + "}");
    }
    return Reply.json(200, "{}");
  }

  /** Bundles that never activated (OPA's bundle plugin is not ready until all have). */
  private List<String> inactiveBundles() {
    List<BundleStatus> st = sync == null ? List.of() : sync.status();
    List<String> out = new ArrayList<>();
    for (BundleStatus b : st) {
      if (b.lastSuccessfulActivation() == null) {
        out.add(b.name());
      }
    }
    if (out.isEmpty() && st.isEmpty() && active().isEmpty() && holder != null && sync != null) {
      out.add("(none activated)");
    }
    return out;
  }

  /** For tests: the policy queries currently run against. */
  Supplier<Policy> effective() {
    return this::effectivePolicy;
  }
}
