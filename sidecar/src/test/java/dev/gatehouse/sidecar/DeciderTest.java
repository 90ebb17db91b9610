package dev.gatehouse.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.engine.Policy;
import dev.gatehouse.engine.Rego;
import dev.gatehouse.engine.bundle.Bundle;
import dev.gatehouse.sync.ActivePolicy;
import dev.gatehouse.sync.fixture.Grants;
import dev.gatehouse.sync.fixture.Policies;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The grant index gives exactly the decisions of evaluating against every grant. */
class DeciderTest {
  static final Instant NOW = Instant.parse("2026-12-07T20:00:00Z");
  static ActivePolicy active;

  @BeforeAll
  static void compile() {
    List<ObjectNode> grants = new ArrayList<>();
    Instant nb = NOW.minus(Duration.ofMinutes(5));
    Instant exp = NOW.plus(Duration.ofHours(1));
    grants.add(Grants.serviceGrant("g-01", "Alice", "payments-api", "payments-prod", List.of("read"), nb, exp));
    grants.add(Grants.serviceGrant("g-02", " bob ", "payments-api", "payments-prod", List.of("read", "write"), nb, exp));
    grants.add(Grants.revoked(Grants.serviceGrant("g-03", "carol", "payments-api", "payments-prod", List.of("read"),
        nb, exp), NOW, "sec"));
    grants.add(Grants.serviceGrant("g-04", "dave", "payments-api", "payments-prod", List.of("read"),
        NOW.minus(Duration.ofHours(3)), NOW.minus(Duration.ofHours(1))));
    grants.add(Grants.serviceGrant("g-05", "erin", "payments-api", "payments-prod", List.of("read"),
        NOW.plus(Duration.ofHours(1)), NOW.plus(Duration.ofHours(2))));
    grants.add(Grants.serviceGrant("g-06", "frank", "ledger", "payments-prod", List.of("read"), nb, exp));
    grants.add(Grants.serviceGrant("g-07", "gina", "payments-api", "other-ns", List.of("read"), nb, exp));
    grants.add(Grants.serviceGrant("g-08", "ÅSA", "payments-api", "payments-prod", List.of("read"), nb, exp));
    grants.add(Grants.serviceGrant("g-09", "bob", "payments-api", "payments-prod", List.of("admin"), nb, exp));
    for (int i = 0; i < 200; i++) {
      grants.add(Grants.serviceGrant(String.format("g-x%03d", i), "user-" + i, "svc-" + i % 5, "ns", List.of("read"), nb, exp));
    }
    Bundle policies = Policies.unsigned("p");
    Policy p = Rego.builder().bundles(List.of(policies, Grants.unsigned(1, grants))).compile();
    active = new ActivePolicy(p, Map.of("policies", "p", "grants", "grants-1"), NOW);
  }

  @Test
  void indexedAndFullEvaluationAgreeOnEveryRequest() throws Exception {
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    Decider indexed = new Decider(() -> Optional.of(active), clock, "payments-api", "payments-prod", true);
    Decider full = new Decider(() -> Optional.of(active), clock, "payments-api", "payments-prod", false);
    List<String> subjects = new ArrayList<>(List.of("alice", "ALICE", " Alice\t", "bob", "Bob", "carol", "dave", "erin",
        "frank", "gina", "åsa", "ÅSA", "nobody", "user-3", ""));
    subjects.add(null);
    int allowed = 0;
    int n = 0;
    for (String s : subjects) {
      for (String[] mp : new String[][] {{"GET", "/v1/payments"}, {"POST", "/v1/refunds"}, {"DELETE", "/v1/x"},
          {"GET", "/healthz"}, {"TRACE", "/"}, {"GET", "/v1/%2e%2e/admin"}}) {
        RequestFacts f = new RequestFacts(mp[0], mp[1], Map.of("user-agent", "t"), s);
        Decision a = indexed.decide(f);
        Decision b = full.decide(f);
        assertThat(a.result()).as(s + " " + mp[0] + " " + mp[1]).isEqualTo(b.result());
        assertThat(a.input()).isEqualTo(b.input());
        allowed += a.allow() ? 1 : 0;
        n++;
      }
    }
    // Not a vacuous comparison: both outcomes occur. The index groups case and space variants
    // together (a superset); the policy then matches the exact identity only.
    assertThat(allowed).isGreaterThan(10).isLessThan(n);
    assertThat(indexed.decide(new RequestFacts("GET", "/v1/payments", Map.of(), "Alice")).grantId()).isEqualTo("g-01");
    assertThat(indexed.decide(new RequestFacts("GET", "/v1/payments", Map.of(), " ALICE ")).grantId()).isNull();
    assertThat(indexed.decide(new RequestFacts("POST", "/v1/payments", Map.of(), "bob")).grantId()).isNull();
    assertThat(indexed.decide(new RequestFacts("POST", "/v1/payments", Map.of(), " bob ")).grantId()).isEqualTo("g-02");
  }

  @Test
  void subjectKeysFoldCaseAndSpaceLikeThePolicy() {
    assertThat(Decider.subjectKey("  Alice\t\n")).isEqualTo("alice");
    assertThat(Decider.subjectKey("\u00a0BOB\u2003")).isEqualTo("bob");
    assertThat(Decider.subjectKey("spiffe://cluster.local/ns/a/sa/B")).isEqualTo("spiffe://cluster.local/ns/a/sa/b");
  }
}
