package dev.gatehouse.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.cli.Main;
import dev.gatehouse.controlplane.ControlPlane;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Namespace grants reach the API server, both ways (issue 12 item 6), against a real kube-apiserver
 * of this class's own, started with {@code scripts/k8s-test-env start --authz-webhook ...} so its
 * authorization is deploy/kube-apiserver/authorization-config.yaml as shipped: Gatehouse's webhook,
 * then Node, then RBAC.
 *
 * <ul>
 *   <li>{@code webhook}: a control plane with {@code --kube-authz} on the port that configuration
 *       names, over TLS, the API server authenticating with an enforcer token;
 *   <li>{@code bindings}: a second control plane (its own store, so the webhook knows nothing of its
 *       grants and has no opinion) with {@code --kube-rolebindings} and a clock the test moves.
 * </ul>
 *
 * alice is the same person in both: "alice" to the control plane (her Gatehouse token) and to the
 * API server (her Kubernetes token). She holds no RBAC binding of her own in payments-prod.
 */
@KubernetesE2E(shared = false)
class NamespaceGrantsE2ETest {
  static final String NS = "payments-prod";
  static final String ALICE_GH = "tok-alice-e2e-0123456789";
  static final String ENFORCER = "tok-kube-apiserver-e2e-0123";
  static final ObjectMapper JSON = new ObjectMapper();

  static Path work;
  static KubeTestEnv env;
  static ControlPlane webhookCp;
  static ControlPlane bindingsCp;
  static MovableClock clock = new MovableClock(Instant.now());
  static HttpClient http;
  /** The RoleBindings control plane runs as its ServiceAccount with deploy/control-plane-rbac.yaml's rights. */
  static Path saKubeconfig;
  static KubernetesClient admin;
  static KubernetesClient alice;
  static KubernetesClient bob;

  @BeforeAll
  static void start() throws Exception {
    work = KubeTestEnv.repoRoot().resolve("e2e/target/e2e-work/namespace-grants");
    if (Files.exists(work)) { // the stores of an earlier run
      try (var files = Files.walk(work)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
    Files.createDirectories(work);
    Path certs = work.resolve("certs");
    assertThat(Main.run("webhook", "certs", "-o", certs.toString(), "--host", "127.0.0.1", "--days", "2")).isZero();
    Files.writeString(work.resolve("tokens.json"), """
        {"tokens": [
          {"token": "%s", "user": "alice", "groups": ["payments-devs"]},
          {"token": "%s", "user": "kube-apiserver", "roles": ["enforcer"]}
        ]}
        """.formatted(ALICE_GH, ENFORCER));
    Files.writeString(work.resolve("enforcer-token"), ENFORCER);
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    env = KubeTestEnv.startDedicated(List.of("--authz-webhook", "https://127.0.0.1:" + port + "/kubernetes/authorize",
        "--authz-token-file", work.resolve("enforcer-token").toString(), "--authz-ca", certs.resolve("ca.crt").toString()));
    webhookCp = ControlPlane.start(options("webhook-cp").listen("127.0.0.1", port)
        .tls(certs.resolve("tls.crt"), certs.resolve("tls.key")).kubernetes(false, true, null));
    http = httpClient(certs.resolve("ca.crt"));
    admin = env.admin();
    admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("gatehouse-system").endMetadata().build())
        .create();
    saKubeconfig = ControlPlaneRbac.apply(env, admin, "gatehouse-system", work);
    await(() -> Sar.allowed(admin, ControlPlaneRbac.user("gatehouse-system"), "payments-prod", "create",
        "rbac.authorization.k8s.io", "rolebindings"), Duration.ofSeconds(10), System.nanoTime());
    bindingsCp = startBindingsCp();
    alice = env.client("alice");
    bob = env.client("bob");
    admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
    // No controller manager here: do the aggregation controller's job for the view ClusterRole the
    // RoleBindings name (in a cluster it aggregates system:aggregate-to-view and friends).
    ClusterRole toView = admin.rbac().clusterRoles().withName("system:aggregate-to-view").get();
    admin.rbac().clusterRoles().withName("view").edit(cr -> {
      cr.setRules(toView.getRules());
      return cr;
    });
  }

  static ControlPlane.Options options(String dir) {
    return new ControlPlane.Options(work.resolve(dir), KubeTestEnv.repoRoot().resolve("policies"))
        .orgFile(KubeTestEnv.repoRoot().resolve("control-plane/src/test/resources/fixture/org.json"))
        .tokensFile(work.resolve("tokens.json"));
  }

  static ControlPlane startBindingsCp() throws IOException {
    return ControlPlane.start(options("bindings-cp").listen("127.0.0.1", 0).clock(clock)
        .kubernetes(true, false, saKubeconfig).kubeResync(Duration.ofSeconds(2)));
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable c : new AutoCloseable[] {bindingsCp, webhookCp, alice, bob, admin}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        System.err.println("[gatehouse-e2e] close: " + e.getMessage());
      }
    }
    if (env != null) {
      env.stop();
    }
  }

  // ------------------------------------------------------------------ the authorization webhook

  @Test
  void authorizationWebhookAllowsWhatAnActiveGrantCoversAndNothingAfterItsRevocation() throws Exception {
    assertThat(listPods(alice)).contains("no gatehouse grant for alice in namespace payments-prod");

    long filed = System.nanoTime();
    String grant = fileViewGrant(webhookCp);
    long allowedMs = await(() -> listPods(alice) == null, Duration.ofSeconds(10), filed);
    System.err.println("[gatehouse-e2e] webhook: alice may list pods " + allowedMs + " ms after the grant was filed");
    assertThat(allowedMs).isLessThan(5_000);
    assertThat(alice.pods().inNamespace(NS).withName("nothing-here").get()).isNull(); // get: 404, not 403

    // What the grant does not cover stays RBAC's answer (forbidden); other people get nothing.
    assertThat(forbidden(() -> alice.secrets().inNamespace(NS).list()))
        .contains("grant " + grant + " (role view) does not cover list secrets");
    assertThat(forbidden(() -> alice.pods().inNamespace(NS).withName("p").delete())).isNotNull();
    assertThat(forbidden(() -> alice.pods().inNamespace("default").list())).isNotNull();
    assertThat(listPods(bob)).contains("no gatehouse grant for bob");

    long revoked = System.nanoTime();
    revoke(webhookCp, grant);
    long forbiddenMs = await(() -> listPods(alice) != null, Duration.ofSeconds(15), revoked);
    System.err.println("[gatehouse-e2e] webhook: alice forbidden again " + forbiddenMs + " ms after the revocation");
    assertThat(forbiddenMs).isLessThan(5_000); // authorizedTTL 2 s in the shipped configuration
    assertThat(listPods(alice)).contains("grant " + grant + " was revoked");
  }

  @Test
  void theWebhookRefusesCallersThatAreNotEnforcersAndBadBodies() throws Exception {
    String sar = Files.readString(KubeTestEnv.repoRoot()
        .resolve("policies/gatehouse/testdata/kubernetes/alice_list_pods/subject-access-review.json"));
    assertThat(post(webhookCp, "/kubernetes/authorize", null, sar).statusCode()).isEqualTo(401);
    HttpResponse<String> asAlice = post(webhookCp, "/kubernetes/authorize", ALICE_GH, sar);
    assertThat(asAlice.statusCode()).isEqualTo(403);
    assertThat(JSON.readTree(asAlice.body()).path("error").asText()).isEqualTo("forbidden");
    HttpResponse<String> bad = post(webhookCp, "/kubernetes/authorize", ENFORCER, "{\"kind\": \"TokenReview\"}");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(bad.body()).path("message").asText()).contains("SubjectAccessReview");
    assertThat(post(webhookCp, "/kubernetes/authorize", ENFORCER, "{not json").statusCode()).isEqualTo(400);
    HttpResponse<String> ok = post(webhookCp, "/kubernetes/authorize", ENFORCER, sar);
    assertThat(ok.statusCode()).isEqualTo(200);
    JsonNode status = JSON.readTree(ok.body()).path("status");
    assertThat(status.path("allowed").asBoolean()).isFalse();
    assertThat(status.has("denied")).isFalse();
  }

  // ------------------------------------------------------------------ RoleBindings

  @Test
  void aRoleBindingLivesExactlyAsLongAsItsGrantAndIsRepaired() throws Exception {
    assertThat(listPods(alice)).isNotNull();

    long filed = System.nanoTime();
    String grant = fileViewGrant(bindingsCp);
    long allowedMs = await(() -> listPods(alice) == null, Duration.ofSeconds(10), filed);
    System.err.println("[gatehouse-e2e] rolebindings: alice may list pods " + allowedMs + " ms after the grant was filed");
    RoleBinding rb = binding(grant);
    assertThat(rb.getMetadata().getName()).isEqualTo("gatehouse-" + grant);
    assertThat(rb.getMetadata().getLabels()).containsEntry("gatehouse.dev/grant", grant)
        .containsEntry("app.kubernetes.io/managed-by", "gatehouse");
    assertThat(rb.getRoleRef().getKind()).isEqualTo("ClusterRole");
    assertThat(rb.getRoleRef().getName()).isEqualTo("view"); // data.gatehouse.config.kubernetes: view → view
    assertThat(rb.getSubjects()).singleElement().satisfies(s -> {
      assertThat(s.getKind()).isEqualTo("User");
      assertThat(s.getName()).isEqualTo("alice");
    });
    assertThat(forbidden(() -> alice.secrets().inNamespace(NS).list())).isNotNull(); // view has no secrets

    // Deleted by hand: back within the resync (2 s here).
    admin.rbac().roleBindings().inNamespace(NS).withName("gatehouse-" + grant).delete();
    long deleted = System.nanoTime();
    long repairedMs = await(() -> binding(grant) != null, Duration.ofSeconds(15), deleted);
    System.err.println("[gatehouse-e2e] rolebindings: a binding deleted by hand was back after " + repairedMs + " ms");

    long revoked = System.nanoTime();
    revoke(bindingsCp, grant);
    long goneMs = await(() -> binding(grant) == null && listPods(alice) != null, Duration.ofSeconds(15), revoked);
    System.err.println("[gatehouse-e2e] rolebindings: binding gone and alice forbidden " + goneMs + " ms after the revocation");
    assertThat(goneMs).isLessThan(5_000);
    await(() -> auditTypes(bindingsCp, grant).contains("kube.rolebinding.deleted"), Duration.ofSeconds(5), revoked);
    assertThat(auditTypes(bindingsCp, grant)).contains("kube.rolebinding.created", "grant.revoked", "kube.rolebinding.deleted");
  }

  @Test
  void aBindingWhoseGrantEndedDuringAnOutageIsRemovedAtRestart() throws Exception {
    String grant = fileViewGrant(bindingsCp);
    await(() -> binding(grant) != null && listPods(alice) == null, Duration.ofSeconds(10), System.nanoTime());

    bindingsCp.close(); // the outage: nobody is there when the grant expires
    bindingsCp = null;
    clock.advance(Duration.ofMinutes(31));
    Thread.sleep(3_000);
    assertThat(binding(grant)).as("nothing removes it while the control plane is down").isNotNull();

    long restarted = System.nanoTime();
    bindingsCp = startBindingsCp();
    long goneMs = await(() -> binding(grant) == null && listPods(alice) != null, Duration.ofSeconds(15), restarted);
    System.err.println("[gatehouse-e2e] rolebindings: expired during the outage, removed " + goneMs + " ms after the restart");
    // audited right after the delete call returns; the grant's own state moves at the next 1 s tick
    // (the binding goes by the clock, not by that state change)
    await(() -> auditTypes(bindingsCp, grant).containsAll(List.of("kube.rolebinding.deleted", "grant.expired")),
        Duration.ofSeconds(5), restarted);
  }

  // ------------------------------------------------------------------ helpers

  /** null when alice (or bob) may list the pods of payments-prod, else the API server's refusal. */
  static String listPods(KubernetesClient user) {
    return forbidden(() -> user.pods().inNamespace(NS).list());
  }

  static String forbidden(Runnable call) {
    try {
      call.run();
      return null;
    } catch (KubernetesClientException e) {
      if (e.getCode() != 403) {
        throw e;
      }
      return e.getStatus() != null ? e.getStatus().getMessage() : e.getMessage();
    }
  }

  static RoleBinding binding(String grant) {
    return admin.rbac().roleBindings().inNamespace(NS).withLabel("gatehouse.dev/grant", grant).list().getItems()
        .stream().findFirst().orElse(null);
  }

  /** Polls until the condition holds; returns the milliseconds since {@code since} (System.nanoTime). */
  static long await(BooleanSupplier condition, Duration timeout, long since) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + timeout);
      }
      Thread.sleep(50);
    }
    return (System.nanoTime() - since) / 1_000_000;
  }

  /** alice asks for view in payments-prod: production, read level, auto-approved by the policy. */
  static String fileViewGrant(ControlPlane cp) throws Exception {
    HttpResponse<String> r = post(cp, "/api/v1/requests", ALICE_GH, """
        {"target": {"kind": "namespace", "namespace": "payments-prod", "role": "view"}, "duration": "30m",
         "reason": "look at the pods for INC-4242", "ticket": "INC-4242"}""");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    JsonNode req = JSON.readTree(r.body());
    assertThat(req.path("state").asText()).isEqualTo("approved");
    return req.path("grant_id").asText();
  }

  static void revoke(ControlPlane cp, String grant) throws Exception {
    HttpResponse<String> r = post(cp, "/api/v1/grants/" + grant + "/revoke", ALICE_GH, "{\"reason\": \"done\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  static List<String> auditTypes(ControlPlane cp, String subject) {
    return cp.store().audit(0, 10_000).stream().filter(e -> subject.equals(e.subject())).map(e -> e.type()).toList();
  }

  static HttpResponse<String> post(ControlPlane cp, String path, String token, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(cp.url() + path)).timeout(Duration.ofSeconds(20))
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpClient httpClient(Path ca) throws Exception {
    X509Certificate cert;
    try (var in = Files.newInputStream(ca)) {
      cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
    ks.load(null, null);
    ks.setCertificateEntry("ca", cert);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    return HttpClient.newBuilder().sslContext(ssl).version(HttpClient.Version.HTTP_1_1).build();
  }

  /** SubjectAccessReviews as admin. */
  static final class Sar {
    static boolean allowed(KubernetesClient admin, String user, String ns, String verb, String group, String resource) {
      var sar = new io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder().withNewSpec()
          .withUser(user).withNewResourceAttributes().withNamespace(ns).withVerb(verb).withGroup(group)
          .withResource(resource).endResourceAttributes().endSpec().build();
      return admin.authorization().v1().subjectAccessReview().create(sar).getStatus().getAllowed();
    }
  }

  /** A clock the test moves forward (the bindings control plane's "now"). */
  static final class MovableClock extends Clock {
    private volatile Instant base;
    private final long startNanos = System.nanoTime();

    MovableClock(Instant base) {
      this.base = base;
    }

    void advance(Duration d) {
      base = base.plus(d);
    }

    @Override
    public Instant instant() {
      return base.plusNanos(System.nanoTime() - startNanos);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
