package dev.gatehouse.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import io.fabric8.kubernetes.client.http.WebSocketHandshakeException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The webhook end to end: registered in a real kube-apiserver as deploy/ registers it, called by
 * the API server for what real users (alice, bob) do through the fabric8 client.
 */
@KubernetesE2E
class AdmissionE2ETest {
  static final String SIDECAR = "gatehouse-sidecar";
  static final String STATUS = "gatehouse.dev/status";

  static KubeTestEnv env;
  static KubernetesClient admin;
  static KubernetesClient alice;
  static KubernetesClient bob;
  static final List<String> aliceWarnings = new ArrayList<>();
  static InProcessWebhook webhook;
  static WebhookRegistration registration;
  static String enabled;
  static String plain;
  static String disabled;

  @BeforeAll
  static void start() throws Exception {
    env = KubeTestEnv.shared();
    admin = env.admin();
    alice = env.client("alice", aliceWarnings);
    bob = env.client("bob");
    String suite = WebhookRegistration.newSuite("adm");
    webhook = InProcessWebhook.start(Path.of("target/e2e-work", suite));
    registration = WebhookRegistration.register(admin, webhook, suite, o -> o);
    enabled = registration.namespace("enabled", Map.of("gatehouse.dev/inject", "enabled"));
    plain = registration.namespace("plain", Map.of());
    disabled = registration.namespace("disabled", Map.of("gatehouse.dev/inject", "disabled"));
    // Both configurations in use: the validating one denies, the mutating one injects.
    WebhookRegistration.awaitEffective(admin, enabled, Fixtures.privilegedPod("probe"),
        r -> r instanceof KubernetesClientException e && e.getMessage().contains("[pss-privileged]"), "validating");
    WebhookRegistration.awaitEffective(admin, enabled, Fixtures.compliantPod("probe"),
        r -> r instanceof Pod p && sidecars(p) == 1, "mutating");
  }

  @AfterAll
  static void stop() {
    if (registration != null) {
      registration.close();
    }
    if (webhook != null) {
      webhook.close();
    }
    for (KubernetesClient c : new KubernetesClient[] {alice, bob, admin}) {
      if (c != null) {
        c.close();
      }
    }
  }

  static long sidecars(Pod p) {
    List<Container> all = new ArrayList<>(p.getSpec().getInitContainers());
    all.addAll(p.getSpec().getContainers());
    return all.stream().filter(c -> c.getName().equals(SIDECAR)).count();
  }

  static String message(KubernetesClientException e) {
    return e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
  }

  @Test
  void privilegedPodIsDeniedWithEachRuleAndItsMessage() {
    KubernetesClientException e = catchThrowableOfType(KubernetesClientException.class,
        () -> alice.pods().inNamespace(plain).resource(Fixtures.privilegedPod("debug-shell")).create());

    assertThat(e).as("the API server refused the pod").isNotNull();
    assertThat(e.getCode()).isEqualTo(403);
    String msg = message(e);
    assertThat(msg).startsWith("admission webhook \"guardrails.gatehouse.dev\" denied the request: ");
    // one "[rule] message" line per deny finding, as the webhook wrote them
    assertThat(msg).contains(
        "[pss-privileged] container \"shell\" (spec.containers[0]): privileged containers are not allowed",
        "[pss-host-namespaces]", "[pss-host-path]", "[pss-capabilities-add]", "[pss-run-as-user]",
        "[image-registry]", "[image-tag]", "[ownership-labels]");
    assertThat(alice.pods().inNamespace(plain).withName("debug-shell").get()).isNull();
    // the decision log names the user the API server authenticated, not anything in the object
    assertThat(webhook.logText()).containsPattern("\"name\":\"debug-shell\".*\"user\":\"alice\"");
  }

  @Test
  void aReplicationControllerIsNoWayAroundTheGuardrails() {
    Pod privileged = Fixtures.privilegedPod("ignored");
    io.fabric8.kubernetes.api.model.ReplicationController rc = new io.fabric8.kubernetes.api.model.ReplicationControllerBuilder()
        .withNewMetadata().withName("debug-shells").addToLabels("app.kubernetes.io/name", "debug")
        .addToLabels("gatehouse.dev/team", "payments").endMetadata()
        .withNewSpec().withReplicas(1).addToSelector("app", "debug")
        .withNewTemplate().withNewMetadata().addToLabels("app", "debug").endMetadata()
        .withSpec(privileged.getSpec()).endTemplate().endSpec().build();
    rc.getSpec().getTemplate().getSpec().setRestartPolicy("Always");

    KubernetesClientException e = catchThrowableOfType(KubernetesClientException.class,
        () -> alice.replicationControllers().inNamespace(plain).resource(rc).create());

    assertThat(e).as("routed to the webhook by deploy/'s rules").isNotNull();
    assertThat(message(e)).startsWith("admission webhook \"guardrails.gatehouse.dev\" denied the request: ")
        .contains("[pss-privileged] container \"shell\" (spec.template.spec.containers[0])");
    assertThat(alice.replicationControllers().inNamespace(plain).withName("debug-shells").get()).isNull();
  }

  @Test
  void compliantPodInOptedInNamespaceGetsTheSidecarOnceAndTheStatusAnnotation() {
    Pod created = alice.pods().inNamespace(enabled).resource(Fixtures.compliantPod("web-1")).create();

    assertThat(sidecars(created)).isEqualTo(1);
    Container sidecar = created.getSpec().getInitContainers().get(0);
    assertThat(sidecar.getName()).isEqualTo(SIDECAR);
    assertThat(sidecar.getRestartPolicy()).as("native sidecar").isEqualTo("Always");
    assertThat(sidecar.getImage()).isEqualTo("ghcr.io/gatehouse/gatehouse:0.1.0");
    assertThat(sidecar.getEnv()).anySatisfy(v -> assertThat(v.getName()).isEqualTo("GATEHOUSE_BUNDLE_URL"));
    assertThat(created.getSpec().getVolumes()).anySatisfy(v -> assertThat(v.getName()).isEqualTo("gatehouse-cache"));
    assertThat(created.getMetadata().getAnnotations()).containsKey(STATUS);
    assertThat(created.getMetadata().getAnnotations().get(STATUS)).contains("\"image\":\"ghcr.io/gatehouse/gatehouse:0.1.0\"");
    // the app container is untouched and still first among regular containers
    assertThat(created.getSpec().getContainers()).extracting(Container::getName).containsExactly("app");

    // Updating the pod (UPDATE is validated, never injected) keeps one sidecar.
    Pod updated = alice.pods().inNamespace(enabled).withName("web-1")
        .edit(p -> new PodBuilder(p).editMetadata().addToLabels("tier", "frontend").endMetadata().build());
    assertThat(sidecars(updated)).isEqualTo(1);
    assertThat(updated.getMetadata().getLabels()).containsEntry("tier", "frontend");

    // Re-applying what was stored (a copy of the injected pod, as `kubectl get -o yaml | kubectl
    // create -f -` would) is injected again from the status annotation: still one sidecar.
    Pod copy = new PodBuilder(created).withMetadata(new ObjectMeta()).build();
    copy.getMetadata().setName("web-2");
    copy.getMetadata().setLabels(created.getMetadata().getLabels());
    copy.getMetadata().setAnnotations(created.getMetadata().getAnnotations());
    Pod again = alice.pods().inNamespace(enabled).resource(copy).create();
    assertThat(sidecars(again)).isEqualTo(1);
    assertThat(again.getSpec().getInitContainers()).extracting(Container::getName).containsExactly(SIDECAR);
    assertThat(again.getSpec().getVolumes()).filteredOn(v -> v.getName().equals("gatehouse-cache")).hasSize(1);
    assertThat(again.getMetadata().getAnnotations().get(STATUS)).isEqualTo(created.getMetadata().getAnnotations().get(STATUS));
  }

  @Test
  void namespacesWithoutTheLabelAreLeftAloneUnlessThePodOptsIn() {
    Pod inPlain = alice.pods().inNamespace(plain).resource(Fixtures.compliantPod("web-plain")).create();
    assertThat(sidecars(inPlain)).isZero();
    assertThat(inPlain.getMetadata().getAnnotations() == null ? Map.of() : inPlain.getMetadata().getAnnotations())
        .doesNotContainKey(STATUS);

    // a pod labelled gatehouse.dev/inject: "true" opts in where the namespace says nothing
    Pod optIn = Fixtures.compliantPod("web-opt-in");
    optIn.getMetadata().getLabels().put("gatehouse.dev/inject", "true");
    assertThat(sidecars(alice.pods().inNamespace(plain).resource(optIn).create())).isEqualTo(1);

    // ...but not where the namespace is disabled
    Pod optInDisabled = Fixtures.compliantPod("web-opt-in");
    optInDisabled.getMetadata().getLabels().put("gatehouse.dev/inject", "true");
    assertThat(sidecars(alice.pods().inNamespace(disabled).resource(optInDisabled).create())).isZero();

    // and a pod that opts out of an enabled namespace is left alone
    Pod optOut = Fixtures.compliantPod("web-opt-out");
    optOut.getMetadata().getLabels().put("gatehouse.dev/inject", "false");
    assertThat(sidecars(alice.pods().inNamespace(enabled).resource(optOut).create())).isZero();

    // guardrails are not opt-in: the disabled namespace still refuses a privileged pod
    KubernetesClientException e = catchThrowableOfType(KubernetesClientException.class,
        () -> alice.pods().inNamespace(disabled).resource(Fixtures.privilegedPod("debug-shell")).create());
    assertThat(e).isNotNull();
    assertThat(message(e)).contains("[pss-privileged]");
  }

  @Test
  void serverSideDryRunShowsWarningsAndDenialsWithoutStoringAnything() {
    Pod noLimits = Fixtures.compliantPod("web-no-limits");
    noLimits.getSpec().getContainers().get(0).getResources().setLimits(new LinkedHashMap<>());
    synchronized (aliceWarnings) {
      aliceWarnings.clear();
    }
    Pod answered = alice.pods().inNamespace(plain).resource(noLimits).dryRun().create();

    assertThat(answered.getMetadata().getName()).isEqualTo("web-no-limits");
    synchronized (aliceWarnings) {
      assertThat(aliceWarnings).anySatisfy(w -> assertThat(w)
          .startsWith("[resources-limits] ")
          .contains("\"app\""));
      // image-digest is a dryrun rule: logged, never shown (the fixture is pinned anyway)
      assertThat(aliceWarnings).noneSatisfy(w -> assertThat(w).contains("[image-digest]"));
    }
    assertThat(alice.pods().inNamespace(plain).withName("web-no-limits").get()).as("dry run stores nothing").isNull();
    assertThat(webhook.metrics()).containsPattern("gatehouse_webhook_rule_violations_total\\{[^}]*rule=\"resources-limits\"[^}]*dry_run=\"true\"");

    KubernetesClientException denied = catchThrowableOfType(KubernetesClientException.class,
        () -> alice.pods().inNamespace(plain).resource(Fixtures.privilegedPod("debug-dry")).dryRun().create());
    assertThat(denied).isNotNull();
    assertThat(message(denied)).contains("[pss-privileged]");
  }

  @Test
  void execNeedsAPodExecGrantThenFailsOnlyForWantOfANode() throws Exception {
    String pod = "payments-api-7d9f";
    alice.pods().inNamespace(enabled).resource(Fixtures.compliantPod(pod)).create();
    List<String> shell = List.of("/bin/sh");
    try (WebSocketExec kubectl = new WebSocketExec(env)) {
      // no grant: our webhook refuses the CONNECT
      WebSocketExec.Outcome noGrant = kubectl.exec(env.token("alice"), enabled, pod, "app", shell);
      assertThat(noGrant.status()).isEqualTo(403);
      assertThat(noGrant.message())
          .startsWith("admission webhook \"guardrails.gatehouse.dev\" denied the request: ")
          .contains("[pod-connect-grant] kubectl exec into pod " + enabled + "/" + pod
              + " needs an active pod-exec grant for alice");
      assertThat(fabric8ExecStatus(alice, enabled, pod)).as("fabric8's exec, same refusal").isEqualTo(403);

      // an active grant for alice and this pod: admission passes, then the API server finds no node
      webhook.grants(List.of(Fixtures.podExecGrant("gr-e2e-1", "alice", enabled, "payments-api-*")));
      WebSocketExec.Outcome granted = kubectl.exec(env.token("alice"), enabled, pod, "app", shell);
      assertThat(granted.status()).isEqualTo(400);
      assertThat(granted.message()).isEqualTo("pod " + pod + " does not have a host assigned");
      assertThat(fabric8ExecStatus(alice, enabled, pod)).isEqualTo(400);

      // the grant is alice's: bob is still refused
      WebSocketExec.Outcome other = kubectl.exec(env.token("bob"), enabled, pod, "app", shell);
      assertThat(other.status()).isEqualTo(403);
      assertThat(other.message()).contains("[pod-connect-grant]").contains("grant for bob");

      // and once the control plane drops the grant from the data, alice is refused again
      webhook.grants(List.of());
      assertThat(kubectl.exec(env.token("alice"), enabled, pod, "app", shell).message()).contains("[pod-connect-grant]");
    } finally {
      webhook.grants(List.of());
    }
  }

  @Test
  void debugWithAnEphemeralContainerNeedsAGrantAndPassesTheGuardrails() throws Exception {
    String pod = "payments-api-debug";
    alice.pods().inNamespace(enabled).resource(Fixtures.compliantPod(pod)).create();
    // edit does not include kubectl debug: RBAC grants it separately, as a cluster admin would
    admin.rbac().roles().inNamespace(enabled).resource(new io.fabric8.kubernetes.api.model.rbac.RoleBuilder()
        .withNewMetadata().withName("debugger").endMetadata()
        .addNewRule().withApiGroups("").withResources("pods/ephemeralcontainers").withVerbs("get", "patch", "update")
        .endRule().build()).create();
    admin.rbac().roleBindings().inNamespace(enabled).resource(new io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder()
        .withNewMetadata().withName("alice-debugger").endMetadata()
        .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role").withName("debugger").endRoleRef()
        .addNewSubject().withApiGroup("rbac.authorization.k8s.io").withKind("User").withName("alice").endSubject()
        .build()).create();
    WebhookRegistration.awaitAllowed(admin, "alice", enabled, "patch", "pods", "ephemeralcontainers");
    // kubectl debug -it POD --image=... --target=app: an UPDATE of pods/ephemeralcontainers
    java.util.function.UnaryOperator<Pod> addDebugger = p -> new PodBuilder(p).editSpec().addNewEphemeralContainer()
        .withName("debugger").withImage("ghcr.io/acme/debug-tools:1.2.0").withTargetContainerName("app")
        .withStdin(true).withTty(true)
        .withNewSecurityContext().withAllowPrivilegeEscalation(false).withRunAsNonRoot(true)
        .withNewCapabilities().withDrop("ALL").endCapabilities()
        .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile().endSecurityContext()
        .endEphemeralContainer().endSpec().build();
    try {
      KubernetesClientException noGrant = catchThrowableOfType(KubernetesClientException.class,
          () -> alice.pods().inNamespace(enabled).withName(pod).ephemeralContainers().edit(addDebugger));
      assertThat(noGrant).isNotNull();
      assertThat(noGrant.getCode()).isEqualTo(403);
      assertThat(message(noGrant)).contains("[pod-connect-grant] kubectl debug into pod " + enabled + "/" + pod);

      webhook.grants(List.of(Fixtures.podExecGrant("gr-e2e-2", "alice", enabled, pod)));
      Pod debugged = alice.pods().inNamespace(enabled).withName(pod).ephemeralContainers().edit(addDebugger);
      assertThat(debugged.getSpec().getEphemeralContainers()).extracting(c -> c.getName()).containsExactly("debugger");

      // the grant opens the door, the guardrails still apply to what walks through it
      KubernetesClientException privileged = catchThrowableOfType(KubernetesClientException.class,
          () -> alice.pods().inNamespace(enabled).withName(pod).ephemeralContainers().edit(p -> new PodBuilder(p)
              .editSpec().addNewEphemeralContainer().withName("root-shell").withImage("ubuntu")
              .withNewSecurityContext().withPrivileged(true).endSecurityContext().endEphemeralContainer().endSpec()
              .build()));
      assertThat(privileged).isNotNull();
      assertThat(message(privileged)).contains("[pss-privileged]").contains("root-shell").doesNotContain("pod-connect-grant");
    } finally {
      webhook.grants(List.of());
    }
  }

  /** fabric8's exec (kubectl exec -it POD -c app -- /bin/sh): the status code of the refused upgrade. */
  static int fabric8ExecStatus(KubernetesClient as, String namespace, String pod) throws Exception {
    try (ExecWatch w = as.pods().inNamespace(namespace).withName(pod).inContainer("app")
        .redirectingInput().redirectingOutput().redirectingError().withTTY().exec("/bin/sh")) {
      Integer code = w.exitCode().get(15, java.util.concurrent.TimeUnit.SECONDS);
      throw new AssertionError("exec unexpectedly ran (exit " + code + ")");
    } catch (KubernetesClientException e) {
      if (e.getCause() instanceof WebSocketHandshakeException h) {
        return h.getResponse().code();
      }
      throw e;
    }
  }
}
