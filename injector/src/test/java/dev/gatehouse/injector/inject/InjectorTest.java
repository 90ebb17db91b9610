package dev.gatehouse.injector.inject;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.injector.Mappers;
import dev.gatehouse.injector.TestSupport;
import dev.gatehouse.injector.config.ConfigLoader;
import dev.gatehouse.injector.patch.JsonPatch;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InjectorTest {
  private final Injector injector = new Injector(ConfigLoader.defaults().injection());
  /** A configuration that lets pods pick the override values the tests use. */
  private final Injector permissive = new Injector(ConfigLoader.parse("""
      injection:
        overrides:
          allowedImages: [ghcr.io/gatehouse/gatehouse:0.1.1, registry.example.com/gatehouse:9.9.9]
          allowedBundleServiceUrls: [https://bundles.payments.svc/b]
      """, "t").injection());

  /** The pod of the mutate fixture: it already carries Vault's init container and agent. */
  private static ObjectNode vaultPod() {
    return (ObjectNode) TestSupport.json("reviews/mutate-pod.json").get("request").get("object");
  }

  private static Pod typed(ObjectNode pod) throws Exception {
    return Mappers.JSON.treeToValue(pod, Pod.class);
  }

  private InjectionResult inject(ObjectNode pod, String ns) throws Exception {
    return injector.inject(typed(pod), pod, ns);
  }

  private ObjectNode injected(ObjectNode pod) throws Exception {
    InjectionResult r = permissive.inject(typed(pod), pod, "payments");
    assertThat(r).isInstanceOf(InjectionResult.Injected.class);
    return ((InjectionResult.Injected) r).pod();
  }

  private static List<String> names(JsonNode list) {
    List<String> out = new ArrayList<>();
    if (list != null) {
      list.forEach(c -> out.add(c.path("name").asText()));
    }
    return out;
  }

  @Test
  void addsANativeSidecarFirstAndKeepsOtherWebhooksContainers() throws Exception {
    ObjectNode pod = vaultPod();
    ObjectNode out = injected(pod);
    JsonNode spec = out.get("spec");
    assertThat(names(spec.get("initContainers"))).containsExactly("gatehouse-sidecar", "vault-agent-init");
    assertThat(names(spec.get("containers"))).containsExactly("api", "vault-agent");
    assertThat(spec.get("initContainers").get(0).get("restartPolicy").asText()).isEqualTo("Always");
    assertThat(names(spec.get("volumes"))).containsExactly("kube-api-access-9xk2m", "vault-secrets", "gatehouse-cache",
        "gatehouse-sidecar-config", "gatehouse-sidecar-token");
    // other webhooks' containers are byte-for-byte what they were
    assertThat(spec.get("initContainers").get(1)).isEqualTo(pod.get("spec").get("initContainers").get(0));
    assertThat(spec.get("containers")).isEqualTo(pod.get("spec").get("containers"));
    assertThat(out.get("metadata").get("annotations").get("vault.hashicorp.com/agent-inject-status").asText())
        .isEqualTo("injected");
    // the input tree is not modified
    assertThat(pod).isEqualTo(vaultPod());
  }

  @Test
  void theSidecarCarriesTheConfiguredEnvironmentAndProbes() throws Exception {
    JsonNode sidecar = injected(vaultPod()).get("spec").get("initContainers").get(0);
    assertThat(sidecar.get("name").asText()).isEqualTo("gatehouse-sidecar");
    assertThat(sidecar.get("image").asText()).isEqualTo("ghcr.io/gatehouse/gatehouse:0.1.0");
    assertThat(names(sidecar.get("env"))).containsExactly("GATEHOUSE_BUNDLE_URL", "GATEHOUSE_POD_NAME",
        "GATEHOUSE_POD_NAMESPACE", "GATEHOUSE_SERVICE_ACCOUNT");
    assertThat(sidecar.get("env").get(0).get("value").asText())
        .isEqualTo("https://gatehouse-control-plane.gatehouse-system.svc:8181");
    assertThat(sidecar.at("/readinessProbe/httpGet/port").asInt()).isEqualTo(15020);
    assertThat(sidecar.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/ready");
    assertThat(sidecar.at("/resources/requests/cpu").asText()).isEqualTo("50m");
  }

  @Test
  void injectingTwiceChangesNothingTheSecondTime() throws Exception {
    ObjectNode once = injected(vaultPod());
    ObjectNode twice = injected(once);
    assertThat(twice).isEqualTo(once);
    assertThat(JsonPatch.diff(once, twice)).isEmpty();
  }

  @Test
  void reinvocationAfterAnotherWebhookKeepsTheirAdditionsAndDoesNotDuplicateOurs() throws Exception {
    ObjectNode ours = injected(vaultPod());
    // Another mutating webhook runs after us and adds its own native sidecar and a volume.
    ObjectNode later = ours.deepCopy();
    ((com.fasterxml.jackson.databind.node.ArrayNode) later.get("spec").get("initContainers"))
        .insert(0, Mappers.JSON.readTree("{\"name\":\"istio-proxy\",\"image\":\"istio/proxyv2:1.24.0\",\"restartPolicy\":\"Always\"}"));
    ((com.fasterxml.jackson.databind.node.ArrayNode) later.get("spec").get("volumes"))
        .add(Mappers.JSON.readTree("{\"name\":\"istio-envoy\",\"emptyDir\":{}}"));
    ObjectNode again = injected(later);
    assertThat(names(again.get("spec").get("initContainers")))
        .containsExactly("gatehouse-sidecar", "istio-proxy", "vault-agent-init");
    assertThat(names(again.get("spec").get("volumes")))
        .containsExactly("kube-api-access-9xk2m", "vault-secrets", "istio-envoy", "gatehouse-cache",
            "gatehouse-sidecar-config", "gatehouse-sidecar-token");
    // The patch moves our sidecar back in front and touches nothing else of theirs.
    List<JsonPatch.Op> ops = JsonPatch.diff(later, again);
    assertThat(io.fabric8.zjsonpatch.JsonPatch.apply(JsonPatch.toJson(ops), later)).isEqualTo(again);
  }

  @Test
  void aChangedImageOnReinjectionIsOneReplace() throws Exception {
    ObjectNode first = injected(vaultPod());
    ObjectNode annotated = first.deepCopy();
    ((ObjectNode) annotated.get("metadata").get("annotations"))
        .put("sidecar.gatehouse.dev/image", "ghcr.io/gatehouse/gatehouse:0.1.1");
    ObjectNode second = injected(annotated);
    assertThat(JsonPatch.toJson(JsonPatch.diff(annotated, second)).toString()).isEqualTo(Mappers.JSON.readTree("""
        [{"op":"replace","path":"/metadata/annotations/gatehouse.dev~1status",
          "value":"{\\"image\\":\\"ghcr.io/gatehouse/gatehouse:0.1.1\\",\\"native\\":true,\\"initContainers\\":[\\"gatehouse-sidecar\\"],\\"containers\\":[],\\"volumes\\":[\\"gatehouse-cache\\",\\"gatehouse-sidecar-config\\",\\"gatehouse-sidecar-token\\"]}"},
         {"op":"replace","path":"/spec/initContainers/0/image","value":"ghcr.io/gatehouse/gatehouse:0.1.1"}]
        """).toString());
  }

  @Test
  void switchingToAClassicSidecarMovesItAndDropsTheEmptiedInitContainers() throws Exception {
    ObjectNode pod = Mappers.JSON.readTree("""
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[{"name":"app","image":"app:1","ports":[{"containerPort":8080}]}]}}
        """).deepCopy();
    ObjectNode nativeOnce = injected(pod);
    ((ObjectNode) nativeOnce.get("metadata").get("annotations")).put("sidecar.gatehouse.dev/native", "false");
    ObjectNode classic = injected(nativeOnce);
    assertThat(classic.get("spec").has("initContainers")).isFalse();
    assertThat(names(classic.get("spec").get("containers"))).containsExactly("gatehouse-sidecar", "app");
    assertThat(classic.get("spec").get("containers").get(0).has("restartPolicy")).isFalse();
  }

  @Test
  void aJobPodGetsANativeSidecarSoTheJobCanComplete() throws Exception {
    ObjectNode pod = Mappers.JSON.readTree("""
        {"apiVersion":"v1","kind":"Pod","metadata":{"generateName":"report-","labels":{"batch.kubernetes.io/job-name":"report"}},
         "spec":{"restartPolicy":"Never","containers":[{"name":"report","image":"report:3","ports":[{"containerPort":9090}]}]}}
        """).deepCopy();
    JsonNode spec = injected(pod).get("spec");
    assertThat(names(spec.get("containers"))).containsExactly("report");
    assertThat(names(spec.get("initContainers"))).containsExactly("gatehouse-sidecar");
    assertThat(spec.at("/initContainers/0/restartPolicy").asText()).isEqualTo("Always");
    assertThat(spec.get("restartPolicy").asText()).isEqualTo("Never");
  }

  @Test
  void podsOptOutByLabelOrAnnotation() throws Exception {
    ObjectNode byLabel = vaultPod();
    ((ObjectNode) byLabel.get("metadata").get("labels")).put(Injector.INJECT, "false");
    assertThat(inject(byLabel, "payments")).isEqualTo(
        new InjectionResult.Skipped("disabled by label gatehouse.dev/inject=false"));
    ObjectNode byAnnotation = vaultPod();
    ((ObjectNode) byAnnotation.get("metadata").get("annotations")).put(Injector.INJECT, "false");
    ((ObjectNode) byAnnotation.get("metadata").get("labels")).put(Injector.INJECT, "true");
    assertThat(inject(byAnnotation, "payments")).isInstanceOf(InjectionResult.Skipped.class);
  }

  @Test
  void optingOutWhereTheSidecarIsRequiredIsRefusedUnlessConfiguredForThatPerson() throws Exception {
    ObjectNode pod = vaultPod();
    ((ObjectNode) pod.get("metadata").get("labels")).put(Injector.INJECT, "false");
    Requester zoe = new Requester("zoe", List.of("system:authenticated"));
    assertThatThrownBy(() -> injector.inject(typed(pod), pod, "payments-prod", zoe)).isInstanceOf(OverrideRefused.class)
        .hasMessage("label gatehouse.dev/inject=false: namespace payments-prod requires the Gatehouse sidecar and zoe "
            + "may not opt a pod out there (injection.overrides.requiredNamespaces, optOutUsers, optOutGroups)");
    assertThatThrownBy(() -> inject(pod, "prod")).isInstanceOf(OverrideRefused.class);
    Injector allowing = new Injector(ConfigLoader.parse("""
        injection:
          overrides:
            optOutUsers: [carol]
            optOutGroups: [platform-admins]
        """, "t").injection());
    assertThat(allowing.inject(typed(pod), pod, "payments-prod", new Requester("carol", List.of())))
        .isInstanceOf(InjectionResult.Skipped.class);
    assertThat(allowing.inject(typed(pod), pod, "payments-prod", new Requester("pat", List.of("platform-admins"))))
        .isInstanceOf(InjectionResult.Skipped.class);
    // exact names: a look-alike of carol is not carol
    assertThatThrownBy(() -> allowing.inject(typed(pod), pod, "payments-prod", new Requester("Carol", List.of())))
        .isInstanceOf(OverrideRefused.class);
  }

  @Test
  void theSidecarImageAndBundleServiceArePinnedByDefault() throws Exception {
    ObjectNode image = vaultPod();
    ((ObjectNode) image.get("metadata").get("annotations"))
        .put("sidecar.gatehouse.dev/image", "ghcr.io/someone-else/gatehouse:0.1.0");
    assertThatThrownBy(() -> inject(image, "payments")).isInstanceOf(OverrideRefused.class)
        .hasMessage("annotation sidecar.gatehouse.dev/image: the sidecar image is pinned to "
            + "ghcr.io/gatehouse/gatehouse:0.1.0 (injection.overrides.allowedImages); remove the annotation");
    ObjectNode bundle = vaultPod();
    ((ObjectNode) bundle.get("metadata").get("annotations"))
        .put("sidecar.gatehouse.dev/bundle-service-url", "https://evil.example/bundles/allow-all");
    assertThatThrownBy(() -> inject(bundle, "payments")).isInstanceOf(OverrideRefused.class)
        .hasMessageStartingWith("annotation sidecar.gatehouse.dev/bundle-service-url: the bundle service is pinned");
    // naming the configured values is no override at all
    ObjectNode same = vaultPod();
    ((ObjectNode) same.get("metadata").get("annotations"))
        .put("sidecar.gatehouse.dev/image", "ghcr.io/gatehouse/gatehouse:0.1.0")
        .put("sidecar.gatehouse.dev/bundle-service-url",
            "https://gatehouse-control-plane.gatehouse-system.svc:8181");
    assertThat(inject(same, "payments")).isInstanceOf(InjectionResult.Injected.class);
  }

  @Test
  void anOptInValueOtherThanTrueOrFalseIsAnError() {
    ObjectNode pod = vaultPod();
    ((ObjectNode) pod.get("metadata").get("labels")).put(Injector.INJECT, "yes");
    assertThatThrownBy(() -> inject(pod, "payments")).isInstanceOf(InjectionException.class)
        .hasMessage("label gatehouse.dev/inject must be \"true\" or \"false\", got \"yes\"");
  }

  @Test
  void systemNamespacesTheWebhooksOwnPodsAndHostNetworkPodsAreSkipped() throws Exception {
    assertThat(inject(vaultPod(), "kube-system")).isEqualTo(
        new InjectionResult.Skipped("namespace kube-system is excluded from injection"));
    assertThat(inject(vaultPod(), "gatehouse-system")).isEqualTo(
        new InjectionResult.Skipped("namespace gatehouse-system is Gatehouse's own"));
    ObjectNode self = vaultPod();
    ((ObjectNode) self.get("metadata").get("labels")).put("app.kubernetes.io/name", "gatehouse-webhook");
    assertThat(inject(self, "payments")).isEqualTo(new InjectionResult.Skipped("the pod is Gatehouse's own webhook"));
    ObjectNode host = vaultPod();
    ((ObjectNode) host.get("spec")).put("hostNetwork", true);
    assertThat(inject(host, "payments")).isInstanceOf(InjectionResult.Skipped.class);
  }

  @Test
  void annotationsOverrideImageResourcesAndBundleUrl() throws Exception {
    ObjectNode pod = vaultPod();
    ((ObjectNode) pod.get("metadata").get("annotations"))
        .put("sidecar.gatehouse.dev/image", "registry.example.com/gatehouse:9.9.9")
        .put("sidecar.gatehouse.dev/cpu-request", "100m")
        .put("sidecar.gatehouse.dev/memory-limit", "1Gi")
        .put("sidecar.gatehouse.dev/bundle-service-url", "https://bundles.payments.svc/b");
    JsonNode sidecar = injected(pod).get("spec").get("initContainers").get(0);
    assertThat(sidecar.get("image").asText()).isEqualTo("registry.example.com/gatehouse:9.9.9");
    assertThat(sidecar.at("/resources/requests/cpu").asText()).isEqualTo("100m");
    assertThat(sidecar.at("/resources/limits/memory").asText()).isEqualTo("1Gi");
    assertThat(sidecar.at("/resources/limits/cpu").asText()).isEqualTo("1");
    assertThat(sidecar.at("/env/0/value").asText()).isEqualTo("https://bundles.payments.svc/b");
  }

  @Test
  void invalidOrUnknownOverrideAnnotationsAreErrors() {
    ObjectNode typo = vaultPod();
    ((ObjectNode) typo.get("metadata").get("annotations")).put("sidecar.gatehouse.dev/cpu-limt", "1");
    assertThatThrownBy(() -> inject(typo, "payments")).isInstanceOf(InjectionException.class)
        .hasMessageStartingWith("unknown annotation sidecar.gatehouse.dev/cpu-limt (known: ");
    ObjectNode bad = vaultPod();
    ((ObjectNode) bad.get("metadata").get("annotations")).put("sidecar.gatehouse.dev/memory-request", "lots");
    assertThatThrownBy(() -> inject(bad, "payments"))
        .hasMessage("annotation sidecar.gatehouse.dev/memory-request: expected a Kubernetes quantity such as 100m, "
            + "0.5 or 128Mi, got \"lots\"");
  }

  @Test
  void aForeignContainerWithTheSidecarsNameIsLeftAlone() throws Exception {
    ObjectNode pod = vaultPod();
    ((com.fasterxml.jackson.databind.node.ArrayNode) pod.get("spec").get("containers"))
        .add(Mappers.JSON.readTree("{\"name\":\"gatehouse-sidecar\",\"image\":\"someone-else:1\"}"));
    assertThat(inject(pod, "payments")).isEqualTo(new InjectionResult.Skipped(
        "the pod already has a container named gatehouse-sidecar that Gatehouse did not inject"));
  }

  @Test
  void theLastPositionAppendsTheSidecar() throws Exception {
    Injector last = new Injector(ConfigLoader.parse("injection:\n  position: last\n", "t").injection());
    ObjectNode pod = vaultPod();
    InjectionResult r = last.inject(typed(pod), pod, "payments");
    assertThat(names(((InjectionResult.Injected) r).pod().get("spec").get("initContainers")))
        .containsExactly("vault-agent-init", "gatehouse-sidecar");
  }

  @Test
  void offlineInjectionResolvesAnchorsAliasesAndMergeKeys() {
    String yaml = """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: shared
        data:
          owner: &owner payments
          copy: *owner
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: web
          namespace: payments
          annotations: &common {app: web, team: payments}
          labels:
            <<: *common
            tier: front
        spec:
          containers:
            - &app {name: app, image: "ghcr.io/acme/web:1.0"}
        """;
    String out = new OfflineInjector(injector).rewrite(yaml).yaml();
    // the ConfigMap passes through with its aliases resolved, not replaced by the anchor's name
    assertThat(out).contains("copy: payments").doesNotContain("copy: owner").doesNotContain("*");
    // the Pod's merge key brought in the anchored labels
    assertThat(out).contains("tier: front").containsPattern("(?s)labels:\\s+tier: front\\s+app: web\\s+team: payments");
    assertThat(out).doesNotContain("<<");
  }

  @Test
  void theSidecarRunsTheRealCommandWithTheAppAsUpstream() throws Exception {
    JsonNode sidecar = injected(vaultPod()).get("spec").get("initContainers").get(0);
    List<String> args = new ArrayList<>();
    sidecar.get("args").forEach(a -> args.add(a.asText()));
    // the pod's first container declares 8080; service from the app label; namespace from the review
    assertThat(args).containsExactly("sidecar", "--config=/etc/gatehouse/sidecar/config.yaml",
        "--listen=0.0.0.0:15080", "--admin-listen=0.0.0.0:15020", "--upstream=http://127.0.0.1:8080",
        "--service=api", "--namespace=payments");
    assertThat(sidecar.at("/ports/0/name").asText()).isEqualTo("gh-proxy");
  }

  @Test
  void theSidecarTakesTheAppPortsNameAndTheAppsProbesFollowTheRename() throws Exception {
    ObjectNode pod = Mappers.JSON.readTree("""
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","labels":{"app.kubernetes.io/name":"payments-api"}},
         "spec":{"containers":[{"name":"app","image":"app:1","ports":[{"name":"http","containerPort":8080}],
           "readinessProbe":{"httpGet":{"path":"/healthz","port":"http"}},
           "livenessProbe":{"tcpSocket":{"port":"http"}}}]}}
        """).deepCopy();
    ObjectNode out = injected(pod);
    JsonNode app = out.at("/spec/containers/0");
    JsonNode sidecar = out.at("/spec/initContainers/0");
    assertThat(sidecar.at("/ports/0/name").asText()).isEqualTo("http");
    assertThat(sidecar.at("/ports/0/containerPort").asInt()).isEqualTo(15080);
    assertThat(app.at("/ports/0/name").asText()).isEqualTo(Injector.UPSTREAM_PORT_NAME);
    assertThat(app.at("/readinessProbe/httpGet/port").asText()).isEqualTo(Injector.UPSTREAM_PORT_NAME);
    assertThat(app.at("/livenessProbe/tcpSocket/port").asText()).isEqualTo(Injector.UPSTREAM_PORT_NAME);
    assertThat(sidecar.get("args").toString()).contains("--service=payments-api", "--upstream=http://127.0.0.1:8080");
    // injecting again renames back first: the result is identical and the patch empty
    ObjectNode twice = injected(out);
    assertThat(twice).isEqualTo(out);
    // and switching the sidecar off by a later re-injection would find the app's own name again
    InjectionStatus status = InjectionStatus.parse(out.at("/metadata/annotations").path(Injector.STATUS).asText());
    assertThat(status.renamedPort()).isEqualTo(new InjectionStatus.RenamedPort("app", "http"));
  }

  @Test
  void theUpstreamPortAndServiceCanBeNamedByAnnotation() throws Exception {
    ObjectNode pod = Mappers.JSON.readTree("""
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","labels":{"app":"x"},
           "annotations":{"gatehouse.dev/upstream-port":"api","gatehouse.dev/service":"ledger-api"}},
         "spec":{"containers":[{"name":"metrics","image":"m:1","ports":[{"name":"metrics","containerPort":9100}]},
                               {"name":"app","image":"app:1","ports":[{"name":"api","containerPort":7000}]}]}}
        """).deepCopy();
    JsonNode sidecar = injected(pod).at("/spec/initContainers/0");
    assertThat(sidecar.get("args").toString()).contains("--upstream=http://127.0.0.1:7000", "--service=ledger-api");
    assertThat(sidecar.at("/ports/0/name").asText()).isEqualTo("api");

    ObjectNode undeclared = pod.deepCopy();
    ((ObjectNode) undeclared.at("/metadata/annotations")).put(Injector.UPSTREAM_PORT, "3000");
    JsonNode s2 = injected(undeclared).at("/spec/initContainers/0");
    assertThat(s2.get("args").toString()).contains("--upstream=http://127.0.0.1:3000");
    assertThat(s2.at("/ports/0/name").asText()).isEqualTo("gh-proxy");

    ObjectNode missing = pod.deepCopy();
    ((ObjectNode) missing.at("/metadata/annotations")).put(Injector.UPSTREAM_PORT, "grpc");
    assertThatThrownBy(() -> inject(missing, "payments")).isInstanceOf(InjectionException.class)
        .hasMessage("annotation gatehouse.dev/upstream-port: no container of the pod declares a port named \"grpc\"");
    ObjectNode expanding = pod.deepCopy();
    ((ObjectNode) expanding.at("/metadata/annotations")).put(Injector.SERVICE, "$(SECRET)");
    assertThatThrownBy(() -> inject(expanding, "payments")).isInstanceOf(InjectionException.class)
        .hasMessageContaining("must be letters, digits");
  }

  @Test
  void aPodWithoutAPortToForwardToIsSkippedAndOneOnTheSidecarsPortsRefused() throws Exception {
    ObjectNode none = Mappers.JSON.readTree("""
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[{"name":"app","image":"app:1"}]}}
        """).deepCopy();
    assertThat(inject(none, "payments")).isInstanceOf(InjectionResult.Skipped.class)
        .hasToString("Skipped[reason=no port to forward to: the first container declares no containerPort and there"
            + " is no gatehouse.dev/upstream-port annotation]");
    ObjectNode clash = Mappers.JSON.readTree("""
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},
         "spec":{"containers":[{"name":"app","image":"app:1","ports":[{"containerPort":8080},{"containerPort":15020}]}]}}
        """).deepCopy();
    assertThatThrownBy(() -> inject(clash, "payments")).isInstanceOf(InjectionException.class)
        .hasMessage("container app declares port 15020, which the Gatehouse sidecar listens on");
  }

  @Test
  void aTemplateWithoutANamespaceLeavesItToTheKubelet() throws Exception {
    ObjectNode pod = Mappers.JSON.readTree("""
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","labels":{"app":"web"}},
         "spec":{"containers":[{"name":"web","image":"web:1","ports":[{"containerPort":8080}]}]}}
        """).deepCopy();
    InjectionResult r = injector.inject(typed(pod), pod, null);
    JsonNode args = ((InjectionResult.Injected) r).pod().at("/spec/initContainers/0/args");
    assertThat(args.toString()).contains("--namespace=$(GATEHOUSE_POD_NAMESPACE)");
  }
}
