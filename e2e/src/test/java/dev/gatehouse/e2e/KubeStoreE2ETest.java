package dev.gatehouse.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.cli.Main;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two control-plane processes ({@code gatehouse control-plane --store kubernetes}) sharing one
 * Kubernetes store in the real API server (issue 12 item 4): concurrent approvals of the same
 * requests through both replicas give exactly one grant each; the leader is killed with SIGKILL and
 * the other takes the Lease within the lease time and runs the once-only loops (a pending request
 * expires exactly once, on the new leader); nothing committed is lost and the audit chain verifies.
 */
@KubernetesE2E
class KubeStoreE2ETest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Duration LEASE = Duration.ofSeconds(4);
  static final Path FIXTURE = KubeTestEnv.repoRoot().resolve("control-plane/src/test/resources/fixture");
  static final String BOB = "tok-bob-0123456789ab";
  static final String ALICE = "tok-alice-0123456789";
  static final String CAROL = "tok-carol-0123456789";
  static final String AUDITOR = "tok-auditor-01234567";
  static final ResourceDefinitionContext GRANTS = new ResourceDefinitionContext.Builder()
      .withGroup("gatehouse.dev").withVersion("v1alpha1").withPlural("accessgrants").withNamespaced(true).build();

  static KubeTestEnv env;
  static KubernetesClient admin;
  static String ns;
  static Path work;
  static final Map<String, Replica> replicas = new HashMap<>();
  /** The control planes run as their ServiceAccount with deploy/control-plane-rbac.yaml's rights. */
  static Path kubeconfig;
  static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  record Replica(String name, Process process, String url) {}

  @BeforeAll
  static void start() throws Exception {
    env = KubeTestEnv.shared();
    admin = env.admin();
    // The CRDs as generated into deploy/crds/, applied as an operator would.
    for (Path f : List.of(KubeTestEnv.repoRoot().resolve("deploy/crds/accessrequests.gatehouse.dev-v1.yml"),
        KubeTestEnv.repoRoot().resolve("deploy/crds/accessgrants.gatehouse.dev-v1.yml"))) {
      try (var in = new FileInputStream(f.toFile())) {
        for (HasMetadata crd : admin.load(in).items()) {
          admin.resource(crd).forceConflicts().serverSideApply();
        }
      }
    }
    awaitTrue(() -> admin.apiextensions().v1().customResourceDefinitions().list().getItems().stream()
        .filter(c -> c.getSpec().getGroup().equals("gatehouse.dev")).filter(KubeStoreE2ETest::established).count() == 2,
        Duration.ofSeconds(30));
    ns = "gh-store-" + UUID.randomUUID().toString().substring(0, 6);
    admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
    work = KubeTestEnv.repoRoot().resolve("e2e/target/e2e-work/" + ns);
    Files.createDirectories(work);
    kubeconfig = ControlPlaneRbac.apply(env, admin, ns, work);
    awaitTrue(() -> allowed(ControlPlaneRbac.user(ns), ns, "update", "gatehouse.dev", "accessgrants", "status", null),
        Duration.ofSeconds(10)); // RBAC's cache has the binding
    Files.writeString(work.resolve("auth.json"), "{\"tokens_file\": \"" + FIXTURE.resolve("tokens.json") + "\"}");
    // One signing key for both replicas, as a Secret mounted into each pod would give them.
    Path first = work.resolve("cp1");
    assertThat(Main.run("control-plane", "--print-public-key", "--data-dir", first.toString())).isZero();
    Files.createDirectories(work.resolve("cp2"));
    Files.copy(first.resolve("signing-key.jwk"), work.resolve("cp2/signing-key.jwk"));
    List<CompletableFuture<Replica>> starting = new ArrayList<>();
    for (String name : List.of("cp1", "cp2")) {
      starting.add(CompletableFuture.supplyAsync(() -> fork(name)));
    }
    for (CompletableFuture<Replica> f : starting) {
      Replica r = f.get(120, TimeUnit.SECONDS);
      replicas.put(r.name(), r);
    }
    awaitTrue(() -> holder() != null, Duration.ofSeconds(30));
  }

  static boolean established(CustomResourceDefinition c) {
    return c.getStatus() != null && c.getStatus().getConditions() != null && c.getStatus().getConditions().stream()
        .anyMatch(k -> k.getType().equals("Established") && k.getStatus().equals("True"));
  }

  /** A control plane in its own JVM (so it can be killed with SIGKILL), through the CLI. */
  static Replica fork(String name) {
    try {
      Path log = work.resolve(name + ".log");
      Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), Main.class.getName(), "control-plane",
          "--data-dir", work.resolve(name).toString(), "--policies", KubeTestEnv.repoRoot().resolve("policies").toString(),
          "--org", FIXTURE.resolve("org.json").toString(), "--auth", work.resolve("auth.json").toString(), "--port", "0",
          "--store", "kubernetes", "--kubeconfig", kubeconfig.toString(), "--kube-namespace", ns,
          "--kube-lease", LEASE.toSeconds() + "s", "--kube-identity", name, "--pending-ttl", "25s",
          "--audit-log", work.resolve(name + "-audit.jsonl").toString())
          .redirectErrorStream(true).start();
      BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      Pattern listening = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)");
      StringBuilder seen = new StringBuilder();
      String line;
      while ((line = out.readLine()) != null) {
        seen.append(line).append('\n');
        Matcher m = listening.matcher(line);
        if (m.find()) {
          Thread drain = new Thread(() -> {
            try (var w = Files.newBufferedWriter(log)) {
              String l;
              while ((l = out.readLine()) != null) {
                w.write(l);
                w.newLine();
                w.flush();
              }
            } catch (java.io.IOException ignored) {
              // the process died
            }
          }, name + "-log");
          drain.setDaemon(true);
          drain.start();
          return new Replica(name, p, m.group(1));
        }
      }
      throw new IllegalStateException(name + " exited before listening:\n" + seen);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterAll
  static void stop() {
    replicas.values().forEach(r -> r.process().destroyForcibly());
    if (admin != null) {
      admin.close();
    }
  }

  static String holder() {
    Lease l = admin.leases().inNamespace(ns).withName("gatehouse-control-plane").get();
    return l == null || l.getSpec() == null ? null : l.getSpec().getHolderIdentity();
  }

  @Test
  void twoReplicasIssueEachGrantOnceAndTheOtherLeadsWhenTheLeaderIsKilled() throws Exception {
    Replica cp1 = replicas.get("cp1");
    Replica cp2 = replicas.get("cp2");

    // 8 production-write requests (two approvals each), half filed at each replica; for each, alice
    // approves at cp1 while carol approves at cp2, and alice votes a second time at cp2, all at once.
    int n = 8;
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      HttpResponse<String> r = post(i % 2 == 0 ? cp1 : cp2, "/api/v1/requests", BOB, prodWrite());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
      ids.add(JSON.readTree(r.body()).path("id").asText());
    }
    // Both replicas list them newest first (the store's filing numbers, not a replica's memory).
    for (Replica r : List.of(cp1, cp2)) {
      List<String> listed = new ArrayList<>();
      JSON.readTree(get(r, "/api/v1/requests?limit=100", BOB).body()).path("requests")
          .forEach(q -> listed.add(q.path("id").asText()));
      assertThat(listed).as("as listed by " + r.name()).containsExactlyElementsOf(newestFirst(ids));
    }
    Map<String, List<Integer>> aliceVotes = new HashMap<>();
    List<CompletableFuture<?>> votes = new ArrayList<>();
    for (String id : ids) {
      String path = "/api/v1/requests/" + id + "/reviews";
      CompletableFuture<Integer> a1 = CompletableFuture.supplyAsync(() -> status(post(cp1, path, ALICE, approve())));
      CompletableFuture<Integer> c2 = CompletableFuture.supplyAsync(() -> status(post(cp2, path, CAROL, approve())));
      CompletableFuture<Integer> a2 = CompletableFuture.supplyAsync(() -> status(post(cp2, path, ALICE, approve())));
      votes.add(CompletableFuture.allOf(a1, c2, a2).thenRun(() -> aliceVotes.put(id, List.of(a1.join(), a2.join()))));
      assertThat(c2.get(60, TimeUnit.SECONDS)).isEqualTo(201);
    }
    CompletableFuture.allOf(votes.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
    for (String id : ids) {
      assertThat(aliceVotes.get(id)).as("alice votes once on " + id).containsExactlyInAnyOrder(201, 409);
      JsonNode req = JSON.readTree(get(cp1, "/api/v1/requests/" + id, BOB).body());
      assertThat(req.path("state").asText()).isEqualTo("approved");
      assertThat(req.path("approvals").asInt()).isEqualTo(2);
    }
    Map<String, Long> grantsPerRequest = grantObjects().stream()
        .collect(Collectors.groupingBy(g -> String.valueOf(((Map<?, ?>) g.getAdditionalProperties().get("spec")).get("requestId")),
            Collectors.counting()));
    for (String id : ids) {
      assertThat(grantsPerRequest.get(id)).as("grants for " + id).isEqualTo(1L);
    }

    // A request nobody reviews: the pending TTL (25 s) expires it, on whichever replica leads then.
    HttpResponse<String> pending = post(cp2, "/api/v1/requests", BOB, prodWrite());
    String pendingId = JSON.readTree(pending.body()).path("id").asText();

    // Kill the leader with SIGKILL: it cannot give up the Lease.
    String leader = holder();
    Replica dead = replicas.get(leader);
    Replica survivor = dead == cp1 ? cp2 : cp1;
    long killed = System.nanoTime();
    dead.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    awaitTrue(() -> survivor.name().equals(holder()), Duration.ofSeconds(30));
    long takeoverMs = (System.nanoTime() - killed) / 1_000_000;
    // The survivor may take over once the Lease has not been renewed for LEASE, as it last observed
    // it; it looks every LEASE/5: so LEASE plus two retry periods, plus scheduling on a busy machine.
    System.err.println("[gatehouse-e2e] kube store: " + survivor.name() + " took the Lease " + takeoverMs + " ms after "
        + leader + " was killed (lease " + LEASE.toMillis() + " ms)");
    assertThat(takeoverMs).isLessThan(LEASE.toMillis() * 7 / 5 + 2_000);

    // Nothing lost: every request approved with its one grant, readable through the survivor.
    JsonNode all = JSON.readTree(get(survivor, "/api/v1/grants?limit=1000", AUDITOR).body());
    // The once-only loop runs on the new leader: the pending request expires, once.
    awaitTrue(() -> {
      try {
        return JSON.readTree(get(survivor, "/api/v1/requests/" + pendingId, BOB).body()).path("state").asText().equals("expired");
      } catch (Exception e) {
        return false;
      }
    }, Duration.ofSeconds(60));
    JsonNode verify = JSON.readTree(get(survivor, "/api/v1/audit/verify", AUDITOR).body());
    assertThat(verify.path("ok").asBoolean()).as(verify.toString()).isTrue();
    JsonNode audit = JSON.readTree(get(survivor, "/api/v1/audit?from=1&limit=1000", AUDITOR).body());
    List<String> types = new ArrayList<>();
    List<String> subjects = new ArrayList<>();
    for (JsonNode e : audit.path("events")) {
      types.add(e.path("type").asText());
      subjects.add(e.path("type").asText() + " " + e.path("subject").asText());
    }
    assertThat(types.stream().filter(t -> t.equals("grant.issued")).count()).isEqualTo(n);
    assertThat(subjects.stream().filter(s -> s.equals("request.expired " + pendingId)).count()).isEqualTo(1);
    assertThat(verify.path("checked").asLong()).isEqualTo(audit.path("events").size());
    System.err.println("[gatehouse-e2e] kube store: " + n + " requests, " + grantObjects().size() + " AccessGrants, "
        + verify.path("checked").asLong() + " audit events verified; grants listed by the survivor: "
        + all.path("grants").size());
  }

  /**
   * Least privilege (issue 12 item 5): the control plane's ServiceAccount, bound by
   * deploy/control-plane-rbac.yaml as shipped, may do what the Kubernetes store, leader election
   * and RoleBindings need, and is refused a sample of what they do not need.
   */
  @Test
  void theControlPlanesServiceAccountMayDoWhatItNeedsAndNothingElse() {
    String sa = ControlPlaneRbac.user(ns);
    String[][] needed = {
        {ns, "get", "gatehouse.dev", "accessrequests", "", ""}, {ns, "list", "gatehouse.dev", "accessgrants", "", ""},
        {ns, "create", "gatehouse.dev", "accessgrants", "", ""}, {ns, "update", "gatehouse.dev", "accessrequests", "", ""},
        {ns, "update", "gatehouse.dev", "accessrequests", "status", ""}, {ns, "update", "gatehouse.dev", "accessgrants", "status", ""},
        {ns, "get", "", "configmaps", "", "gatehouse-store"}, {ns, "create", "", "configmaps", "", ""},
        {ns, "update", "", "configmaps", "", "gatehouse-audit-0"},
        {ns, "create", "coordination.k8s.io", "leases", "", ""},
        {ns, "get", "coordination.k8s.io", "leases", "", "gatehouse-control-plane"},
        {ns, "patch", "coordination.k8s.io", "leases", "", "gatehouse-control-plane"},
        {"payments-prod", "create", "rbac.authorization.k8s.io", "rolebindings", "", ""},
        {"payments-prod", "delete", "rbac.authorization.k8s.io", "rolebindings", "", "gatehouse-gr-1"},
        {"", "list", "rbac.authorization.k8s.io", "rolebindings", "", ""},
        {"", "bind", "rbac.authorization.k8s.io", "clusterroles", "", "view"},
        {"", "bind", "rbac.authorization.k8s.io", "clusterroles", "", "edit"},
        {"", "bind", "rbac.authorization.k8s.io", "clusterroles", "", "admin"},
    };
    String[][] refused = {
        {ns, "get", "", "secrets", "", ""}, {ns, "list", "", "secrets", "", ""}, {"", "list", "", "secrets", "", ""},
        {ns, "delete", "gatehouse.dev", "accessgrants", "", ""}, {ns, "delete", "", "configmaps", "", "gatehouse-store"},
        {"kube-system", "update", "", "configmaps", "", ""}, {"payments-prod", "create", "gatehouse.dev", "accessgrants", "", ""},
        {ns, "patch", "coordination.k8s.io", "leases", "", "kube-controller-manager"},
        {"kube-system", "patch", "coordination.k8s.io", "leases", "", "gatehouse-control-plane"},
        {"", "bind", "rbac.authorization.k8s.io", "clusterroles", "", "cluster-admin"},
        {"", "escalate", "rbac.authorization.k8s.io", "clusterroles", "", "view"},
        {"", "create", "rbac.authorization.k8s.io", "clusterrolebindings", "", ""},
        {"payments-prod", "update", "rbac.authorization.k8s.io", "rolebindings", "", ""},
        {"payments-prod", "create", "rbac.authorization.k8s.io", "roles", "", ""},
        {"payments-prod", "create", "", "pods", "", ""}, {"payments-prod", "create", "", "pods", "exec", ""},
        {"", "impersonate", "", "users", "", ""}, {ns, "create", "", "serviceaccounts", "token", SA_NAME},
        {"", "watch", "rbac.authorization.k8s.io", "rolebindings", "", ""},
    };
    for (String[] r : needed) {
      assertThat(allowed(sa, r[0], r[1], r[2], r[3], r[4], r[5])).as("allowed: " + String.join(" ", r)).isTrue();
    }
    for (String[] r : refused) {
      assertThat(allowed(sa, r[0], r[1], r[2], r[3], r[4], r[5])).as("refused: " + String.join(" ", r)).isFalse();
    }
  }

  static final String SA_NAME = ControlPlaneRbac.SA;

  static boolean allowed(String user, String namespace, String verb, String group, String resource, String subresource,
      String name) {
    var sar = new io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder().withNewSpec()
        .withUser(user).withGroups("system:serviceaccounts", "system:serviceaccounts:" + ns, "system:authenticated")
        .withNewResourceAttributes().withNamespace(namespace).withVerb(verb).withGroup(group).withResource(resource)
        .withSubresource(subresource).withName(name).endResourceAttributes().endSpec().build();
    return admin.authorization().v1().subjectAccessReview().create(sar).getStatus().getAllowed();
  }

  /** A replica that dies between its commit and applying it: the next reader or writer applies the journal. */
  @Test
  void aCommitLeftUnappliedIsAppliedByWhoeverComesNext() throws Exception {
    String ns2 = ns + "-rf";
    admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns2).endMetadata().build()).create();
    var dying = dev.gatehouse.controlplane.store.kube.KubeStore.open(admin, ns2);
    dying.applyAfterCommit(false);
    java.time.Instant now = java.time.Instant.parse("2026-12-07T20:00:00Z");
    var doc = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(
        "{\"id\":\"req-0a1b2c3d4e5f\",\"requester\":{\"user\":\"bob\"}}");
    var record = new dev.gatehouse.controlplane.store.RequestRecord("req-0a1b2c3d4e5f", "bob", doc,
        dev.gatehouse.controlplane.store.RequestState.PENDING, JSON.createObjectNode().put("valid", true), now, now, null,
        null, false, false, "rev-1", null);
    dying.write(tx -> {
      tx.insertRequest(record);
      tx.audit(now, "request.filed", "bob", record.id(), "{}");
      tx.bumpGrantsSequence();
      return null;
    });
    var head = admin.configMaps().inNamespace(ns2).withName("gatehouse-store").get();
    assertThat(head.getData().get("journal")).contains("req-0a1b2c3d4e5f");
    assertThat(head.getData().get("commit")).isEqualTo("1");
    assertThat(admin.genericKubernetesResources(new ResourceDefinitionContext.Builder().withGroup("gatehouse.dev")
        .withVersion("v1alpha1").withPlural("accessrequests").withNamespaced(true).build())
        .inNamespace(ns2).withName(record.id()).get()).as("not applied yet").isNull();

    var next = dev.gatehouse.controlplane.store.kube.KubeStore.open(admin, ns2);
    assertThat(next.grantsSequence()).isEqualTo(1);
    // A transaction on the other replica applies the journal first, then sees the request.
    String seen = next.write(tx -> tx.reads().request(record.id()).map(r -> r.state().wire()).orElse("missing"));
    assertThat(seen).isEqualTo("pending");
    assertThat(next.request(record.id())).isPresent();
    assertThat(next.audit(1, 10)).singleElement().satisfies(e -> assertThat(e.type()).isEqualTo("request.filed"));
    assertThat(admin.configMaps().inNamespace(ns2).withName("gatehouse-store").get().getData().get("journal")).isEmpty();

    // Later commits build on it, and the status says which commit wrote it.
    next.write(tx -> {
      tx.updateRequest(record.withState(dev.gatehouse.controlplane.store.RequestState.CANCELLED, now.plusSeconds(5), "bob"));
      tx.audit(now.plusSeconds(5), "request.cancelled", "bob", record.id(), "{}");
      return null;
    });
    assertThat(next.request(record.id()).orElseThrow().state())
        .isEqualTo(dev.gatehouse.controlplane.store.RequestState.CANCELLED);
    var stored = admin.genericKubernetesResources(new ResourceDefinitionContext.Builder().withGroup("gatehouse.dev")
        .withVersion("v1alpha1").withPlural("accessrequests").withNamespaced(true).build())
        .inNamespace(ns2).withName(record.id()).get();
    assertThat(((Map<?, ?>) stored.getAdditionalProperties().get("status")).get("commit")).isEqualTo(2);
    assertThat(stored.getMetadata().getLabels()).containsEntry("gatehouse.dev/state", "cancelled");

    // The dying replica, slow rather than dead, applies its commit-1 journal only now: the request
    // keeps what commit 2 wrote.
    dying.applyJournal(head.getData().get("journal"));
    assertThat(next.request(record.id()).orElseThrow().state())
        .isEqualTo(dev.gatehouse.controlplane.store.RequestState.CANCELLED);
    assertThat(admin.genericKubernetesResources(new ResourceDefinitionContext.Builder().withGroup("gatehouse.dev")
        .withVersion("v1alpha1").withPlural("accessrequests").withNamespaced(true).build())
        .inNamespace(ns2).withName(record.id()).get().getMetadata().getLabels())
        .containsEntry("gatehouse.dev/state", "cancelled");
    assertThat(next.audit(1, 10)).hasSize(2); // the replayed event was already there: not duplicated
  }

  static List<GenericKubernetesResource> grantObjects() {
    return admin.genericKubernetesResources(GRANTS).inNamespace(ns).list().getItems();
  }

  static List<String> newestFirst(List<String> ids) {
    List<String> r = new ArrayList<>(ids);
    java.util.Collections.reverse(r);
    return r;
  }

  static String prodWrite() {
    return "{\"target\":{\"kind\":\"service\",\"service\":\"payments-api\",\"namespace\":\"payments-prod\","
        + "\"actions\":[\"read\",\"write\"]},\"duration\":\"2h\",\"reason\":\"Replay the failed settlement batch\","
        + "\"ticket\":\"PAY-1234\"}";
  }

  static String approve() {
    return "{\"decision\":\"approve\"}";
  }

  static int status(HttpResponse<String> r) {
    return r.statusCode();
  }

  static HttpResponse<String> post(Replica r, String path, String token, String body) {
    return send(HttpRequest.newBuilder(URI.create(r.url() + path)).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)), token);
  }

  static HttpResponse<String> get(Replica r, String path, String token) {
    return send(HttpRequest.newBuilder(URI.create(r.url() + path)).GET(), token);
  }

  static HttpResponse<String> send(HttpRequest.Builder b, String token) {
    try {
      return http.send(b.header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(60)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static void awaitTrue(java.util.function.BooleanSupplier c, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!c.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + timeout);
      }
      Thread.sleep(100);
    }
  }
}
