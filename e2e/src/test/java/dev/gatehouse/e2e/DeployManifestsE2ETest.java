package dev.gatehouse.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.gatehouse.cli.Main;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The manifests in deploy/ against a real API server, following the steps their comments give:
 * namespace and webhook objects applied for real (server-side apply, as {@code kubectl apply
 * --server-side}); the webhook configurations, which would route every pod create in the API
 * server to a Service that has no endpoints here, with a server-side dry run.
 */
@KubernetesE2E
class DeployManifestsE2ETest {
  static final String NS = "gatehouse-system";
  static KubeTestEnv env;
  static KubernetesClient admin;

  @BeforeAll
  static void start() {
    env = KubeTestEnv.shared();
    admin = env.admin();
  }

  @AfterAll
  static void stop() {
    if (admin != null) {
      admin.close();
    }
  }

  static List<HasMetadata> load(String file) throws Exception {
    return load(file, Files.readString(KubeTestEnv.repoRoot().resolve("deploy").resolve(file)));
  }

  static List<HasMetadata> load(String file, String yaml) {
    return admin.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items();
  }

  static HasMetadata apply(HasMetadata o) {
    return admin.resource(o).fieldManager("gatehouse-e2e").forceConflicts().serverSideApply();
  }

  @Test
  void namespaceAndWebhookObjectsApplyAndCertificatesFromTheCliAreAccepted() throws Exception {
    List<HasMetadata> ns = load("namespace.yaml");
    assertThat(ns).extracting(HasMetadata::getKind).containsExactly("Namespace");
    apply(ns.get(0));
    assertThat(admin.namespaces().withName(NS).get().getMetadata().getLabels())
        .containsEntry("gatehouse.dev/inject", "disabled")
        .containsEntry("pod-security.kubernetes.io/enforce", "restricted");

    // the serving Secret as the certs command tells operators to create it (kubectl create secret tls)
    Path certs = Files.createTempDirectory("gatehouse-e2e-certs");
    assertThat(Main.run("webhook", "certs", "-o", certs.toString())).isZero();
    Secret tls = new SecretBuilder().withNewMetadata().withName("gatehouse-webhook-tls").withNamespace(NS).endMetadata()
        .withType("kubernetes.io/tls")
        .addToData("tls.crt", b64(Files.readString(certs.resolve("tls.crt"))))
        .addToData("tls.key", b64(Files.readString(certs.resolve("tls.key"))))
        .build();
    apply(tls);

    List<HasMetadata> webhook = load("webhook.yaml");
    assertThat(webhook).extracting(HasMetadata::getKind)
        .containsExactly("ServiceAccount", "ConfigMap", "Deployment", "Service", "PodDisruptionBudget");
    for (HasMetadata o : webhook) {
      HasMetadata applied = apply(o);
      assertThat(applied.getMetadata().getUid()).as("%s stored", o.getKind()).isNotBlank();
    }
    Deployment d = admin.apps().deployments().inNamespace(NS).withName("gatehouse-webhook").get();
    assertThat(d.getSpec().getReplicas()).isEqualTo(2);
    assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
        .contains("--opa-config=/etc/gatehouse/opa/config.yaml", "--tls-cert=/etc/gatehouse/tls/tls.crt")
        .noneMatch(a -> a.startsWith("--bundle"));
    // no controller manager, scheduler or kubelet here: the Deployment is stored, nothing runs it
    assertThat(d.getStatus() == null || d.getStatus().getReadyReplicas() == null).isTrue();
    assertThat(admin.services().inNamespace(NS).withName("gatehouse-webhook").get().getSpec().getClusterIP())
        .as("a ClusterIP allocated from the service range").startsWith("10.96.");
    assertThat(admin.policy().v1().podDisruptionBudget().inNamespace(NS).withName("gatehouse-webhook").get()).isNotNull();
  }

  @Test
  void webhookConfigurationsPassServerSideValidationOnceTheCaBundleIsFilledIn() throws Exception {
    String shipped = Files.readString(KubeTestEnv.repoRoot().resolve("deploy/webhook-configurations.yaml"));
    Path certs = Files.createTempDirectory("gatehouse-e2e-certs");
    assertThat(Main.run("webhook", "certs", "-o", certs.toString())).isZero();
    String caBundle = Base64.getEncoder().encodeToString(Files.readAllBytes(certs.resolve("ca.crt")));

    List<HasMetadata> configs = load("webhook-configurations.yaml", shipped.replace("CA_BUNDLE", caBundle));
    assertThat(configs).extracting(HasMetadata::getKind)
        .containsExactly("MutatingWebhookConfiguration", "ValidatingWebhookConfiguration");
    for (HasMetadata o : configs) {
      HasMetadata answered = admin.resource(o).dryRun().create();
      assertThat(answered.getMetadata().getName()).isEqualTo(o.getMetadata().getName());
    }
    MutatingWebhookConfiguration m = (MutatingWebhookConfiguration) configs.get(0);
    ValidatingWebhookConfiguration v = (ValidatingWebhookConfiguration) configs.get(1);
    assertThat(m.getWebhooks()).allSatisfy(w -> assertThat(w.getClientConfig().getService().getName())
        .isEqualTo("gatehouse-webhook"));
    assertThat(v.getWebhooks()).hasSize(1);
    // dry run: nothing was stored, so no pod create in this API server is routed to the empty Service
    assertThat(admin.admissionRegistration().v1().mutatingWebhookConfigurations()
        .withName(m.getMetadata().getName()).get()).isNull();

    // The placeholder itself is not a caBundle: applying the file unedited is refused, not half-applied.
    HasMetadata unedited = load("webhook-configurations.yaml", shipped).get(1);
    KubernetesClientException e = catchThrowableOfType(KubernetesClientException.class,
        () -> admin.resource(unedited).dryRun().create());
    assertThat(e).isNotNull();
    assertThat(e.getCode()).isEqualTo(400);
  }

  /**
   * Least privilege for the webhook (issue item 5, webhook part): it never calls the Kubernetes API
   * (deploy/webhook.yaml mounts no token), so its ServiceAccount needs nothing and must hold
   * nothing. Asked of the real authorizer with SubjectAccessReviews after deploy/ is applied.
   */
  /**
   * The policies ConfigMap as deploy/webhook.yaml's comment makes it (`gatehouse build` then
   * `kubectl create configmap --from-file=bundle.tar.gz`, which puts the gzip bytes in binaryData):
   * stored by the API server, mounted (read back here) and loaded by the webhook's bundle source
   * with the library's layout intact, so the webhook is ready on it.
   */
  @Test
  void thePoliciesReachTheWebhookAsOneBundleInTheConfigMap(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
    Path bundle = tmp.resolve("bundle.tar.gz");
    assertThat(dev.gatehouse.cli.Main.run("build", KubeTestEnv.repoRoot().resolve("policies").toString(), "-o",
        bundle.toString())).isZero();
    if (admin.namespaces().withName(NS).get() == null) {
      apply(load("namespace.yaml").get(0));
    }
    admin.configMaps().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
        .withNewMetadata().withName("gatehouse-policies").endMetadata()
        .addToBinaryData("bundle.tar.gz", java.util.Base64.getEncoder().encodeToString(Files.readAllBytes(bundle)))
        .build()).createOr(io.fabric8.kubernetes.client.dsl.NonDeletingOperation::update);
    var stored = admin.configMaps().inNamespace(NS).withName("gatehouse-policies").get();
    Path mounted = tmp.resolve("mount/bundle.tar.gz");
    Files.createDirectories(mounted.getParent());
    Files.write(mounted, java.util.Base64.getDecoder().decode(stored.getBinaryData().get("bundle.tar.gz")));

    var source = new dev.gatehouse.injector.policy.BundlePolicySource(mounted, path -> {
      var b = dev.gatehouse.engine.bundle.Bundle.read(path);
      java.util.Map<String, String> modules = new java.util.LinkedHashMap<>();
      b.modules().forEach(m -> modules.put(m.name(), m.source()));
      return new dev.gatehouse.injector.policy.PolicySet(modules, java.util.Map.of(), b.data(), "bundle");
    });
    var store = new dev.gatehouse.injector.policy.PolicyStore(source, "data.gatehouse.admission.decision",
        java.time.Clock.systemUTC(), r -> { });
    assertThat(store.refresh()).as(String.valueOf(store.lastError())).isTrue();
    assertThat(store.current()).isPresent();
  }

  /**
   * The webhook's live grants by default: deploy/webhook-sync-config.yaml (filled in as its comment
   * says) applies; the OPA configuration in it is read by the sync as the webhook reads it, names
   * the control plane's Service on the port deploy/control-plane.yaml gives it, with both bundles
   * signed by the configured key; and the shipped webhook Deployment mounts exactly that
   * ConfigMap and token Secret where the configuration expects them.
   */
  @Test
  void theWebhookPullsPoliciesAndGrantsFromTheInClusterControlPlane(@org.junit.jupiter.api.io.TempDir Path tmp)
      throws Exception {
    if (admin.namespaces().withName(NS).get() == null) {
      apply(load("namespace.yaml").get(0));
    }
    for (HasMetadata o : load("control-plane.yaml")) {
      apply(o);
    }
    var kpg = java.security.KeyPairGenerator.getInstance("EC");
    kpg.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
    String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'})
        .encodeToString(kpg.generateKeyPair().getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
    String filled = Files.readString(KubeTestEnv.repoRoot().resolve("deploy/webhook-sync-config.yaml"))
        .replace("KEY_ID", "cp-2026-12").replace("ENFORCER_TOKEN", "e2e-token")
        .replace("PUBLIC_KEY_PEM", "public-key-here").replace("CA_CERT_PEM", "ca-here");
    List<HasMetadata> objects = load("webhook-sync-config.yaml", filled);
    assertThat(objects).extracting(HasMetadata::getKind).containsExactly("ConfigMap", "Secret");
    for (HasMetadata o : objects) {
      assertThat(apply(o).getMetadata().getUid()).isNotBlank();
    }
    var cm = admin.configMaps().inNamespace(NS).withName("gatehouse-webhook-sync").get();
    int cpPort = admin.services().inNamespace(NS).withName("gatehouse-control-plane").get().getSpec().getPorts().get(0)
        .getPort();
    // The configuration as the webhook reads it (key files resolved relative to the mount).
    Path mount = tmp.resolve("etc/gatehouse/opa");
    Files.createDirectories(mount);
    Files.writeString(mount.resolve("public-key.pem"), pem);
    Files.writeString(mount.resolve("config.yaml"), cm.getData().get("config.yaml")
        .replace("/etc/gatehouse/opa/", mount + "/"));
    dev.gatehouse.sync.config.SyncConfig sc = dev.gatehouse.sync.config.ConfigReader.read(mount.resolve("config.yaml"));
    assertThat(sc.services().get("control-plane").url().toString())
        .startsWith("https://gatehouse-control-plane." + NS + ".svc:" + cpPort);
    assertThat(sc.bundles()).containsOnlyKeys("policies", "grants");
    assertThat(sc.bundles().values()).allSatisfy(b -> assertThat(b.signing().keyId()).isEqualTo("cp-2026-12"));
    assertThat(sc.keys()).containsKey("cp-2026-12");

    for (HasMetadata o : load("webhook.yaml")) {
      apply(o);
    }
    var pod = admin.apps().deployments().inNamespace(NS).withName("gatehouse-webhook").get().getSpec().getTemplate()
        .getSpec();
    var mounts = pod.getContainers().get(0).getVolumeMounts();
    java.util.Map<String, String> mountedAt = new java.util.HashMap<>();
    mounts.forEach(m -> mountedAt.put(m.getName(), m.getMountPath()));
    assertThat(pod.getVolumes()).anySatisfy(v -> {
      assertThat(v.getConfigMap()).isNotNull();
      assertThat(v.getConfigMap().getName()).isEqualTo("gatehouse-webhook-sync");
      assertThat(mountedAt.get(v.getName())).isEqualTo("/etc/gatehouse/opa");
    });
    assertThat(pod.getVolumes()).anySatisfy(v -> {
      assertThat(v.getSecret()).isNotNull();
      assertThat(v.getSecret().getSecretName()).isEqualTo("gatehouse-webhook-enforcer-token");
      assertThat(mountedAt.get(v.getName())).isEqualTo("/var/run/secrets/gatehouse");
    });
    assertThat(cm.getData().get("config.yaml")).contains("token_path: /var/run/secrets/gatehouse/token")
        .contains("persistence_directory: /var/lib/gatehouse");
    assertThat(mountedAt).containsValue("/var/lib/gatehouse");
    // the injected sidecars are pointed at the same Service and port
    assertThat(load("webhook.yaml").stream().filter(o -> o.getKind().equals("ConfigMap")).findFirst().orElseThrow()
        .toString()).contains("https://gatehouse-control-plane." + NS + ".svc:" + cpPort);
  }

  /** The control plane's manifests (CRDs, RBAC, Deployment, Service, PDB) apply for real. */
  @Test
  void theControlPlaneManifestsApply() throws Exception {
    if (admin.namespaces().withName(NS).get() == null) {
      apply(load("namespace.yaml").get(0));
    }
    for (String f : List.of("crds/accessrequests.gatehouse.dev-v1.yml", "crds/accessgrants.gatehouse.dev-v1.yml",
        "control-plane-rbac.yaml", "control-plane.yaml")) {
      for (HasMetadata o : load(f)) {
        assertThat(apply(o).getMetadata().getUid()).as("%s %s stored", f, o.getKind()).isNotBlank();
      }
    }
    Deployment d = admin.apps().deployments().inNamespace(NS).withName("gatehouse-control-plane").get();
    assertThat(d.getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo("gatehouse-control-plane");
    assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
        .contains("--store=kubernetes", "--kube-namespace=" + NS, "--kube-rolebindings", "--kube-authz");
    // the authorization webhook's kubeconfig names this Service and port
    assertThat(Files.readString(KubeTestEnv.repoRoot().resolve("deploy/kube-apiserver/authz-webhook.kubeconfig")))
        .contains("https://gatehouse-control-plane." + NS + ".svc:"
            + admin.services().inNamespace(NS).withName("gatehouse-control-plane").get().getSpec().getPorts().get(0).getPort()
            + "/kubernetes/authorize");
  }

  @Test
  void theWebhookServiceAccountMayDoNothing() throws Exception {
    for (String file : List.of("namespace.yaml", "webhook.yaml")) {
      load(file).forEach(DeployManifestsE2ETest::apply);
    }
    String sa = "system:serviceaccount:" + NS + ":gatehouse-webhook";
    List<String> groups = List.of("system:serviceaccounts", "system:serviceaccounts:" + NS, "system:authenticated");
    record Ask(String verb, String group, String resource, String namespace) {}
    List<Ask> asks = List.of(
        new Ask("get", "", "secrets", NS), new Ask("list", "", "secrets", ""), new Ask("get", "", "configmaps", NS),
        new Ask("list", "", "pods", ""), new Ask("create", "", "pods", "default"),
        new Ask("create", "", "pods/exec", "default"), new Ask("update", "apps", "deployments", NS),
        new Ask("patch", "admissionregistration.k8s.io", "mutatingwebhookconfigurations", ""),
        new Ask("update", "admissionregistration.k8s.io", "validatingwebhookconfigurations", ""),
        new Ask("create", "rbac.authorization.k8s.io", "clusterrolebindings", ""),
        new Ask("create", "", "serviceaccounts/token", NS), new Ask("impersonate", "", "users", ""));
    List<String> allowed = new java.util.ArrayList<>();
    for (Ask a : asks) {
      var review = admin.authorization().v1().subjectAccessReview().create(
          new io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder().withNewSpec()
              .withUser(sa).withGroups(groups).withNewResourceAttributes().withVerb(a.verb()).withGroup(a.group())
              .withResource(a.resource().contains("/") ? a.resource().substring(0, a.resource().indexOf('/')) : a.resource())
              .withSubresource(a.resource().contains("/") ? a.resource().substring(a.resource().indexOf('/') + 1) : null)
              .withNamespace(a.namespace().isEmpty() ? null : a.namespace()).endResourceAttributes().endSpec().build());
      if (Boolean.TRUE.equals(review.getStatus().getAllowed())) {
        allowed.add(a.toString());
      }
    }
    assertThat(allowed).as("what the webhook's ServiceAccount may do").isEmpty();
    // and the control check: the same question for admin is allowed, so the reviews do decide
    var adminReview = admin.authorization().v1().subjectAccessReview().create(
        new io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder().withNewSpec()
            .withUser("admin").withGroups("system:masters").withNewResourceAttributes().withVerb("get")
            .withResource("secrets").withNamespace(NS).endResourceAttributes().endSpec().build());
    assertThat(adminReview.getStatus().getAllowed()).isTrue();
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.US_ASCII));
  }
}
