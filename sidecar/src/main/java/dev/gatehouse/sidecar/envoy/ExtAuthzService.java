package dev.gatehouse.sidecar.envoy;

import com.google.rpc.Status;
import dev.gatehouse.engine.EvalOptions;
import dev.gatehouse.engine.Policy;
import dev.gatehouse.engine.PreparedQuery;
import dev.gatehouse.engine.QueryResult;
import dev.gatehouse.engine.RegoException;
import dev.gatehouse.engine.value.Value;
import dev.gatehouse.sidecar.decisionlog.DecisionEvent;
import dev.gatehouse.sidecar.decisionlog.DecisionLogger;
import dev.gatehouse.sync.ActivePolicy;
import dev.gatehouse.sync.PolicyHolder;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.config.core.v3.QueryParameter;
import io.envoyproxy.envoy.service.auth.v3.CheckRequest;
import io.envoyproxy.envoy.service.auth.v3.CheckResponse;
import io.envoyproxy.envoy.service.auth.v3.DeniedHttpResponse;
import io.envoyproxy.envoy.service.auth.v3.OkHttpResponse;
import io.envoyproxy.envoy.type.v3.HttpStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The ext_authz decision, shared by the gRPC and HTTP front ends: build OPA-Envoy's input, evaluate
 * the configured decision on the active policy, log it, and turn the answer into a
 * {@code CheckResponse} (gRPC status OK with {@code ok_response}, or PERMISSION_DENIED with
 * {@code denied_response}). Failures (no policy yet, undefined decision, evaluation errors,
 * malformed answers) throw {@link CheckFailed}; Envoy then denies unless {@code failure_mode_allow}.
 */
public final class ExtAuthzService {
  /** Where OPA-Envoy looks when no path is configured. */
  public static final String DEFAULT_DECISION = "envoy/authz/allow";

  private static final int GRPC_OK = 0;
  private static final EnvoyDecision DRY_RUN_ALLOW = EnvoyDecision.of(dev.gatehouse.engine.value.BooleanValue.TRUE);
  private static final int GRPC_PERMISSION_DENIED = 7;

  private final PolicyHolder holder;
  private final String decisionPath;
  private final String query;
  private final DecisionLogger logger;
  private final GatehouseMapping gatehouse;
  private final boolean dryRun;
  private final java.util.concurrent.atomic.LongAdder allowedCount = new java.util.concurrent.atomic.LongAdder();
  private final java.util.concurrent.atomic.LongAdder deniedCount = new java.util.concurrent.atomic.LongAdder();
  private final java.util.concurrent.atomic.LongAdder failedCount = new java.util.concurrent.atomic.LongAdder();
  private volatile Policy preparedFor;
  private volatile PreparedQuery prepared;

  /** The check could not be decided; the message says why (OPA-Envoy's wording where it has one). */
  public static final class CheckFailed extends RuntimeException {
    private final boolean invalidArgument;

    CheckFailed(String message, boolean invalidArgument) {
      super(message, null, false, false);
      this.invalidArgument = invalidArgument;
    }

    /** True when the request itself was unusable (bad URL escape, invalid JSON body). */
    public boolean invalidArgument() {
      return invalidArgument;
    }
  }

  /**
   * @param decisionPath slash-separated data path ({@code envoy/authz/allow}), with or without a
   *     leading {@code /} or {@code data.}-dotted form
   */
  public ExtAuthzService(PolicyHolder holder, String decisionPath, DecisionLogger logger) {
    this(holder, decisionPath, logger, null);
  }

  /**
   * With a {@link GatehouseMapping}, checks are decided by Gatehouse's own sidecar decision
   * (default path {@code gatehouse/sidecar/decision}) instead of an OPA-Envoy policy.
   */
  public ExtAuthzService(PolicyHolder holder, String decisionPath, DecisionLogger logger, GatehouseMapping gatehouse) {
    this(holder, decisionPath, logger, gatehouse, false);
  }

  private ExtAuthzService(PolicyHolder holder, String decisionPath, DecisionLogger logger, GatehouseMapping gatehouse,
      boolean dryRun) {
    this.holder = holder;
    this.gatehouse = gatehouse;
    this.dryRun = dryRun;
    String fallback = gatehouse != null ? GatehouseMapping.DECISION : DEFAULT_DECISION;
    this.decisionPath = normalize(decisionPath == null || decisionPath.isBlank() ? fallback : decisionPath);
    this.query = "data." + String.join(".", quoted(this.decisionPath));
    this.logger = logger == null ? DecisionLogger.DISABLED : logger;
  }

  static String normalize(String p) {
    String s = p.trim();
    if (s.startsWith("data.")) {
      s = s.substring(5).replace('.', '/');
    }
    return s.replaceAll("^/+|/+$", "");
  }

  private static List<String> quoted(String path) {
    List<String> out = new ArrayList<>();
    for (String seg : path.split("/")) {
      out.add(seg.matches("[A-Za-z_][A-Za-z0-9_]*") ? seg : "[" + dev.gatehouse.engine.value.Json.quote(seg) + "]");
    }
    return out;
  }

  /**
   * OPA-Envoy's {@code dry-run}: decide and log as usual, but let every request through (denials
   * and failures included), to roll a policy out by watching its decision log first.
   */
  public ExtAuthzService withDryRun(boolean on) {
    return new ExtAuthzService(holder, decisionPath, logger, gatehouse, on);
  }

  public boolean dryRun() {
    return dryRun;
  }

  public String decisionPath() {
    return decisionPath;
  }

  /** The decision and the response for Envoy. */
  public record Outcome(String decisionId, Value input, Value result, EnvoyDecision decision, CheckResponse response) {}

  /** Checks answered since start, for metrics. */
  public record Stats(long allowed, long denied, long failed) {}

  public Stats stats() {
    return new Stats(allowedCount.sum(), deniedCount.sum(), failedCount.sum());
  }

  public Outcome check(CheckRequest req, String requestedBy) {
    try {
      Outcome o = decide(req, requestedBy);
      (o.decision().allowed() ? allowedCount : deniedCount).increment();
      if (dryRun && !o.decision().allowed()) {
        return new Outcome(o.decisionId(), o.input(), o.result(), DRY_RUN_ALLOW, response(DRY_RUN_ALLOW));
      }
      return o;
    } catch (CheckFailed e) {
      failedCount.increment();
      if (dryRun) {
        return new Outcome(null, null, null, DRY_RUN_ALLOW, response(DRY_RUN_ALLOW));
      }
      throw e;
    }
  }

  private Outcome decide(CheckRequest req, String requestedBy) {
    long start = System.nanoTime();
    String decisionId = logger.enabled() ? logger.newDecisionId() : null;
    Value input;
    try {
      input = gatehouse != null ? gatehouse.input(req) : CheckInputs.toInput(req);
    } catch (CheckInputs.InvalidRequest e) {
      throw new CheckFailed(e.getMessage(), true);
    }
    Optional<ActivePolicy> act = holder == null ? Optional.empty() : holder.current();
    Map<String, String> revisions = act.map(ActivePolicy::revisions).orElse(Map.of());
    if (act.isEmpty()) {
      log(decisionId, input, null, revisions, start, requestedBy, "no policy activated yet");
      throw new CheckFailed("no policy activated yet", false);
    }
    Value result;
    try {
      List<QueryResult> rs = prepare(act.get().policy()).eval(EvalOptions.of(input));
      if (rs.isEmpty()) {
        throw new CheckFailed("undefined decision", false);
      }
      if (rs.size() > 1) {
        throw new CheckFailed("multiple evaluation results", false);
      }
      result = rs.get(0).value();
    } catch (RegoException e) {
      log(decisionId, input, null, revisions, start, requestedBy, e.getMessage());
      throw new CheckFailed(e.getMessage(), false);
    } catch (CheckFailed e) {
      log(decisionId, input, null, revisions, start, requestedBy, e.getMessage());
      throw e;
    }
    EnvoyDecision d;
    try {
      d = gatehouse != null ? gatehouse.decision(result, decisionId) : EnvoyDecision.of(result);
    } catch (IllegalArgumentException e) {
      log(decisionId, input, result, revisions, start, requestedBy, e.getMessage());
      throw new CheckFailed(e.getMessage(), false);
    }
    log(decisionId, input, result, revisions, start, requestedBy, null);
    return new Outcome(decisionId, input, result, d, response(d));
  }

  private PreparedQuery prepare(Policy p) {
    PreparedQuery q = prepared;
    if (preparedFor != p || q == null) {
      q = p.prepare(query);
      prepared = q;
      preparedFor = p;
    }
    return q;
  }

  private void log(String decisionId, Value input, Value result, Map<String, String> revisions, long start,
      String requestedBy, String error) {
    if (decisionId == null) {
      return;
    }
    DecisionEvent e = DecisionEvent.of(decisionId, decisionPath, input, result, revisions,
        Map.of("timer_server_handler_ns", System.nanoTime() - start), requestedBy);
    logger.log(error == null ? e : e.withError(error));
  }

  static CheckResponse response(EnvoyDecision d) {
    CheckResponse.Builder r = CheckResponse.newBuilder();
    if (d.dynamicMetadata() != null) {
      r.setDynamicMetadata(d.dynamicMetadata());
    }
    if (d.allowed()) {
      OkHttpResponse.Builder ok = OkHttpResponse.newBuilder()
          .addAllHeaders(options(d.headers()))
          .addAllResponseHeadersToAdd(options(d.responseHeadersToAdd()))
          .addAllHeadersToRemove(d.requestHeadersToRemove())
          .addAllQueryParametersToRemove(d.queryParametersToRemove());
      for (Map.Entry<String, String> q : d.queryParametersToSet()) {
        ok.addQueryParametersToSet(QueryParameter.newBuilder().setKey(q.getKey()).setValue(q.getValue()));
      }
      return r.setStatus(Status.newBuilder().setCode(GRPC_OK)).setOkResponse(ok).build();
    }
    DeniedHttpResponse.Builder denied = DeniedHttpResponse.newBuilder()
        .setStatus(HttpStatus.newBuilder().setCodeValue(d.httpStatus()))
        .addAllHeaders(options(d.headers()))
        .setBody(d.body());
    return r.setStatus(Status.newBuilder().setCode(GRPC_PERMISSION_DENIED)).setDeniedResponse(denied).build();
  }

  private static List<HeaderValueOption> options(List<Map.Entry<String, String>> headers) {
    List<HeaderValueOption> out = new ArrayList<>(headers.size());
    for (Map.Entry<String, String> h : headers) {
      out.add(HeaderValueOption.newBuilder().setHeader(HeaderValue.newBuilder().setKey(h.getKey()).setValue(h.getValue()))
          .build());
    }
    return out;
  }
}
