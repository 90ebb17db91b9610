package dev.gatehouse.injector.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import dev.gatehouse.injector.Mappers;
import dev.gatehouse.injector.config.ConfigLoader;
import dev.gatehouse.injector.config.WebhookConfig;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The manifests in deploy/ decode as fabric8 model objects and keep the settings the README promises. */
class DeployManifestsTest {
  private static final Path DEPLOY = Path.of("..", "deploy");
  private static final Set<String> EXCLUDED = Set.of("kube-system", "kube-public", "kube-node-lease", "gatehouse-system");

  private static List<JsonNode> docs(String file) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    try (MappingIterator<JsonNode> it = Mappers.YAML.readerFor(JsonNode.class).readValues(Files.readString(DEPLOY.resolve(file)))) {
      while (it.hasNextValue()) {
        JsonNode n = it.nextValue();
        if (n != null && !n.isNull() && !n.isMissingNode()) {
          out.add(n);
        }
      }
    }
    return out;
  }

  private static <T> T one(String file, String kind, Class<T> type) throws IOException {
    List<JsonNode> matching = docs(file).stream().filter(d -> d.path("kind").asText().equals(kind)).toList();
    assertThat(matching).as("%s in %s", kind, file).hasSize(1);
    return Mappers.JSON.treeToValue(matching.get(0), type);
  }

  private static void excludesSystemNamespaces(LabelSelector ns) {
    LabelSelectorRequirement byName = ns.getMatchExpressions().stream()
        .filter(r -> r.getKey().equals("kubernetes.io/metadata.name")).findFirst().orElseThrow();
    assertThat(byName.getOperator()).isEqualTo("NotIn");
    assertThat(byName.getValues()).containsExactlyInAnyOrderElementsOf(EXCLUDED);
  }

  @Test
  void theMutatingWebhooksAreStrictAboutVersionsTimeoutsAndSelectors() throws IOException {
    MutatingWebhookConfiguration m = one("webhook-configurations.yaml", "MutatingWebhookConfiguration",
        MutatingWebhookConfiguration.class);
    assertThat(m.getWebhooks()).hasSize(2);
    for (MutatingWebhook w : m.getWebhooks()) {
      assertThat(w.getAdmissionReviewVersions()).containsExactly("v1");
      assertThat(w.getSideEffects()).isEqualTo("None");
      assertThat(w.getMatchPolicy()).isEqualTo("Equivalent");
      assertThat(w.getTimeoutSeconds()).isBetween(1, 10);
      assertThat(w.getFailurePolicy()).isIn("Fail", "Ignore");
      assertThat(w.getReinvocationPolicy()).isEqualTo("IfNeeded");
      assertThat(w.getClientConfig().getService().getPath()).isEqualTo("/mutate");
      assertThat(w.getRules()).allSatisfy(r -> {
        assertThat(r.getOperations()).containsExactly("CREATE");
        assertThat(r.getResources()).containsExactly("pods");
      });
      excludesSystemNamespaces(w.getNamespaceSelector());
    }
    // namespace opt-in by label value "enabled"; pods opt in by label "true" elsewhere
    assertThat(m.getWebhooks().get(0).getNamespaceSelector().getMatchExpressions().get(0).getValues())
        .containsExactly("enabled");
    assertThat(m.getWebhooks().get(1).getObjectSelector().getMatchLabels()).containsEntry("gatehouse.dev/inject", "true");
  }

  @Test
  void theValidatingWebhookCoversWorkloadsConnectAndEphemeralContainers() throws IOException {
    ValidatingWebhookConfiguration v = one("webhook-configurations.yaml", "ValidatingWebhookConfiguration",
        ValidatingWebhookConfiguration.class);
    ValidatingWebhook w = v.getWebhooks().get(0);
    assertThat(w.getAdmissionReviewVersions()).containsExactly("v1");
    assertThat(w.getSideEffects()).isEqualTo("None");
    assertThat(w.getMatchPolicy()).isEqualTo("Equivalent");
    assertThat(w.getTimeoutSeconds()).isEqualTo(5);
    assertThat(w.getFailurePolicy()).isEqualTo("Fail");
    assertThat(w.getClientConfig().getService().getPath()).isEqualTo("/validate");
    List<String> resources = new ArrayList<>();
    w.getRules().forEach(r -> resources.addAll(r.getResources()));
    assertThat(resources).contains("pods", "pods/ephemeralcontainers", "pods/exec", "pods/attach", "pods/portforward",
        "deployments", "statefulsets", "daemonsets", "jobs", "cronjobs");
    assertThat(w.getRules()).anySatisfy(r -> assertThat(r.getOperations()).containsExactly("CONNECT"));
    excludesSystemNamespaces(w.getNamespaceSelector());
  }

  @Test
  void theDeploymentRunsTwoHardenedReplicasWithProbes() throws IOException {
    Deployment d = one("webhook.yaml", "Deployment", Deployment.class);
    assertThat(d.getSpec().getReplicas()).isEqualTo(2);
    assertThat(d.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
    Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health");
    assertThat(c.getReadinessProbe().getHttpGet().getScheme()).isEqualTo("HTTPS");
    assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/health/live");
    assertThat(c.getResources().getRequests()).containsKeys("cpu", "memory");
    assertThat(c.getResources().getLimits()).containsKey("memory");
    assertThat(c.getArgs()).contains("webhook", "--tls-cert=/etc/gatehouse/tls/tls.crt");
    assertThat(d.getSpec().getTemplate().getMetadata().getLabels()).containsEntry("gatehouse.dev/inject", "false");
  }

  @Test
  void theServiceAndTheWebhookConfigurationsAgree() throws IOException {
    Service s = one("webhook.yaml", "Service", Service.class);
    MutatingWebhookConfiguration m = one("webhook-configurations.yaml", "MutatingWebhookConfiguration",
        MutatingWebhookConfiguration.class);
    var ref = m.getWebhooks().get(0).getClientConfig().getService();
    assertThat(ref.getName()).isEqualTo(s.getMetadata().getName());
    assertThat(ref.getNamespace()).isEqualTo(s.getMetadata().getNamespace());
    assertThat(ref.getPort()).isEqualTo(s.getSpec().getPorts().get(0).getPort());
  }

  @Test
  void theShippedConfigurationLoadsAndNamesTheWebhooksNamespace() throws IOException {
    ConfigMap cm = one("webhook.yaml", "ConfigMap", ConfigMap.class);
    Map<String, String> data = cm.getData();
    WebhookConfig cfg = ConfigLoader.parse(data.get("config.yaml"), "deploy/webhook.yaml config.yaml");
    assertThat(cfg.injection().webhookNamespace()).isEqualTo("gatehouse-system");
    assertThat(cfg.validation().evaluationTimeout().toSeconds()).isLessThan(5);
    assertThat(cfg.server().shutdownDelay().toSeconds()).isPositive();
  }
}
