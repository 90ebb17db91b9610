package dev.gatehouse.injector.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.engine.RegoException;
import dev.gatehouse.engine.value.Json;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.Value;
import dev.gatehouse.engine.value.ValueFormatException;
import dev.gatehouse.injector.Mappers;
import dev.gatehouse.injector.admission.BadRequest;
import dev.gatehouse.injector.admission.ReviewReader;
import dev.gatehouse.injector.admission.ReviewRequest;
import dev.gatehouse.injector.admission.Warnings;
import dev.gatehouse.injector.config.FailureMode;
import dev.gatehouse.injector.config.WebhookConfig;
import dev.gatehouse.injector.inject.InjectionException;
import dev.gatehouse.injector.inject.InjectionResult;
import dev.gatehouse.injector.inject.Injector;
import dev.gatehouse.injector.inject.OverrideRefused;
import dev.gatehouse.injector.inject.Requester;
import dev.gatehouse.injector.notify.Notifier;
import dev.gatehouse.injector.patch.JsonPatch;
import dev.gatehouse.injector.policy.Action;
import dev.gatehouse.injector.policy.CompiledPolicies;
import dev.gatehouse.injector.policy.Decision;
import dev.gatehouse.injector.policy.DecisionReader;
import dev.gatehouse.injector.policy.GuardrailEvaluator;
import dev.gatehouse.injector.policy.PolicyStore;
import dev.gatehouse.injector.policy.Violation;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/**
 * The webhook's logic without the HTTP server: body bytes in, {@link Answer} out. Split in two
 * steps so the server can put a deadline on the second: {@link #prepare} checks the request (a
 * {@link BadRequest} becomes a 400 answer), {@link #decide} evaluates or injects, and
 * {@link #failure} is the answer when deciding failed or took too long.
 */
public final class AdmissionService {
  /** Audit annotation values are meant to be short; long rule lists are cut. */
  private static final int MAX_AUDIT_VALUE = 1024;
  private static final int MAX_MESSAGE = 16 * 1024;

  /** A checked request, ready to decide; {@code answer} is set instead when it was a bad request. */
  public record Prepared(Endpoint endpoint, ReviewRequest review, Value request, Answer answer) {}

  private final WebhookConfig config;
  private final PolicyStore policies;
  private final Injector injector;
  private final GuardrailEvaluator evaluator;
  private final Metrics metrics;
  private final Clock clock;
  private final Notifier notifier;

  /** Without notifications: decisions that ask to notify someone are logged as not sent. */
  public AdmissionService(WebhookConfig config, PolicyStore policies, Injector injector, Metrics metrics, Clock clock) {
    this(config, policies, injector, metrics, clock, Notifier.disabled(Notifier.Listener.IGNORE));
  }

  public AdmissionService(WebhookConfig config, PolicyStore policies, Injector injector, Metrics metrics, Clock clock,
      Notifier notifier) {
    this.config = config;
    this.policies = policies;
    this.injector = injector;
    this.evaluator = new GuardrailEvaluator(config.validation().decisionPath(), config.validation().evaluationTimeout());
    this.metrics = metrics;
    this.clock = clock;
    this.notifier = notifier;
  }

  public Prepared prepare(Endpoint endpoint, byte[] body) {
    try {
      ReviewRequest review = ReviewReader.read(body);
      Value request = null;
      if (endpoint == Endpoint.MUTATE) {
        checkMutatable(review);
      } else {
        request = policyInput(body);
      }
      return new Prepared(endpoint, review, request, null);
    } catch (BadRequest e) {
      return new Prepared(endpoint, null, null, badRequest(endpoint, e.code(), e.getMessage()));
    }
  }

  /** The answer for a request that could not be read at all (size, time, transport). */
  public Answer badRequest(Endpoint endpoint, String code, String message) {
    return rejected(endpoint, 400, code, message);
  }

  /** A 4xx JSON answer {@code {"error": code, "message": …}} for a request that is not a review. */
  public Answer rejected(Endpoint endpoint, int httpStatus, String code, String message) {
    metrics.badRequest(endpoint.path(), code);
    ObjectNode o = Mappers.JSON.createObjectNode();
    o.put("error", code);
    o.put("message", message);
    Map<String, Object> log = new LinkedHashMap<>();
    log.put("error", code);
    log.put("message", message);
    return new Answer(httpStatus, o.toString().getBytes(StandardCharsets.UTF_8), "invalid", false, log);
  }

  public Answer decide(Prepared p) {
    return decide(p, () -> false);
  }

  /**
   * @param abandoned true once the request has been answered without this decision (the server's
   *     guard fired): a running evaluation then stops instead of using CPU nobody waits for
   */
  public Answer decide(Prepared p, BooleanSupplier abandoned) {
    if (p.answer() != null) {
      return p.answer();
    }
    try {
      return p.endpoint() == Endpoint.VALIDATE ? validate(p, abandoned) : mutate(p);
    } catch (RuntimeException e) {
      // A bug here must still produce an admission answer, per the failure mode.
      return failure(p, "internal error: " + e);
    }
  }

  /** The answer when no decision could be made: denied (closed) or allowed with a warning (open). */
  public Answer failure(Prepared p, String reason) {
    ReviewRequest r = p.review();
    AdmissionResponse resp = new AdmissionResponse();
    resp.setUid(r.uid());
    Map<String, String> audit = new TreeMap<>();
    audit.put("decision", "error");
    audit.put("error", cap(reason, MAX_AUDIT_VALUE));
    String decision;
    if (config.validation().failureMode() == FailureMode.CLOSED) {
      resp.setAllowed(false);
      resp.setStatus(status(500, "InternalError",
          cap("gatehouse could not decide, so the request is denied (failure mode closed): " + reason, MAX_MESSAGE)));
      decision = "error_denied";
    } else {
      resp.setAllowed(true);
      resp.setWarnings(Warnings.limit(List.of("gatehouse could not decide; allowed by failure mode open: " + reason)));
      decision = "error_allowed";
    }
    resp.setAuditAnnotations(audit);
    Map<String, Object> log = baseLog(r);
    log.put("error", reason);
    return answer(resp, decision, r, log);
  }

  private Answer validate(Prepared p, BooleanSupplier abandoned) {
    ReviewRequest r = p.review();
    Optional<CompiledPolicies> current = policies.current();
    if (current.isEmpty()) {
      String why = policies.lastError();
      return failure(p, "policies are not loaded yet" + (why == null ? "" : " (" + why + ")"));
    }
    CompiledPolicies cp = current.get();
    Instant now = clock.instant();
    Decision d;
    try {
      d = evaluator.evaluate(cp, p.request(), now, abandoned);
    } catch (RegoException e) {
      String reason = !e.code().equals("eval_cancel_error") ? "policy evaluation failed: " + e.getMessage()
          : abandoned.getAsBoolean() ? "policy evaluation abandoned: the request was already answered"
          : "policy evaluation exceeded the " + config.validation().evaluationTimeout().toMillis() + "ms deadline";
      return failure(p, reason);
    } catch (DecisionReader.MalformedDecision e) {
      return failure(p, "the policy returned a malformed decision: " + e.getMessage());
    }

    for (Violation v : d.violations()) {
      metrics.violation(Endpoint.VALIDATE.path(), v.rule(), v.action().label(), r.dryRun());
    }
    List<Violation> deny = d.withAction(Action.DENY);
    List<Violation> warn = d.withAction(Action.WARN);
    List<Violation> dry = d.withAction(Action.DRYRUN);

    AdmissionResponse resp = new AdmissionResponse();
    resp.setUid(r.uid());
    boolean denied = d.denied();
    resp.setAllowed(!denied);
    if (denied) {
      StringBuilder msg = new StringBuilder();
      for (Violation v : deny) {
        if (msg.length() > 0) {
          msg.append('\n');
        }
        msg.append(v.render());
      }
      if (msg.length() == 0) {
        msg.append("denied by policy (").append(config.validation().decisionPath())
            .append(".allowed is false)");
      }
      resp.setStatus(status(403, "Forbidden", cap(msg.toString(), MAX_MESSAGE)));
    }
    List<String> warnings = Warnings.merge(warn, d.warnings());
    if (!warnings.isEmpty()) {
      resp.setWarnings(Warnings.limit(warnings));
    }
    Map<String, String> audit = new TreeMap<>();
    audit.put("decision", denied ? "denied" : "allowed");
    audit.put("policy-revision", cp.revision());
    putRules(audit, "deny-rules", deny);
    putRules(audit, "warn-rules", warn);
    putRules(audit, "dryrun-rules", dry);
    Map<String, String> bg = d.breakGlass();
    if (!denied && d.breakGlassUsed()) {
      audit.put("break-glass", cap(bg.getOrDefault("user", r.user()) + ": " + bg.getOrDefault("reason", "")
          + (bg.containsKey("expires") ? " (until " + bg.get("expires") + ")" : ""), MAX_AUDIT_VALUE));
    }
    resp.setAuditAnnotations(audit);

    Map<String, Object> log = baseLog(r);
    log.put("allowed", !denied);
    log.put("policyRevision", cp.revision());
    log.put("violations", violationsLog(d.violations()));
    if (!denied && d.breakGlassUsed()) {
      log.put("breakGlass", bg);
    }
    if (!d.notifyChannels().isEmpty()) {
      log.put("notify", d.notifyChannels());
      // A dry run changes nothing, so nobody is paged for it, whatever the policy says.
      if (!r.dryRun()) {
        notifier.send(notification(r, d, denied, cp.revision()));
      }
    }
    return answer(resp, denied ? "denied" : "allowed", r, log);
  }

  /** What the outgoing webhook receives: a line a person reads, and the details. */
  private static Notifier.Notification notification(ReviewRequest r, Decision d, boolean denied, String revision) {
    String object = (r.namespace() == null || r.namespace().isEmpty() ? "" : r.namespace() + "/")
        + (r.name() == null || r.name().isEmpty() ? "(unnamed)" : r.name());
    String what = r.operation().toLowerCase(java.util.Locale.ROOT) + " " + r.kind().getKind() + " " + object;
    String text;
    Map<String, Object> details = new LinkedHashMap<>();
    if (d.breakGlassUsed()) {
      Map<String, String> bg = d.breakGlass();
      text = ":rotating_light: Break-glass by " + bg.getOrDefault("user", r.user()) + ": " + what + ". Reason: "
          + bg.getOrDefault("reason", "") + (bg.containsKey("expires") ? ". Until " + bg.get("expires") : "")
          + ". A post-hoc review is required.";
      details.put("breakGlass", bg);
    } else {
      text = "Gatehouse " + (denied ? "denied" : "admitted") + " " + what + " by " + r.user() + ".";
    }
    details.put("uid", r.uid());
    details.put("user", r.user());
    details.put("operation", r.operation());
    details.put("kind", r.kind().getKind());
    details.put("namespace", r.namespace());
    details.put("name", r.name());
    details.put("allowed", !denied);
    details.put("rules", d.violations().stream().map(Violation::rule).distinct().toList());
    details.put("policyRevision", revision);
    return new Notifier.Notification(text, d.notifyChannels(), details);
  }

  private Answer mutate(Prepared p) {
    ReviewRequest r = p.review();
    AdmissionResponse resp = new AdmissionResponse();
    resp.setUid(r.uid());
    resp.setAllowed(true);
    Map<String, Object> log = baseLog(r);
    Map<String, String> audit = new TreeMap<>();
    if (!"CREATE".equals(r.operation())) {
      audit.put("injection", "skipped: only pod creation is injected");
      resp.setAuditAnnotations(audit);
      log.put("injection", "skipped");
      return answer(resp, "skipped", r, log);
    }
    InjectionResult result;
    try {
      result = injector.inject((Pod) r.typedObject(), (ObjectNode) r.object(), r.namespace(),
          new Requester(r.user(), r.groups()));
    } catch (InjectionException e) {
      resp.setAllowed(false);
      boolean refused = e instanceof OverrideRefused;
      resp.setStatus(refused ? status(403, "Forbidden", "gatehouse refuses this pod: " + e.getMessage())
          : status(400, "BadRequest", "gatehouse cannot inject this pod: " + e.getMessage()));
      audit.put("injection", cap("refused: " + e.getMessage(), MAX_AUDIT_VALUE));
      resp.setAuditAnnotations(audit);
      log.put("injection", "refused");
      log.put("error", e.getMessage());
      return answer(resp, "denied", r, log);
    }
    if (result instanceof InjectionResult.Skipped s) {
      audit.put("injection", cap("skipped: " + s.reason(), MAX_AUDIT_VALUE));
      resp.setAuditAnnotations(audit);
      log.put("injection", "skipped");
      log.put("reason", s.reason());
      return answer(resp, "skipped", r, log);
    }
    InjectionResult.Injected in = (InjectionResult.Injected) result;
    List<JsonPatch.Op> ops = JsonPatch.diff(r.object(), in.pod());
    audit.put("injection", in.status().nativeSidecar() ? "injected native sidecar" : "injected sidecar");
    resp.setAuditAnnotations(audit);
    if (!ops.isEmpty()) {
      byte[] patch;
      try {
        patch = Mappers.JSON.writeValueAsBytes(JsonPatch.toJson(ops));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
      resp.setPatchType("JSONPatch");
      resp.setPatch(Base64.getEncoder().encodeToString(patch));
    }
    log.put("injection", ops.isEmpty() ? "unchanged" : "injected");
    log.put("patchOps", ops.size());
    return answer(resp, "injected", r, log);
  }

  /** /mutate serves pod creation; anything else reaching it is a misconfigured webhook. */
  private static void checkMutatable(ReviewRequest r) {
    String group = r.kind().getGroup() == null ? "" : r.kind().getGroup();
    if (!group.isEmpty() || !"Pod".equals(r.kind().getKind()) || !"pods".equals(r.resource().getResource())
        || !r.subResource().isEmpty()) {
      throw new BadRequest("wrong_kind", "/mutate only handles pods; got " + (group.isEmpty() ? "" : group + "/")
          + r.kind().getVersion() + " " + r.kind().getKind() + " (" + r.resourceWithSub()
          + "); check the MutatingWebhookConfiguration rules");
    }
    if (r.object() != null && !(r.typedObject() instanceof Pod)) {
      throw new BadRequest("wrong_kind", "request.object is not a v1 Pod");
    }
  }

  /** The request exactly as received, as a Rego value (the engine's own JSON reader: exact numbers). */
  private static Value policyInput(byte[] body) {
    try {
      Value root = Json.parse(body);
      if (root instanceof ObjectValue o && o.get("request") != null) {
        return o.get("request");
      }
      throw new BadRequest("invalid_review", "request is missing");
    } catch (ValueFormatException e) {
      throw new BadRequest("invalid_json", "body is not valid JSON: line " + e.line() + ", column " + e.column()
          + ": " + e.getMessage());
    }
  }

  private Answer answer(AdmissionResponse resp, String decision, ReviewRequest r, Map<String, Object> log) {
    AdmissionReview review = new AdmissionReview();
    review.setApiVersion(ReviewReader.API_VERSION);
    review.setKind("AdmissionReview");
    review.setResponse(resp);
    byte[] body;
    try {
      body = Mappers.JSON.writeValueAsBytes(review);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    log.put("decision", decision);
    return new Answer(200, body, decision, r.dryRun(), log);
  }

  private static Map<String, Object> baseLog(ReviewRequest r) {
    Map<String, Object> log = new LinkedHashMap<>();
    log.put("uid", r.uid());
    log.put("operation", r.operation());
    log.put("kind", r.kind().getKind());
    log.put("resource", r.resourceWithSub());
    log.put("namespace", r.namespace());
    log.put("name", r.name());
    log.put("user", r.user());
    log.put("dryRun", r.dryRun());
    return log;
  }

  private static List<Map<String, String>> violationsLog(List<Violation> vs) {
    List<Map<String, String>> out = new ArrayList<>();
    for (Violation v : vs) {
      out.add(Map.of("rule", v.rule(), "action", v.action().label(), "msg", v.msg()));
    }
    return out;
  }

  private static void putRules(Map<String, String> audit, String key, List<Violation> vs) {
    if (vs.isEmpty()) {
      return;
    }
    Set<String> rules = new LinkedHashSet<>();
    vs.forEach(v -> rules.add(v.rule()));
    audit.put(key, cap(String.join(",", rules), MAX_AUDIT_VALUE));
  }

  private static Status status(int code, String reason, String message) {
    return new StatusBuilder().withCode(code).withReason(reason).withMessage(message).build();
  }

  private static String cap(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 3) + "...";
  }
}
