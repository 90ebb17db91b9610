package dev.gatehouse.controlplane.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.controlplane.Jsons;
import dev.gatehouse.controlplane.policy.Policies;
import dev.gatehouse.controlplane.policy.PolicySnapshot;
import dev.gatehouse.engine.EvalOptions;
import dev.gatehouse.engine.PreparedQuery;
import dev.gatehouse.engine.QueryResult;
import dev.gatehouse.engine.RegoException;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The two Kubernetes decisions of the policy library, evaluated with the live namespace grants in
 * {@code data.gatehouse.grants}: {@code data.gatehouse.kubernetes.authz.decision} (a
 * SubjectAccessReview) and {@code data.gatehouse.kubernetes.rolebindings.desired} (the RoleBindings
 * in force now). Prepared once per policy generation.
 */
public final class KubePolicies {
  static final String GRANTS_KEY = "__gatehouse_grants";
  static final String AUTHZ = "data.gatehouse.kubernetes.authz.decision";
  static final String BINDINGS = "data.gatehouse.kubernetes.rolebindings.desired";

  private record Prepared(PolicySnapshot snapshot, PreparedQuery authz, PreparedQuery bindings) {}

  private final Policies policies;
  private final LiveGrants grants;
  private final Clock clock;
  private volatile Prepared prepared;

  public KubePolicies(Policies policies, LiveGrants grants, Clock clock) {
    this.policies = policies;
    this.grants = grants;
    this.clock = clock;
  }

  public LiveGrants grants() {
    return grants;
  }

  private Prepared prepared() {
    PolicySnapshot s = policies.current().orElseThrow(() -> new IllegalStateException("policies are not loaded"));
    Prepared p = prepared;
    if (p == null || p.snapshot() != s) {
      p = new Prepared(s, s.policy().prepare(query(AUTHZ)), s.policy().prepare(query(BINDINGS)));
      prepared = p;
    }
    return p;
  }

  private static String query(String ref) {
    return "x := " + ref + " with data.gatehouse.grants as input." + GRANTS_KEY;
  }

  /** The authorization decision for a SubjectAccessReview: {allowed, denied, reason, grant_id?}. */
  public ObjectNode authorize(ObjectNode review) {
    ObjectNode in = review.deepCopy();
    in.put("now", clock.instant().toString());
    JsonNode out = eval(prepared().authz(), in);
    if (!(out instanceof ObjectNode o) || !o.path("allowed").isBoolean()) {
      throw new IllegalStateException(AUTHZ + " is not an object with a boolean allowed");
    }
    return o;
  }

  /** The RoleBindings the active namespace grants call for at now. */
  public List<DesiredBinding> desiredBindings() {
    JsonNode out = eval(prepared().bindings(), Jsons.object().put("now", clock.instant().toString()));
    if (!out.isArray()) {
      throw new IllegalStateException(BINDINGS + " is not an array");
    }
    return java.util.stream.StreamSupport.stream(out.spliterator(), false).map(DesiredBinding::of).toList();
  }

  private JsonNode eval(PreparedQuery q, ObjectNode input) {
    Value in = ((ObjectValue) Jsons.toValue(input)).with(StringValue.of(GRANTS_KEY), grants.current());
    try {
      List<QueryResult> rs = q.eval(EvalOptions.builder().input(in).timeout(Duration.ofSeconds(2)).build());
      if (rs.isEmpty() || !rs.get(0).bindings().containsKey("x")) {
        throw new IllegalStateException(q.text() + " is undefined");
      }
      return Jsons.fromValue(rs.get(0).bindings().get("x"));
    } catch (RegoException e) {
      throw new IllegalStateException(q.text() + ": " + e.getMessage(), e);
    }
  }
}
