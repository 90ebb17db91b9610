package dev.gatehouse.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.injector.Mappers;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue item 3, "every guardrail that fires on the replay fixtures also fires through the API
 * server", for the CREATE fixtures: each fixture AdmissionReview is sent to the webhook directly
 * (the replay tests' path), and its object is created through the real API server by the
 * fixture's own user (admin impersonating them, in the fixture's namespace); the rules that deny
 * and warn must be the same.
 */
@KubernetesE2E
class FixtureParityE2ETest {
  static final String CONTROLLER = "system:serviceaccount:kube-system:replicaset-controller";
  static final List<String> CHANGES = List.of("deployment_delete", "statefulset_update");
  static final List<String> CONNECTS = List.of("pod_exec", "pod_attach", "pod_portforward");
  static final Pattern RULE = Pattern.compile("\\[([a-z][a-z0-9-]*)] ");

  static KubeTestEnv env;
  static KubernetesClient admin;
  static InProcessWebhook webhook;
  static WebhookRegistration registration;

  @BeforeAll
  static void start() throws Exception {
    env = KubeTestEnv.shared();
    admin = env.admin();
    String suite = WebhookRegistration.newSuite("parity");
    webhook = InProcessWebhook.start(Path.of("target/e2e-work", suite));
    registration = WebhookRegistration.register(admin, webhook, suite, o -> o);
    // the fixtures' namespaces, with their users allowed by RBAC as a team's developers would be
    Map<String, Set<String>> users = new LinkedHashMap<>();
    for (String f : List.of("pod_create", "pod_create_privileged", "deployment_create", "daemonset_create", "job_create",
        "cronjob_create", "pod_from_replicaset")) {
      JsonNode req = Fixtures.review(f).path("request");
      users.computeIfAbsent(req.path("namespace").asText(), k -> new LinkedHashSet<>())
          .add(req.path("userInfo").path("username").asText());
    }
    // the pods the CONNECT fixtures open, made as a controller would make them
    Map<String, String> connectTargets = new LinkedHashMap<>();
    for (String f : CONNECTS) {
      JsonNode req = Fixtures.review(f).path("request");
      Set<String> inNs = users.computeIfAbsent(req.path("namespace").asText(), k -> new LinkedHashSet<>());
      inNs.add(CONTROLLER);
      inNs.add(req.path("userInfo").path("username").asText());
      connectTargets.put(req.path("namespace").asText() + "/" + req.path("name").asText(),
          req.path("object").path("container").asText("app"));
    }
    // the objects the UPDATE and DELETE fixtures change, as they were before (oldObject), made by
    // admin before the namespaces come under the webhooks
    List<HasMetadata> existing = new ArrayList<>();
    for (String f : CHANGES) {
      JsonNode req = Fixtures.review(f).path("request");
      users.computeIfAbsent(req.path("namespace").asText(), k -> new LinkedHashSet<>())
          .add(req.path("userInfo").path("username").asText());
      existing.add(admin.getKubernetesSerialization().unmarshal(stripped(req.path("oldObject")).toString()));
    }
    for (Map.Entry<String, Set<String>> e : users.entrySet()) {
      registration.exactNamespace(e.getKey(), Map.of(), new ArrayList<>(e.getValue()), false);
    }
    for (HasMetadata o : existing) {
      admin.resource(o).create();
    }
    for (String ns : users.keySet()) {
      registration.enroll(ns);
    }
    try (KubernetesClient controller = env.impersonating(CONTROLLER,
        List.of("system:serviceaccounts", "system:serviceaccounts:kube-system"), new ArrayList<>())) {
      for (Map.Entry<String, String> t : connectTargets.entrySet()) {
        String[] nsName = t.getKey().split("/");
        var pod = Fixtures.compliantPod(nsName[1]);
        pod.getSpec().getContainers().get(0).setName(t.getValue());
        awaitCreated(controller, nsName[0], pod);
      }
    }
    WebhookRegistration.awaitEffective(admin, "payments-dev", Fixtures.privilegedPod("probe"),
        r -> r instanceof KubernetesClientException e && e.getMessage().contains("[pss-privileged]"), "validating");
  }

  /** Creates the pod, retrying while the webhook configuration is not yet in use (no sidecar wanted here). */
  static void awaitCreated(KubernetesClient as, String ns, io.fabric8.kubernetes.api.model.Pod pod) throws Exception {
    WebhookRegistration.awaitEffective(as, ns, Fixtures.privilegedPod("probe"),
        r -> r instanceof KubernetesClientException e && e.getMessage().contains("[pss-privileged]"), "validating");
    as.pods().inNamespace(ns).resource(pod).create();
  }

  @AfterAll
  static void stop() {
    if (registration != null) {
      registration.close();
    }
    if (webhook != null) {
      webhook.close();
    }
    if (admin != null) {
      admin.close();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"pod_exec", "pod_attach", "pod_portforward"})
  void connectFixturesAreDecidedTheSameThroughTheApiServer(String fixture) throws Exception {
    JsonNode review = Fixtures.review(fixture);
    JsonNode request = review.path("request");
    JsonNode replayed = Mappers.JSON.readTree(webhook.post("/validate", review.toString())).path("response");
    Outcome replay = new Outcome(replayed.path("allowed").asBoolean(),
        rules(replayed.path("status").path("message").asText()), Set.of());

    JsonNode opts = request.path("object");
    String sub = request.path("subResource").asText();
    StringBuilder uri = new StringBuilder("/api/v1/namespaces/" + request.path("namespace").asText() + "/pods/"
        + request.path("name").asText() + "/" + sub + "?");
    List<String> protocols;
    if (sub.equals("portforward")) {
      opts.path("ports").forEach(p -> uri.append("ports=").append(p.asInt()).append('&'));
      protocols = List.of("SPDY/3.1+portforward.k8s.io", "v4.channel.k8s.io");
    } else {
      uri.append("container=").append(opts.path("container").asText()).append("&stdin=true&stdout=true&tty=true");
      opts.path("command").forEach(c -> uri.append("&command=")
          .append(java.net.URLEncoder.encode(c.asText(), java.nio.charset.StandardCharsets.UTF_8)));
      protocols = List.of("v5.channel.k8s.io", "v4.channel.k8s.io");
    }
    List<String> groups = new ArrayList<>();
    request.path("userInfo").path("groups").forEach(g -> groups.add(g.asText()));
    Map<String, List<String>> headers = new LinkedHashMap<>();
    headers.put("Authorization", List.of("Bearer " + env.token("admin")));
    headers.put("Impersonate-User", List.of(request.path("userInfo").path("username").asText()));
    headers.put("Impersonate-Group", groups);
    try (WebSocketExec ws = new WebSocketExec(env)) {
      WebSocketExec.Outcome o = ws.upgrade(uri.toString(), headers, protocols);
      System.err.println("[gatehouse-e2e] " + fixture + ": " + o);
      assertThat(o.status()).as("refused or past admission, never upgraded: there is no kubelet").isNotEqualTo(101);
      Outcome viaApiServer = o.message().contains("guardrails.gatehouse.dev")
          ? new Outcome(false, rules(o.message()), Set.of()) : new Outcome(true, Set.of(), Set.of());
      if (viaApiServer.allowed()) {
        assertThat(o.message()).as("admitted, then no node").contains("does not have a host assigned");
      }
      assertThat(viaApiServer).as("%s through the API server vs replayed", fixture).isEqualTo(replay);
    }
  }

  static ObjectNode stripped(JsonNode o) {
    ObjectNode object = o.deepCopy();
    object.remove("status");
    ObjectNode meta = (ObjectNode) object.path("metadata");
    for (String f : List.of("uid", "resourceVersion", "creationTimestamp", "managedFields", "generation")) {
      meta.remove(f);
    }
    return object;
  }

  @ParameterizedTest
  @ValueSource(strings = {"deployment_delete", "statefulset_update"})
  void updateAndDeleteFixturesAreDecidedTheSameThroughTheApiServer(String fixture) throws Exception {
    JsonNode review = Fixtures.review(fixture);
    JsonNode request = review.path("request");
    JsonNode replayed = Mappers.JSON.readTree(webhook.post("/validate", review.toString())).path("response");
    Outcome replay = new Outcome(replayed.path("allowed").asBoolean(),
        rules(replayed.path("status").path("message").asText()), Set.of());

    String ns = request.path("namespace").asText();
    String name = request.path("name").asText();
    List<String> groups = new ArrayList<>();
    request.path("userInfo").path("groups").forEach(g -> groups.add(g.asText()));
    List<String> warnings = new ArrayList<>();
    Outcome viaApiServer;
    try (KubernetesClient as = env.impersonating(request.path("userInfo").path("username").asText(), groups, warnings)) {
      if (request.path("operation").asText().equals("DELETE")) {
        as.apps().deployments().inNamespace(ns).withName(name).dryRun().delete();
      } else {
        io.fabric8.kubernetes.api.model.apps.StatefulSet wanted = admin.getKubernetesSerialization()
            .unmarshal(stripped(request.path("object")).toString());
        as.apps().statefulSets().inNamespace(ns).withName(name).dryRun().edit(live -> {
          live.getMetadata().setLabels(wanted.getMetadata().getLabels());
          live.setSpec(wanted.getSpec());
          return live;
        });
      }
      viaApiServer = new Outcome(true, Set.of(), Set.of());
    } catch (KubernetesClientException e) {
      String msg = e.getStatus() != null ? e.getStatus().getMessage() : e.getMessage();
      assertThat(msg).as("refused by our webhook, not by RBAC or validation").contains("guardrails.gatehouse.dev");
      viaApiServer = new Outcome(false, rules(msg), Set.of());
    }
    System.err.println("[gatehouse-e2e] " + fixture + ": " + viaApiServer);
    assertThat(viaApiServer).as("%s through the API server vs replayed", fixture).isEqualTo(replay);
  }

  record Outcome(boolean allowed, Set<String> denied, Set<String> warned) {}

  static Set<String> rules(String text) {
    Set<String> out = new TreeSet<>();
    Matcher m = RULE.matcher(text == null ? "" : text);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {"pod_create", "pod_create_privileged", "deployment_create", "daemonset_create", "job_create",
      "cronjob_create", "pod_from_replicaset"})
  void theRulesThatFireOnReplayFireThroughTheApiServer(String fixture) throws Exception {
    JsonNode review = Fixtures.review(fixture);
    JsonNode request = review.path("request");

    JsonNode replayed = Mappers.JSON.readTree(webhook.post("/validate", review.toString())).path("response");
    List<String> replayWarnings = new ArrayList<>();
    replayed.path("warnings").forEach(w -> replayWarnings.add(w.asText()));
    Outcome replay = new Outcome(replayed.path("allowed").asBoolean(),
        rules(replayed.path("status").path("message").asText()), rules(String.join("\n", replayWarnings) + "\n"));

    ObjectNode object = request.path("object").deepCopy();
    object.remove("status");
    ObjectNode meta = (ObjectNode) object.path("metadata");
    for (String f : List.of("uid", "resourceVersion", "creationTimestamp", "managedFields", "generation")) {
      meta.remove(f);
    }
    if ("Job".equals(object.path("kind").asText())) {
      // what the API server generated when it stored the fixture's Job; a user's manifest has none
      ((ObjectNode) object.path("spec")).remove("selector");
      JsonNode labels = object.path("spec").path("template").path("metadata").path("labels");
      if (labels instanceof ObjectNode l) {
        l.remove(List.of("controller-uid", "batch.kubernetes.io/controller-uid", "job-name", "batch.kubernetes.io/job-name"));
      }
    }
    HasMetadata resource = admin.getKubernetesSerialization().unmarshal(object.toString());
    List<String> warnings = new ArrayList<>();
    List<String> groups = new ArrayList<>();
    request.path("userInfo").path("groups").forEach(g -> groups.add(g.asText()));
    Outcome viaApiServer;
    try (KubernetesClient as = env.impersonating(request.path("userInfo").path("username").asText(), groups, warnings)) {
      // a dry run: admission runs in full, nothing is stored, so each fixture can be replayed as is
      as.resource(resource).inNamespace(request.path("namespace").asText()).dryRun().create();
      viaApiServer = new Outcome(true, Set.of(), rules(String.join("\n", warnings) + "\n"));
    } catch (KubernetesClientException e) {
      String msg = e.getStatus() != null ? e.getStatus().getMessage() : e.getMessage();
      assertThat(msg).as("refused by our webhook, not by RBAC or validation").contains("guardrails.gatehouse.dev");
      viaApiServer = new Outcome(false, rules(msg), rules(String.join("\n", warnings) + "\n"));
    }

    System.err.println("[gatehouse-e2e] " + fixture + ": " + viaApiServer);
    assertThat(viaApiServer).as("%s through the API server vs replayed", fixture).isEqualTo(replay);
    if (fixture.equals("pod_create_privileged")) {
      assertThat(replay.denied()).as("the comparison is not vacuous").contains("pss-privileged", "pss-host-path");
    }
  }
}
