package dev.gatehouse.controlplane.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.controlplane.Jsons;
import dev.gatehouse.controlplane.auth.Identity;
import dev.gatehouse.controlplane.grant.SigningKeys;
import dev.gatehouse.controlplane.notify.Notification;
import dev.gatehouse.controlplane.policy.Policies;
import dev.gatehouse.controlplane.policy.PolicySnapshot;
import dev.gatehouse.controlplane.store.AuditEvent;
import dev.gatehouse.controlplane.store.GrantRecord;
import dev.gatehouse.controlplane.store.GrantState;
import dev.gatehouse.controlplane.store.RequestRecord;
import dev.gatehouse.controlplane.store.RequestState;
import dev.gatehouse.controlplane.store.ReviewRecord;
import dev.gatehouse.controlplane.store.Store;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.Value;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The JIT lifecycle. The policies decide (filing: {@code data.gatehouse.jit.request.decision};
 * each vote: {@code data.gatehouse.jit.review.decision}); this class gathers their input from the
 * caller's credential and the store, acts on their answers, and enforces two invariants whatever a
 * policy says: nobody reviews their own request, and one person votes once per request.
 *
 * <p>Every change runs in one store transaction with its audit events. A refusal that matters for
 * security is audited in a transaction of its own, committed before the refusal is thrown.
 */
public final class AccessService {
  static final Set<String> REQUEST_FIELDS = Set.of("target", "duration", "reason", "justification", "ticket",
      "start_at", "break_glass", "extends");
  static final Set<String> TARGET_FIELDS = Set.of("kind", "service", "namespace", "actions", "role", "pod",
      "container", "command");
  static final Set<String> REVIEW_FIELDS = Set.of("decision", "comment");

  private final Store store;
  private final Policies policies;
  private final SigningKeys keys;
  private final Clock clock;
  private final Duration pendingTtl;
  private final Hooks hooks;
  private final SecureRandom random = new SecureRandom();
  private final Set<String> expiryNotified = ConcurrentHashMap.newKeySet();

  public AccessService(Store store, Policies policies, SigningKeys keys, Clock clock, Duration pendingTtl, Hooks hooks) {
    this.store = store;
    this.policies = policies;
    this.keys = keys;
    this.clock = clock;
    this.pendingTtl = pendingTtl;
    this.hooks = hooks;
  }

  public Store store() {
    return store;
  }

  public Instant now() {
    return clock.instant();
  }

  // ------------------------------------------------------------------ transactions

  /** What one transaction did, published after it commits. */
  final class Changes {
    final Store.Tx tx;
    final Instant at;
    final List<AuditEvent> events = new ArrayList<>();
    final List<Notification> notifications = new ArrayList<>();
    long grantsSequence = -1;

    Changes(Store.Tx tx, Instant at) {
      this.tx = tx;
      this.at = at;
    }

    void audit(String type, String actor, String subject, ObjectNode data) {
      events.add(tx.audit(at, type, actor, subject, Jsons.write(data == null ? Jsons.object() : data)));
    }

    void grantsChanged() {
      grantsSequence = tx.bumpGrantsSequence();
    }
  }

  private <T> T commit(Function<Changes, T> work) {
    Instant at = now();
    Changes[] holder = new Changes[1];
    T out = store.write(tx -> {
      holder[0] = new Changes(tx, at);
      return work.apply(holder[0]);
    });
    publish(holder[0]);
    return out;
  }

  private void publish(Changes c) {
    if (!c.events.isEmpty()) {
      hooks.audited(c.events);
    }
    if (c.grantsSequence >= 0) {
      hooks.grantsChanged(c.grantsSequence);
    }
    c.notifications.forEach(hooks::notify);
  }

  /** Records a refusal in the audit log (its own transaction) and returns it for throwing. */
  private Refusal refused(Refusal r, String type, Identity who, String subject, ObjectNode data) {
    ObjectNode d = data == null ? Jsons.object() : data;
    d.put("status", r.status());
    d.put("error", r.error());
    d.put("message", r.getMessage());
    commit(c -> {
      c.audit(type, who == null ? "" : who.user(), subject, d);
      return null;
    });
    return r;
  }

  /** Audits a failed authentication (no identity: the actor is where the call came from). */
  public void authenticationFailed(String method, String reason, String remote, String path) {
    ObjectNode d = Jsons.object().put("method", method).put("reason", reason).put("remote", remote).put("path", path);
    commit(c -> {
      c.audit("auth.failed", "", "", d);
      return null;
    });
  }

  /** Audits a refused call that never reached the lifecycle (wrong role, and the like). */
  public void forbidden(Identity who, String path, String why) {
    ObjectNode d = Jsons.object().put("path", path).put("reason", why);
    commit(c -> {
      c.audit("access.refused", who.user(), "", d);
      return null;
    });
  }

  /** Appends an event of another part of the control plane (e.g. Kubernetes RoleBindings) to the audit chain. */
  public void record(String type, String actor, String subject, ObjectNode data) {
    commit(c -> {
      c.audit(type, actor, subject, data);
      return null;
    });
  }

  public void policyRevisionChanged(String from, String to) {
    ObjectNode d = Jsons.object().put("from", from).put("to", to);
    commit(c -> {
      c.audit("policy.revision", "", to, d);
      return null;
    });
  }

  // ------------------------------------------------------------------ filing

  /** A request as the policy would see it, before filing: a dry run shows what it would need. */
  public ObjectNode evaluate(Identity who, String body) {
    Instant now = now();
    ObjectNode doc = buildRequest(who, Bodies.object(body), now, "req-dry-run");
    Policies.Decision d = policies.request(input(doc, now));
    if (!d.ok()) {
      throw new Refusal(422, "policy_error", d.error());
    }
    ObjectNode out = Jsons.object();
    out.set("request", doc);
    out.set("decision", d.value());
    out.put("policy_revision", d.revision());
    return out;
  }

  public ObjectNode file(Identity who, String body) {
    return file(who, Bodies.object(body));
  }

  private ObjectNode file(Identity who, ObjectNode body) {
    Instant now = now();
    String id = newId("req-");
    ObjectNode doc = buildRequest(who, body, now, id);
    Policies.Decision d = policies.request(input(doc, now));
    if (!d.ok()) {
      throw refused(new Refusal(422, "policy_error", "the request policy gave no decision: " + d.error()),
          "request.rejected", who, id, Jsons.object().<ObjectNode>set("request", doc));
    }
    ObjectNode decision = d.value();
    if (!decision.path("valid").asBoolean(false)) {
      ArrayNode violations = decision.has("violations") && decision.get("violations").isArray()
          ? (ArrayNode) decision.get("violations") : Jsons.array();
      ObjectNode details = Jsons.object();
      details.set("violations", violations);
      String first = violations.isEmpty() ? "the policy found the request invalid"
          : violations.get(0).path("msg").asText();
      ObjectNode audit = Jsons.object();
      audit.set("request", doc);
      audit.set("violations", violations);
      throw refused(new Refusal(422, "invalid_request", first + (violations.size() > 1
          ? " (and " + (violations.size() - 1) + " more)" : ""), details), "request.rejected", who, id, audit);
    }
    boolean breakGlass = decision.path("break_glass").asBoolean(false);
    boolean auto = decision.path("auto_approve").asBoolean(false);
    String extendsGrant = doc.has("extends") ? doc.get("extends").asText() : null;
    RequestRecord rec = new RequestRecord(id, who.user(), doc, RequestState.PENDING, decision, now, now, null,
        extendsGrant, breakGlass, false, d.revision(), null);
    commit(c -> {
      c.tx.insertRequest(rec);
      ObjectNode ev = Jsons.object();
      ev.set("request", doc);
      ev.set("decision", decision);
      ev.put("policy_revision", d.revision());
      c.audit("request.filed", who.user(), id, ev);
      c.notifications.add(new Notification("request.filed", channels(decision), who.user() + " requests "
          + describe(doc.get("target")) + " for " + doc.path("duration").asText() + ": "
          + doc.path("justification").asText() + " (" + id + (auto || breakGlass ? "" : ", needs "
          + decision.path("required_approvals").asInt() + " approval(s)") + ")", summary(rec)));
      if (breakGlass) {
        RequestRecord approved = rec.withState(RequestState.APPROVED, now, who.user()).withNeedsReview(true, now);
        GrantRecord g = issue(c, approved, List.of(), d.revision());
        c.tx.updateRequest(approved.withGrant(g.id(), now));
        c.audit("break_glass.issued", who.user(), id, Jsons.object().put("grant_id", g.id())
            .put("justification", doc.path("justification").asText()));
        c.notifications.add(new Notification("break_glass", channels(decision), "BREAK-GLASS: " + who.user()
            + " opened " + describe(doc.get("target")) + " for " + doc.path("duration").asText() + " without approval: "
            + doc.path("justification").asText() + " (grant " + g.id() + ", needs a post-hoc review)", summary(rec)));
      } else if (auto) {
        RequestRecord approved = rec.withState(RequestState.APPROVED, now, "policy");
        GrantRecord g = issue(c, approved, List.of(), d.revision());
        c.tx.updateRequest(approved.withGrant(g.id(), now));
        c.audit("request.approved", "policy", id, Jsons.object().put("auto_approve", true).put("grant_id", g.id()));
      }
      return null;
    });
    return requestView(store.request(id).orElseThrow());
  }

  private ObjectNode buildRequest(Identity who, ObjectNode body, Instant now, String id) {
    Bodies.onlyFields(body, "", REQUEST_FIELDS);
    String ext = Bodies.string(body, "", "extends");
    ObjectNode target = Bodies.obj(body, "", "target");
    String duration = Bodies.string(body, "", "duration");
    String reason = Bodies.string(body, "", "reason");
    String justification = Bodies.string(body, "", "justification");
    if (reason != null && justification != null && !reason.equals(justification)) {
      throw Refusal.badRequest("conflicting_fields", "give reason or justification, not both");
    }
    String why = justification != null ? justification : reason;
    String ticket = Bodies.string(body, "", "ticket");
    String startAt = Bodies.string(body, "", "start_at");
    Boolean breakGlass = Bodies.bool(body, "", "break_glass");
    if (duration == null) {
      throw Refusal.badRequest("missing_field", "duration is required (e.g. \"2h\")");
    }
    Bodies.durationNanos("duration", duration);
    Instant start = startAt == null ? null : Bodies.time("start_at", startAt);
    ObjectNode normalisedTarget;
    if (ext != null) {
      GrantRecord g = store.grant(ext).orElseThrow(() -> Refusal.notFound("grant", ext));
      if (!g.subject().equals(who.user())) {
        throw new Refusal(403, "not_subject", "only " + g.subject() + " can extend grant " + ext);
      }
      if (g.state() == GrantState.REVOKED || g.state() == GrantState.EXPIRED || g.doc().path("revoked").asBoolean()) {
        throw new Refusal(409, "grant_closed", "grant " + ext + " is " + grantState(g) + " and cannot be extended");
      }
      if (target != null && !target.equals(g.doc().get("target"))) {
        throw Refusal.badRequest("conflicting_fields", "an extension keeps the grant's target; leave target out");
      }
      normalisedTarget = (ObjectNode) g.doc().get("target").deepCopy();
      if (start == null && g.expiresAt().isAfter(now)) {
        start = g.expiresAt();
      }
    } else {
      if (target == null) {
        throw Refusal.badRequest("missing_field", "target is required: {kind: service|namespace|pod-exec, ...}");
      }
      normalisedTarget = target(target);
    }
    ObjectNode requester = Jsons.object().put("user", who.user());
    ArrayNode groups = requester.putArray("groups");
    who.groups().forEach(groups::add);
    ObjectNode doc = Jsons.object();
    doc.put("id", id);
    doc.set("requester", requester);
    doc.set("target", normalisedTarget);
    doc.put("duration", duration.trim());
    if (start != null) {
      doc.put("start_at", Jsons.time(start));
    }
    if (why != null) {
      doc.put("justification", why);
    }
    if (ticket != null) {
      doc.put("ticket", ticket);
    }
    doc.put("break_glass", Boolean.TRUE.equals(breakGlass));
    doc.put("created_at", Jsons.time(now));
    doc.put("state", "pending");
    if (ext != null) {
      doc.put("extends", ext);
    }
    return doc;
  }

  /**
   * The target as sent, checked for shape, with the namespace of a service taken from the service
   * catalogue ({@code data.gatehouse.services}) when the requester left it out, and refused when it
   * disagrees: where a service runs is data, not what the requester typed.
   */
  private ObjectNode target(ObjectNode t) {
    Bodies.onlyFields(t, "target.", TARGET_FIELDS);
    ObjectNode out = Jsons.object();
    String kind = Bodies.string(t, "target.", "kind");
    if (kind == null) {
      throw Refusal.badRequest("missing_field", "target.kind is required: service, namespace or pod-exec");
    }
    out.put("kind", kind);
    for (String f : List.of("service", "namespace", "role", "pod", "container")) {
      String v = Bodies.string(t, "target.", f);
      if (v != null) {
        out.put(f, v);
      }
    }
    ArrayNode actions = Bodies.strings(t, "target.", "actions");
    if (actions != null) {
      out.set("actions", actions.deepCopy());
    }
    JsonNode command = t.get("command");
    if (command != null && !command.isNull()) {
      if (command.isTextual()) {
        out.put("command", Bodies.string(t, "target.", "command"));
      } else {
        out.set("command", Bodies.strings(t, "target.", "command").deepCopy());
      }
    }
    if (kind.equals("service") && out.hasNonNull("service")) {
      List<String> known = catalogueNamespaces(out.get("service").asText());
      if (!known.isEmpty()) {
        if (!out.hasNonNull("namespace")) {
          if (known.size() > 1) {
            throw new Refusal(422, "invalid_request", "service " + out.get("service").asText() + " runs in "
                + String.join(", ", known) + "; say which with target.namespace (--namespace)",
                violations("target", "target.namespace is required: the service runs in " + String.join(", ", known)));
          }
          out.put("namespace", known.get(0));
        } else if (!known.contains(out.get("namespace").asText())) {
          throw new Refusal(422, "invalid_request", "service " + out.get("service").asText() + " does not run in "
              + out.get("namespace").asText() + " (the catalogue says: " + String.join(", ", known) + ")",
              violations("target", "target.namespace disagrees with the service catalogue"));
        }
      }
    }
    return out;
  }

  private static ObjectNode violations(String rule, String msg) {
    ObjectNode d = Jsons.object();
    d.putArray("violations").addObject().put("rule", rule).put("msg", msg);
    return d;
  }

  /** Namespaces of a service per {@code data.gatehouse.services.<svc>} ({@code namespace} or {@code namespaces}). */
  private List<String> catalogueNamespaces(String service) {
    PolicySnapshot s = policies.current().orElse(null);
    if (s == null) {
      return List.of();
    }
    Value g = s.data().get("gatehouse");
    if (!(g instanceof ObjectValue gv) || !(gv.get("services") instanceof ObjectValue services)
        || !(services.get(service) instanceof ObjectValue entry)) {
      return List.of();
    }
    JsonNode e = Jsons.fromValue(entry);
    List<String> out = new ArrayList<>();
    if (e.path("namespace").isTextual()) {
      out.add(e.get("namespace").asText());
    }
    e.path("namespaces").forEach(n -> out.add(n.asText()));
    return out;
  }

  private static ObjectNode input(ObjectNode request, Instant now) {
    ObjectNode in = Jsons.object();
    in.set("request", request);
    in.put("now", Jsons.timeMillis(now));
    return in;
  }

  // ------------------------------------------------------------------ grants

  private GrantRecord issue(Changes c, RequestRecord r, List<String> approvers, String revision) {
    Instant now = c.at;
    Instant start = r.doc().hasNonNull("start_at") ? Instant.parse(r.doc().get("start_at").asText()) : now;
    if (start.isBefore(now)) {
      start = now;
    }
    start = start.truncatedTo(ChronoUnit.SECONDS);
    long ns = Bodies.durationNanos("duration", r.doc().get("duration").asText());
    Instant expires = start.plusNanos(ns).truncatedTo(ChronoUnit.SECONDS);
    String id = newId("gr-");
    ObjectNode doc = Jsons.object();
    doc.put("id", id);
    doc.put("request_id", r.id());
    doc.put("subject", r.requester());
    doc.set("target", r.doc().get("target").deepCopy());
    doc.put("not_before", Jsons.time(start));
    doc.put("expires_at", Jsons.time(expires));
    ArrayNode a = doc.putArray("approvers");
    approvers.forEach(a::add);
    doc.put("policy_revision", revision);
    doc.put("break_glass", r.breakGlass());
    GrantState state = start.isAfter(now) ? GrantState.SCHEDULED : GrantState.ACTIVE;
    GrantRecord g = new GrantRecord(id, r.id(), r.requester(), doc, sign(doc), state, start, expires, r.breakGlass(),
        now, now);
    c.tx.insertGrant(g);
    c.grantsChanged();
    ObjectNode ev = Jsons.object();
    ev.set("grant", doc);
    ev.put("state", state.wire());
    c.audit("grant.issued", r.requester(), id, ev);
    return g;
  }

  private String sign(ObjectNode doc) {
    return keys.sign(Jsons.write(doc), "gatehouse-grant+jws");
  }

  // ------------------------------------------------------------------ reviews

  public ObjectNode review(Identity who, String requestId, String body) {
    ObjectNode b = Bodies.object(body);
    Bodies.onlyFields(b, "", REVIEW_FIELDS);
    String vote = Bodies.string(b, "", "decision");
    String comment = Bodies.string(b, "", "comment");
    if (vote == null || !(vote.equals("approve") || vote.equals("deny"))) {
      throw Refusal.badRequest("bad_decision", "decision must be \"approve\" or \"deny\"");
    }
    // Everything from reading the request to recording the vote happens in one serialised
    // transaction: a concurrent vote waits, then sees this one.
    Object outcome = commit(c -> {
      RequestRecord r = c.tx.reads().request(requestId).orElse(null);
      if (r == null) {
        return Refusal.notFound("request", requestId);
      }
      Refusal java = invariants(who, r, c);
      if (java != null) {
        return audited(c, java, "review.refused", who, requestId);
      }
      Instant now = c.at;
      List<ReviewRecord> prior = c.tx.reads().reviews(requestId);
      ObjectNode reviewer = Jsons.object().put("user", who.user());
      ArrayNode groups = reviewer.putArray("groups");
      who.groups().forEach(groups::add);
      ObjectNode rev = Jsons.object().put("request_id", requestId);
      rev.set("reviewer", reviewer);
      rev.put("decision", vote);
      if (comment != null) {
        rev.put("comment", comment);
      }
      rev.put("at", Jsons.timeMillis(now));
      ObjectNode request = r.doc().deepCopy();
      request.put("state", r.state().wire());
      ObjectNode in = Jsons.object();
      in.set("request", request);
      in.set("review", rev);
      ArrayNode reviews = in.putArray("reviews");
      prior.forEach(p -> reviews.add(p.doc()));
      in.put("now", Jsons.timeMillis(now));
      Policies.Decision d = policies.review(in);
      if (!d.ok()) {
        return audited(c, new Refusal(422, "policy_error", "the review policy gave no decision: " + d.error()),
            "review.refused", who, requestId);
      }
      ObjectNode decision = d.value();
      if (!decision.path("allowed").asBoolean(false)) {
        ObjectNode details = Jsons.object();
        details.set("reasons", decision.path("reasons").isArray() ? decision.get("reasons") : Jsons.array());
        String first = details.get("reasons").isEmpty() ? "the review policy refused this review"
            : details.get("reasons").get(0).path("msg").asText();
        Refusal ref = new Refusal(403, "review_refused", first, details);
        ObjectNode ev = Jsons.object().put("vote", vote).put("status", 403).put("error", ref.error())
            .put("message", first);
        ev.set("reasons", details.get("reasons"));
        c.audit("review.refused", who.user(), requestId, ev);
        return ref;
      }
      ReviewRecord rec = new ReviewRecord(0, requestId, who.user(), key(who.user()), vote, comment, now, rev, decision);
      try {
        c.tx.insertReview(rec);
      } catch (Store.DuplicateVoteException e) {
        // The Java check above already refuses this; the store's unique index is the backstop.
        throw new Refusal(409, "duplicate_review", who.user() + " already reviewed this request; each person votes once");
      }
      ObjectNode ev = Jsons.object().put("vote", vote).put("comment", comment);
      ev.set("decision", decision);
      ev.put("policy_revision", d.revision());
      c.audit("review.recorded", who.user(), requestId, ev);
      String outcomeName = decision.path("outcome").asText("pending");
      RequestRecord next = r.withNeedsReview(false, now);
      if (r.state() == RequestState.PENDING && "approved".equals(outcomeName)
          && decision.path("quorum_reached").asBoolean(false)) {
        List<String> approvers = new ArrayList<>();
        for (ReviewRecord p : prior) {
          if (p.vote().equals("approve")) {
            approvers.add(p.reviewer());
          }
        }
        if (vote.equals("approve")) {
          approvers.add(who.user());
        }
        next = next.withState(RequestState.APPROVED, now, who.user());
        GrantRecord g = issue(c, next, List.copyOf(new LinkedHashSet<>(approvers)), d.revision());
        next = next.withGrant(g.id(), now);
        c.audit("request.approved", who.user(), requestId, Jsons.object().put("grant_id", g.id())
            .put("approvals", decision.path("approvals").asInt()));
        c.notifications.add(new Notification("request.decided", channels(r.decision()), "Request " + requestId + " by "
            + r.requester() + " was approved; grant " + g.id() + " " + describe(r.doc().get("target")) + " until "
            + g.doc().get("expires_at").asText(), summary(next)));
      } else if (r.state() == RequestState.PENDING && "denied".equals(outcomeName)) {
        next = next.withState(RequestState.DENIED, now, who.user());
        c.audit("request.denied", who.user(), requestId, Jsons.object().put("comment", comment));
        c.notifications.add(new Notification("request.decided", channels(r.decision()), "Request " + requestId + " by "
            + r.requester() + " was denied by " + who.user() + (comment == null ? "" : ": " + comment), summary(next)));
      } else if (r.state() == RequestState.APPROVED && r.breakGlass()) {
        c.audit("break_glass.reviewed", who.user(), requestId, Jsons.object().put("vote", vote));
        if ("denied".equals(outcomeName) && r.grantId() != null) {
          // A post-hoc deny ends the break-glass access now rather than at its expiry.
          next = next.withState(RequestState.DENIED, now, who.user());
          GrantRecord g = c.tx.reads().grant(r.grantId()).orElse(null);
          if (g != null && (g.state() == GrantState.ACTIVE || g.state() == GrantState.SCHEDULED)) {
            revokeIn(c, g, who.user(), "post-hoc review denied the break-glass access");
          }
        }
      }
      c.tx.updateRequest(next);
      return next;
    });
    if (outcome instanceof Refusal ref) {
      throw ref;
    }
    return requestView(store.request(requestId).orElseThrow());
  }

  /** Whether the review policy would accept an approval from {@code who} now (for "to review" lists). */
  public boolean wouldAccept(Identity who, RequestRecord r) {
    if (key(who.user()).equals(key(r.requester()))) {
      return false;
    }
    List<ReviewRecord> prior = store.reviews(r.id());
    for (ReviewRecord p : prior) {
      if (p.reviewerKey().equals(key(who.user()))) {
        return false;
      }
    }
    ObjectNode reviewer = Jsons.object().put("user", who.user());
    ArrayNode groups = reviewer.putArray("groups");
    who.groups().forEach(groups::add);
    ObjectNode rev = Jsons.object().put("request_id", r.id()).put("decision", "approve");
    rev.set("reviewer", reviewer);
    ObjectNode request = r.doc().deepCopy();
    request.put("state", r.state().wire());
    ObjectNode in = Jsons.object();
    in.set("request", request);
    in.set("review", rev);
    ArrayNode reviews = in.putArray("reviews");
    prior.forEach(p -> reviews.add(p.doc()));
    in.put("now", Jsons.timeMillis(now()));
    Policies.Decision d = policies.review(in);
    return d.ok() && d.value().path("allowed").asBoolean(false);
  }

  /** Self-review, second votes and closed requests are refused here whatever the policy says. */
  private Refusal invariants(Identity who, RequestRecord r, Changes c) {
    String requester = r.requester();
    if (who.user().equals(requester) || key(who.user()).equals(key(requester))) {
      return new Refusal(403, "self_review", "requesters cannot review their own request; ask a teammate or a platform admin");
    }
    for (ReviewRecord p : c.tx.reads().reviews(r.id())) {
      if (p.reviewerKey().equals(key(who.user())) || p.reviewer().equals(who.user())) {
        return new Refusal(409, "duplicate_review", who.user() + " already reviewed this request; each person votes once");
      }
    }
    boolean open = r.state() == RequestState.PENDING || (r.state() == RequestState.APPROVED && r.breakGlass());
    if (!open) {
      return new Refusal(409, "request_closed", "request " + r.id() + " is " + r.state().wire() + " and takes no more reviews");
    }
    return null;
  }

  private static Refusal audited(Changes c, Refusal r, String type, Identity who, String subject) {
    c.audit(type, who.user(), subject, Jsons.object().put("status", r.status()).put("error", r.error())
        .put("message", r.getMessage()));
    return r;
  }

  /** How user names are compared: trimmed and lower-cased, as the policies compare them. */
  public static String key(String user) {
    return user == null ? "" : user.trim().toLowerCase(Locale.ROOT);
  }

  // ------------------------------------------------------------------ cancel, revoke, extend

  public ObjectNode cancel(Identity who, String requestId) {
    Object out = commit(c -> {
      RequestRecord r = c.tx.reads().request(requestId).orElse(null);
      if (r == null) {
        return Refusal.notFound("request", requestId);
      }
      if (!key(r.requester()).equals(key(who.user()))) {
        return audited(c, new Refusal(403, "not_requester", "only " + r.requester() + " can cancel request " + requestId),
            "request.cancel_refused", who, requestId);
      }
      if (r.state() != RequestState.PENDING) {
        return new Refusal(409, "request_closed", "request " + requestId + " is " + r.state().wire()
            + "; only pending requests can be cancelled");
      }
      RequestRecord next = r.withState(RequestState.CANCELLED, c.at, who.user());
      c.tx.updateRequest(next);
      c.audit("request.cancelled", who.user(), requestId, Jsons.object());
      return next;
    });
    if (out instanceof Refusal ref) {
      throw ref;
    }
    return requestView(store.request(requestId).orElseThrow());
  }

  public ObjectNode revoke(Identity who, String grantId, String body) {
    String reason = null;
    if (body != null && !body.isBlank()) {
      ObjectNode b = Bodies.object(body);
      Bodies.onlyFields(b, "", Set.of("reason"));
      reason = Bodies.string(b, "", "reason");
    }
    String why = reason;
    Object out = commit(c -> {
      GrantRecord g = c.tx.reads().grant(grantId).orElse(null);
      if (g == null) {
        return Refusal.notFound("grant", grantId);
      }
      if (!mayRevoke(who, g, c)) {
        return audited(c, new Refusal(403, "not_allowed", who.user() + " may not revoke grant " + grantId
            + ": revokers are its subject, the reviewers of its target, and admins"), "grant.revoke_refused", who, grantId);
      }
      if (g.state() == GrantState.REVOKED || g.state() == GrantState.EXPIRED) {
        return new Refusal(409, "grant_closed", "grant " + grantId + " is already " + grantState(g));
      }
      return revokeIn(c, g, who.user(), why);
    });
    if (out instanceof Refusal ref) {
      throw ref;
    }
    return grantView(store.grant(grantId).orElseThrow());
  }

  /**
   * Revokes every live grant of a user ({@code subject}) or of a request ({@code request_id}) in
   * one transaction; refused as a whole (nothing revoked) when the caller may not revoke one of them.
   */
  public ObjectNode revokeMatching(Identity who, String body) {
    ObjectNode b = Bodies.object(body);
    Bodies.onlyFields(b, "", Set.of("subject", "request_id", "reason"));
    String subject = Bodies.string(b, "", "subject");
    String requestId = Bodies.string(b, "", "request_id");
    String reason = Bodies.string(b, "", "reason");
    if ((subject == null) == (requestId == null)) {
      throw Refusal.badRequest("bad_body", "give exactly one of subject or request_id");
    }
    Object out = commit(c -> {
      List<GrantRecord> live = c.tx.reads().grants(new Store.GrantQuery(subject, List.of(GrantState.SCHEDULED,
          GrantState.ACTIVE), null, 100_000)).stream().filter(g -> requestId == null || g.requestId().equals(requestId)).toList();
      for (GrantRecord g : live) {
        if (!mayRevoke(who, g, c)) {
          return audited(c, new Refusal(403, "not_allowed", who.user() + " may not revoke grant " + g.id()
              + "; nothing was revoked"), "grant.revoke_refused", who, g.id());
        }
      }
      ArrayNode done = Jsons.array();
      for (GrantRecord g : live) {
        done.add(grantView(revokeIn(c, g, who.user(), reason)));
      }
      return done;
    });
    if (out instanceof Refusal ref) {
      throw ref;
    }
    ObjectNode res = Jsons.object();
    res.set("revoked", (ArrayNode) out);
    return res;
  }

  private GrantRecord revokeIn(Changes c, GrantRecord g, String by, String reason) {
    ObjectNode doc = g.doc().deepCopy();
    doc.put("revoked", true);
    doc.put("revoked_at", Jsons.time(c.at));
    doc.put("revoked_by", by);
    GrantRecord next = g.with(doc, sign(doc), GrantState.REVOKED, c.at);
    c.tx.updateGrant(next);
    c.grantsChanged();
    c.audit("grant.revoked", by, g.id(), Jsons.object().put("reason", reason).put("subject", g.subject())
        .put("request_id", g.requestId()));
    c.notifications.add(new Notification("grant.revoked", List.of(), "Grant " + g.id() + " of " + g.subject()
        + " was revoked by " + by + (reason == null ? "" : ": " + reason), grantView(next)));
    return next;
  }

  /**
   * The grant's subject may give it up; others must be people the review policy would accept as
   * reviewers of the grant's request (so the policy, not this class, says who oversees a target),
   * or hold the admin role.
   */
  private boolean mayRevoke(Identity who, GrantRecord g, Changes c) {
    if (key(who.user()).equals(key(g.subject())) || who.has(Identity.ADMIN)) {
      return true;
    }
    RequestRecord r = c.tx.reads().request(g.requestId()).orElse(null);
    if (r == null) {
      return false;
    }
    ObjectNode reviewer = Jsons.object().put("user", who.user());
    ArrayNode groups = reviewer.putArray("groups");
    who.groups().forEach(groups::add);
    ObjectNode in = Jsons.object();
    ObjectNode request = r.doc().deepCopy();
    request.put("state", "pending");
    in.set("request", request);
    ObjectNode rev = Jsons.object().put("request_id", r.id()).put("decision", "deny");
    rev.set("reviewer", reviewer);
    in.set("review", rev);
    in.putArray("reviews");
    in.put("now", request.path("created_at").asText());
    Policies.Decision d = policies.review(in);
    if (!d.ok()) {
      return false;
    }
    for (JsonNode reason : d.value().path("reasons")) {
      if (reason.path("rule").asText().equals("reviewer-qualified") || reason.path("rule").asText().equals("review-shape")) {
        return false;
      }
    }
    return true;
  }

  public ObjectNode extend(Identity who, String grantId, String body) {
    ObjectNode b = Bodies.object(body);
    Bodies.onlyFields(b, "", Set.of("duration", "reason", "justification", "ticket"));
    ObjectNode req = b.deepCopy();
    req.put("extends", grantId);
    return file(who, req);
  }

  // ------------------------------------------------------------------ time

  /**
   * Moves time-driven states on: pending requests past the TTL expire, scheduled grants become
   * active, grants past {@code expires_at} expire and leave the bundle, grants close to expiry are
   * announced once. Enforcers never depend on this: they compare now with expires_at themselves.
   */
  public void tick(Duration expiryLead) {
    Instant now = now();
    List<RequestRecord> stale = store.requests(new Store.RequestQuery(null, RequestState.PENDING, false, 100_000))
        .stream().filter(r -> !r.createdAt().plus(pendingTtl).isAfter(now)).toList();
    List<GrantRecord> live = store.grants(new Store.GrantQuery(null,
        List.of(GrantState.SCHEDULED, GrantState.ACTIVE, GrantState.REVOKED), null, 100_000));
    List<GrantRecord> ending = live.stream().filter(g -> !g.expiresAt().isAfter(now)).toList();
    List<GrantRecord> starting = live.stream()
        .filter(g -> g.state() == GrantState.SCHEDULED && !g.notBefore().isAfter(now) && g.expiresAt().isAfter(now))
        .toList();
    if (!stale.isEmpty() || !ending.isEmpty() || !starting.isEmpty()) {
      commit(c -> {
        for (RequestRecord r : stale) {
          RequestRecord cur = c.tx.reads().request(r.id()).orElse(r);
          if (cur.state() == RequestState.PENDING) {
            c.tx.updateRequest(cur.withState(RequestState.EXPIRED, c.at, "ttl"));
            c.audit("request.expired", "", r.id(), Jsons.object().put("pending_ttl", pendingTtl.toString()));
          }
        }
        for (GrantRecord g : starting) {
          c.tx.updateGrant(g.withState(GrantState.ACTIVE, c.at));
          c.audit("grant.activated", "", g.id(), Jsons.object().put("not_before", Jsons.time(g.notBefore())));
        }
        boolean any = false;
        for (GrantRecord g0 : ending) {
          GrantRecord g = c.tx.reads().grant(g0.id()).orElse(g0);
          if (g.state() != GrantState.EXPIRED) {
            c.tx.updateGrant(g.withState(GrantState.EXPIRED, c.at));
            c.audit("grant.expired", "", g.id(), Jsons.object().put("expires_at", Jsons.time(g.expiresAt()))
                .put("was_revoked", g.state() == GrantState.REVOKED));
            any = true;
          }
        }
        if (any) {
          c.grantsChanged();
        }
        return null;
      });
    }
    if (!expiryLead.isZero()) {
      for (GrantRecord g : live) {
        if (g.state() == GrantState.ACTIVE && g.expiresAt().isAfter(now) && !g.expiresAt().minus(expiryLead).isAfter(now)
            && expiryNotified.add(g.id())) {
          hooks.notify(new Notification("grant.expiring", List.of(), "Grant " + g.id() + " of " + g.subject() + " ("
              + describe(g.doc().get("target")) + ") expires at " + Jsons.time(g.expiresAt())
              + "; extend it with: gatehouse grant extend " + g.id() + " --for 1h", grantView(g)));
        }
      }
    }
  }

  /** Signs the current chain head when it moved since the last signed one. */
  public void signHead() {
    AuditEvent last = store.lastAudit().orElse(null);
    if (last == null) {
      return;
    }
    List<Store.SignedHead> heads = store.heads(1);
    if (!heads.isEmpty() && heads.get(0).seq() >= last.seq()) {
      return;
    }
    String at = Jsons.timeMillis(now());
    String jws = keys.sign(Jsons.write(Jsons.object().put("seq", last.seq()).put("hash", last.hash()).put("at", at)),
        "gatehouse-audit-head+jws");
    store.write(tx -> {
      tx.insertHead(new Store.SignedHead(last.seq(), last.hash(), at, jws));
      return null;
    });
  }

  /** Audits a notification that could not be delivered after its retries. */
  public void notificationFailed(Notification n, String url, String error) {
    commit(c -> {
      c.audit("notification.failed", "", n.event(), Jsons.object().put("url", url).put("error", error)
          .put("text", n.text()));
      return null;
    });
  }

  // ------------------------------------------------------------------ views

  public ObjectNode requestView(RequestRecord r) {
    ObjectNode v = Jsons.object();
    v.put("id", r.id());
    v.put("state", r.state().wire());
    v.put("requester", r.requester());
    v.set("target", r.doc().get("target"));
    v.put("duration", r.doc().path("duration").asText());
    copy(r.doc(), v, "start_at", "justification", "ticket");
    v.put("break_glass", r.breakGlass());
    if (r.extendsGrant() != null) {
      v.put("extends", r.extendsGrant());
    }
    v.put("created_at", Jsons.time(r.createdAt()));
    v.put("updated_at", Jsons.time(r.updatedAt()));
    if (r.closedBy() != null) {
      v.put("decided_by", r.closedBy());
    }
    if (r.grantId() != null) {
      v.put("grant_id", r.grantId());
    }
    v.put("needs_review", r.needsReview());
    v.put("policy_revision", r.policyRevision());
    v.put("required_approvals", r.decision().path("required_approvals").asInt());
    if (r.decision().has("max_duration")) {
      v.set("max_duration", r.decision().get("max_duration"));
    }
    v.set("decision", r.decision());
    ArrayNode reviews = v.putArray("reviews");
    int approvals = 0;
    for (ReviewRecord p : store.reviews(r.id())) {
      ObjectNode x = reviews.addObject().put("reviewer", p.reviewer()).put("decision", p.vote());
      if (p.comment() != null) {
        x.put("comment", p.comment());
      }
      x.put("at", Jsons.timeMillis(p.at()));
      if (p.vote().equals("approve")) {
        approvals++;
      }
    }
    v.put("approvals", approvals);
    return v;
  }

  public ObjectNode grantView(GrantRecord g) {
    ObjectNode v = g.doc().deepCopy();
    v.put("state", grantState(g));
    v.put("jws", g.jws());
    return v;
  }

  static String grantState(GrantRecord g) {
    return g.doc().path("revoked").asBoolean(false) ? "revoked" : g.state().wire();
  }

  private static ObjectNode summary(RequestRecord r) {
    ObjectNode s = Jsons.object().put("request_id", r.id()).put("requester", r.requester()).put("state", r.state().wire());
    s.set("target", r.doc().get("target"));
    s.put("duration", r.doc().path("duration").asText());
    s.put("break_glass", r.breakGlass());
    return s;
  }

  private static void copy(ObjectNode from, ObjectNode to, String... fields) {
    for (String f : fields) {
      if (from.hasNonNull(f)) {
        to.set(f, from.get(f));
      }
    }
  }

  private static List<String> channels(ObjectNode decision) {
    List<String> out = new ArrayList<>();
    decision.path("notify").forEach(n -> out.add(n.asText()));
    return out;
  }

  /** {@code write on payments-api (payments-prod)} and the like, for messages. */
  public static String describe(JsonNode t) {
    if (t == null) {
      return "?";
    }
    return switch (t.path("kind").asText()) {
      case "service" -> {
        List<String> actions = new ArrayList<>();
        t.path("actions").forEach(a -> actions.add(a.asText()));
        yield String.join(",", actions) + " on " + t.path("service").asText() + " (" + t.path("namespace").asText() + ")";
      }
      case "namespace" -> t.path("role").asText() + " in namespace " + t.path("namespace").asText();
      case "pod-exec" -> "exec in " + t.path("namespace").asText() + "/" + t.path("pod").asText("*");
      default -> t.toString();
    };
  }

  private String newId(String prefix) {
    byte[] b = new byte[6];
    random.nextBytes(b);
    return prefix + HexFormat.of().formatHex(b);
  }
}
