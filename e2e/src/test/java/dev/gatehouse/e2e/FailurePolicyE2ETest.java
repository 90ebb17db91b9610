package dev.gatehouse.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * deploy/webhook-configurations.yaml's failure policies while no webhook replica answers: Fail
 * (as shipped) refuses what the webhooks cover except Gatehouse's own namespace; Ignore admits it
 * without a sidecar and without guardrails — the availability-over-enforcement trade the comment
 * in the manifest describes.
 */
@KubernetesE2E
class FailurePolicyE2ETest {
  static KubeTestEnv env;
  static KubernetesClient admin;
  static KubernetesClient alice;
  static InProcessWebhook webhook;
  static WebhookRegistration registration;
  static String enabled;
  static String plain;

  @BeforeAll
  static void start() throws Exception {
    env = KubeTestEnv.shared();
    admin = env.admin();
    alice = env.client("alice");
    String suite = WebhookRegistration.newSuite("fail");
    webhook = InProcessWebhook.start(Path.of("target/e2e-work", suite));
    registration = WebhookRegistration.register(admin, webhook, suite, o -> o);
    enabled = registration.namespace("enabled", Map.of("gatehouse.dev/inject", "enabled"));
    plain = registration.namespace("plain", Map.of());
    WebhookRegistration.awaitEffective(admin, enabled, Fixtures.compliantPod("probe"),
        r -> r instanceof Pod p && AdmissionE2ETest.sidecars(p) == 1, "mutating");
    WebhookRegistration.awaitEffective(admin, plain, Fixtures.privilegedPod("probe"),
        r -> r instanceof KubernetesClientException e && e.getMessage().contains("[pss-privileged]"), "validating");
    // what the API server sees when no replica is up: nothing listens on the webhook's port
    webhook.close();
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

  @Test
  void failClosesAndIgnoreOpensWhileTheWebhookIsDown() throws Exception {
    // --- failurePolicy: Fail, as shipped
    KubernetesClientException injected = catchThrowableOfType(KubernetesClientException.class,
        () -> alice.pods().inNamespace(enabled).resource(Fixtures.compliantPod("web-1")).create());
    assertThat(injected).as("pod in an opted-in namespace while the injector is down").isNotNull();
    assertThat(injected.getCode()).isEqualTo(500);
    assertThat(AdmissionE2ETest.message(injected))
        .contains("failed calling webhook \"namespace.inject.gatehouse.dev\"")
        .contains("127.0.0.1:" + webhook.port());

    KubernetesClientException guarded = catchThrowableOfType(KubernetesClientException.class,
        () -> alice.pods().inNamespace(plain).resource(Fixtures.compliantPod("web-1")).create());
    assertThat(guarded).as("any pod while the guardrails are down").isNotNull();
    assertThat(AdmissionE2ETest.message(guarded)).contains("failed calling webhook \"guardrails.gatehouse.dev\"");
    assertThat(alice.pods().inNamespace(plain).withName("web-1").get()).isNull();

    // Gatehouse's own namespace is excluded by name, so the webhook can always be redeployed
    String own = "gatehouse-system";
    if (admin.namespaces().withName(own).get() == null) {
      admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(own).endMetadata().build()).create();
    }
    admin.namespaces().withName(own).edit(n -> {
      n.getMetadata().getLabels().put(WebhookRegistration.SUITE_LABEL, registration.suite());
      return n;
    });
    Pod webhookPod = Fixtures.compliantPod("gatehouse-webhook-redeploy");
    Pod redeployed = admin.pods().inNamespace(own).resource(webhookPod).dryRun().create();
    assertThat(redeployed.getMetadata().getName()).isEqualTo("gatehouse-webhook-redeploy");

    // --- failurePolicy: Ignore on every webhook
    for (HasMetadata o : registration.created()) {
      if (o instanceof MutatingWebhookConfiguration m) {
        admin.admissionRegistration().v1().mutatingWebhookConfigurations().withName(m.getMetadata().getName())
            .edit(c -> {
              c.getWebhooks().forEach(w -> w.setFailurePolicy("Ignore"));
              return c;
            });
      } else if (o instanceof ValidatingWebhookConfiguration v) {
        admin.admissionRegistration().v1().validatingWebhookConfigurations().withName(v.getMetadata().getName())
            .edit(c -> {
              c.getWebhooks().forEach(w -> w.setFailurePolicy("Ignore"));
              return c;
            });
      }
    }
    WebhookRegistration.awaitEffective(admin, enabled, Fixtures.compliantPod("probe"),
        r -> r instanceof Pod, "failurePolicy Ignore");

    Pod unguarded = alice.pods().inNamespace(enabled).resource(Fixtures.compliantPod("web-2")).create();
    assertThat(AdmissionE2ETest.sidecars(unguarded)).as("admitted without the sidecar").isZero();
    assertThat(unguarded.getMetadata().getAnnotations() == null ? Map.of() : unguarded.getMetadata().getAnnotations())
        .doesNotContainKey(AdmissionE2ETest.STATUS);
    Pod privileged = alice.pods().inNamespace(plain).resource(Fixtures.privilegedPod("debug-shell")).create();
    assertThat(privileged.getSpec().getContainers().get(0).getSecurityContext().getPrivileged())
        .as("Ignore admits what the guardrails would deny: the price of availability").isTrue();
    Namespace ns = admin.namespaces().withName(own).get();
    assertThat(ns).isNotNull();
  }
}
