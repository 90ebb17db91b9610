package dev.gatehouse.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The authorization webhook ({@code --kube-authz}) over HTTP, without an API server: the
 * SubjectAccessReview fixture of the policy library as the API server sends it, answered from the
 * control plane's live grants. The real API server's side is e2e/NamespaceGrantsE2ETest.
 */
class KubeAuthorizerTest {
  static final String PATH = "/kubernetes/authorize";

  static String sar(String user, String verb, String resource) throws Exception {
    String fixture = Files.readString(Harness.POLICIES.resolve(
        "gatehouse/testdata/kubernetes/alice_list_pods/subject-access-review.json"));
    return fixture.replace("\"alice\"", "\"" + user + "\"").replace("\"list\"", "\"" + verb + "\"")
        .replace("\"pods\"", "\"" + resource + "\"");
  }

  static String viewRequest() {
    return """
        {"target": {"kind": "namespace", "namespace": "payments-prod", "role": "view"}, "duration": "30m",
         "reason": "look at the pods for INC-4242", "ticket": "INC-4242"}""";
  }

  @Test
  void answersFromTheLiveGrants(@TempDir Path tmp) throws Exception {
    try (Harness h = new Harness(tmp.resolve("data"), o -> o.kubernetes(false, true, null))) {
      Harness.Res before = h.post(Harness.ENFORCER, PATH, sar("alice", "list", "pods"));
      assertThat(before.status()).isEqualTo(200);
      assertThat(before.json().path("apiVersion").asText()).isEqualTo("authorization.k8s.io/v1");
      assertThat(before.json().path("kind").asText()).isEqualTo("SubjectAccessReview");
      assertThat(before.json().path("status").path("allowed").asBoolean()).isFalse();
      assertThat(before.json().path("status").has("denied")).isFalse();
      assertThat(before.json().path("status").path("reason").asText())
          .isEqualTo("no gatehouse grant for alice in namespace payments-prod; RBAC decides");

      Harness.Res filed = h.post(Harness.ALICE, "/api/v1/requests", viewRequest());
      assertThat(filed.status()).as(filed.body()).isEqualTo(201);
      String grant = filed.json().path("grant_id").asText();

      JsonNode allowed = h.post(Harness.ENFORCER, PATH, sar("alice", "list", "pods")).json().path("status");
      assertThat(allowed.path("allowed").asBoolean()).isTrue();
      assertThat(allowed.path("reason").asText()).startsWith("gatehouse grant " + grant + " (role view in payments-prod");
      assertThat(h.post(Harness.ENFORCER, PATH, sar("alice", "list", "secrets")).json().path("status").path("allowed")
          .asBoolean()).isFalse();
      assertThat(h.post(Harness.ENFORCER, PATH, sar("bob", "list", "pods")).json().path("status").path("allowed")
          .asBoolean()).isFalse();

      assertThat(h.post(Harness.ALICE, "/api/v1/grants/" + grant + "/revoke", "{}").status()).isEqualTo(200);
      JsonNode after = h.post(Harness.ENFORCER, PATH, sar("alice", "list", "pods")).json().path("status");
      assertThat(after.path("allowed").asBoolean()).isFalse();
      assertThat(after.path("reason").asText()).isEqualTo("grant " + grant + " was revoked; RBAC decides");
      assertThat(h.get(null, "/metrics").body()).contains("gatehouse_kube_authz_decisions_total{outcome=\"allowed\"} 1");
    }
  }

  @Test
  void onlyEnforcersMayAskAndBadBodiesAre400(@TempDir Path tmp) throws Exception {
    try (Harness h = new Harness(tmp.resolve("data"), o -> o.kubernetes(false, true, null))) {
      String sar = sar("alice", "list", "pods");
      assertThat(h.post(null, PATH, sar).status()).isEqualTo(401);
      assertThat(h.post("tok-wrong", PATH, sar).status()).isEqualTo(401);
      Harness.Res alice = h.post(Harness.ALICE, PATH, sar);
      assertThat(alice.status()).isEqualTo(403);
      assertThat(alice.json().path("error").asText()).isEqualTo("forbidden");
      for (String bad : new String[] {"", "{", "[]", "{\"apiVersion\":\"authorization.k8s.io/v1beta1\",\"kind\":\"SubjectAccessReview\",\"spec\":{}}",
          "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SubjectAccessReview\",\"spec\":[]}",
          "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"TokenReview\",\"spec\":{}}"}) {
        Harness.Res r = h.post(Harness.ENFORCER, PATH, bad);
        assertThat(r.status()).as(bad).isEqualTo(400);
        assertThat(r.json().path("error").asText()).isEqualTo("bad_request");
        assertThat(r.json().path("message").asText()).isNotBlank();
      }
      Harness.Res big = h.post(Harness.ENFORCER, PATH, "{\"x\":\"" + "a".repeat(70_000) + "\"}");
      assertThat(big.status()).isEqualTo(413);
      // The refusals are in the audit chain.
      assertThat(h.cp.store().audit(0, 1000)).extracting(e -> e.type()).contains("auth.failed", "access.refused");
    }
  }

  @Test
  void withoutTheFlagThereIsNoWebhook(@TempDir Path tmp) throws Exception {
    try (Harness h = new Harness(tmp.resolve("data"))) {
      assertThat(h.post(Harness.ENFORCER, PATH, sar("alice", "list", "pods")).status()).isEqualTo(404);
    }
  }

  @Test
  void aDecisionThatCannotBeMadeIsNoOpinionWithTheError(@TempDir Path tmp) throws Exception {
    // Policies without the Kubernetes package: the decision is undefined, so no opinion (RBAC decides).
    Path policies = tmp.resolve("policies");
    Files.createDirectories(policies);
    copy(Harness.POLICIES, policies);
    deleteTree(policies.resolve("gatehouse/kubernetes"));
    try (Harness h = new Harness(tmp.resolve("data"), o -> {
      o.policiesDir = policies;
      o.kubernetes(false, true, null).tickInterval(Duration.ofSeconds(1));
    })) {
      JsonNode status = h.post(Harness.ENFORCER, PATH, sar("alice", "list", "pods")).json().path("status");
      assertThat(status.path("allowed").asBoolean()).isFalse();
      assertThat(status.path("evaluationError").asText()).contains("data.gatehouse.kubernetes.authz.decision");
    }
  }

  static void copy(Path from, Path to) throws java.io.IOException {
    try (var s = Files.walk(from)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    }
  }

  static void deleteTree(Path p) throws java.io.IOException {
    try (var s = Files.walk(p)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }
}
