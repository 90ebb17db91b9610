package dev.gatehouse.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Routing in deploy/webhook-configurations.yaml matches the policy (issue 12 item 3): the API
 * server's proxy to a pod or a service (CONNECT pods/proxy, services/proxy) needs a pod-exec grant
 * as port-forward does, and deleting a pod in a protected namespace needs a deploy grant.
 */
@KubernetesE2E
class RoutingE2ETest {
  static KubeTestEnv env;
  static KubernetesClient admin;
  static KubernetesClient alice;
  static InProcessWebhook webhook;
  static WebhookRegistration registration;
  static String prod;
  static HttpClient http;

  @BeforeAll
  static void start() throws Exception {
    env = KubeTestEnv.shared();
    admin = env.admin();
    alice = env.client("alice");
    String suite = WebhookRegistration.newSuite("routing");
    webhook = InProcessWebhook.start(Path.of("target/e2e-work", suite));
    registration = WebhookRegistration.register(admin, webhook, suite, o -> o);
    // "*-prod" is a protected namespace: the pod and service are made before it is enrolled (admin
    // holds no deploy grant either)
    prod = (suite + "-prod").toLowerCase();
    registration.exactNamespace(prod, Map.of(), List.of("alice"), false);
    admin.pods().inNamespace(prod).resource(Fixtures.compliantPod("web-0")).create();
    admin.services().inNamespace(prod).resource(new ServiceBuilder().withNewMetadata().withName("web").endMetadata()
        .withNewSpec().addNewPort().withPort(80).endPort().addToSelector("app.kubernetes.io/name", "payments-api")
        .endSpec().build()).create();
    registration.enroll(prod);
    WebhookRegistration.awaitEffective(admin, prod, Fixtures.privilegedPod("probe"),
        r -> r instanceof KubernetesClientException e && e.getMessage().contains("[pss-privileged]"), "validating");
    http = NamespaceGrantsE2ETest.httpClient(env.caFile());
  }

  @AfterAll
  static void stop() {
    if (registration != null) {
      registration.close();
    }
    if (webhook != null) {
      webhook.close();
    }
    if (alice != null) {
      alice.close();
    }
    if (admin != null) {
      admin.close();
    }
  }

  static HttpResponse<String> aliceGet(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(env.apiUrl() + path)).timeout(Duration.ofSeconds(20))
        .header("Authorization", "Bearer " + env.token("alice")).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  @SuppressWarnings("unchecked")
  @Test
  void theApiServerProxyToPodsAndServicesNeedsAPodExecGrant() throws Exception {
    webhook.grants(List.of());
    HttpResponse<String> pod = aliceGet("/api/v1/namespaces/" + prod + "/pods/web-0/proxy/metrics");
    assertThat(pod.statusCode()).as(pod.body()).isEqualTo(403);
    assertThat(pod.body()).contains("[pod-connect-grant] the API server proxy (pods/proxy) into pod " + prod
        + "/web-0 needs an active pod-exec grant for alice");
    HttpResponse<String> svc = aliceGet("/api/v1/namespaces/" + prod + "/services/web/proxy/");
    assertThat(svc.statusCode()).as(svc.body()).isEqualTo(403);
    assertThat(svc.body()).contains("[pod-connect-grant] the API server proxy (services/proxy) to service " + prod
        + "/web needs an active pod-exec grant for alice for every pod of " + prod);

    // A grant for that pod only: the pod's proxy passes admission, the service's does not.
    webhook.grants(List.of(Fixtures.podExecGrant("gr-proxy-1", "alice", prod, "web-0")));
    HttpResponse<String> podGranted = aliceGet("/api/v1/namespaces/" + prod + "/pods/web-0/proxy/metrics");
    assertThat(podGranted.body()).doesNotContain("pod-connect-grant");
    assertThat(podGranted.statusCode()).as(podGranted.body()).isNotEqualTo(403); // no kubelet or pod IP here
    assertThat(aliceGet("/api/v1/namespaces/" + prod + "/services/web/proxy/").body())
        .contains("for every pod of " + prod);

    // A grant for every pod of the namespace covers the service too.
    Map<String, Object> wide = Fixtures.podExecGrant("gr-proxy-2", "alice", prod, "*");
    ((Map<String, Object>) wide.get("target")).remove("pod");
    webhook.grants(List.of(wide));
    HttpResponse<String> svcGranted = aliceGet("/api/v1/namespaces/" + prod + "/services/web/proxy/");
    assertThat(svcGranted.body()).doesNotContain("pod-connect-grant");
    assertThat(svcGranted.statusCode()).as(svcGranted.body()).isNotEqualTo(403);
    webhook.grants(List.of());
  }

  @Test
  void deletingAPodInAProtectedNamespaceNeedsADeployGrant() throws Exception {
    webhook.grants(List.of(deployGrant("gr-deploy-1", "alice", prod)));
    alice.pods().inNamespace(prod).resource(Fixtures.compliantPod("web-1")).create();
    webhook.grants(List.of());
    KubernetesClientException refused = catchThrowableOfType(KubernetesClientException.class,
        () -> alice.pods().inNamespace(prod).withName("web-1").delete());
    assertThat(refused).isNotNull();
    assertThat(refused.getCode()).isEqualTo(403);
    assertThat(AdmissionE2ETest.message(refused))
        .contains("[protected-namespace-deploy] delete Pod web-1 in protected namespace " + prod);
    assertThat(admin.pods().inNamespace(prod).withName("web-1").get()).isNotNull();

    webhook.grants(List.of(deployGrant("gr-deploy-2", "alice", prod)));
    alice.pods().inNamespace(prod).withName("web-1").delete();
    webhook.grants(List.of());
  }

  static Map<String, Object> deployGrant(String id, String subject, String namespace) {
    Instant now = Instant.now();
    Map<String, Object> g = new LinkedHashMap<>();
    g.put("id", id);
    g.put("request_id", "req-" + id);
    g.put("subject", subject);
    g.put("target", Map.of("kind", "namespace", "namespace", namespace, "role", "deploy"));
    g.put("not_before", now.minusSeconds(60).toString());
    g.put("expires_at", now.plusSeconds(1800).toString());
    g.put("approvers", List.of("bob"));
    g.put("policy_revision", "e2e");
    return g;
  }
}
