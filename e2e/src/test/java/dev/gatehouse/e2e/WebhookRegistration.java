package dev.gatehouse.e2e;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.WebhookClientConfig;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * deploy/webhook-configurations.yaml registered in a real API server for one test suite, changed
 * only where a loopback test must differ from a cluster:
 * <ul>
 *   <li>{@code clientConfig.service} (gatehouse-webhook.gatehouse-system.svc:443/PATH) becomes
 *       {@code clientConfig.url: https://127.0.0.1:PORT/PATH}, with the caBundle of the test's
 *       {@code gatehouse webhook certs};</li>
 *   <li>each configuration's name gets the suite's suffix, and each webhook's namespaceSelector one
 *       more term, {@code e2e.gatehouse.dev/suite In [SUITE]}, so suites sharing the API server
 *       (and a suite whose webhook is down on purpose) never see each other's namespaces.</li>
 * </ul>
 * Rules, operations, the opt-in selectors, failure policies, timeouts, matchPolicy, sideEffects and
 * reinvocation stay exactly as shipped.
 */
public final class WebhookRegistration implements AutoCloseable {
  static final String SUITE_LABEL = "e2e.gatehouse.dev/suite";

  private final KubernetesClient admin;
  private final String suite;
  private final List<HasMetadata> created = new ArrayList<>();

  private WebhookRegistration(KubernetesClient admin, String suite) {
    this.admin = admin;
    this.suite = suite;
  }

  /** A fresh suite id: lower-case, short enough for namespace names. */
  public static String newSuite(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 6);
  }

  /** The shipped configurations, pointed at this webhook, for this suite (not yet applied). */
  static List<HasMetadata> shipped(KubernetesClient admin, InProcessWebhook webhook, String suite) throws IOException {
    List<HasMetadata> out = new ArrayList<>();
    try (InputStream in = Files.newInputStream(KubeTestEnv.repoRoot().resolve("deploy/webhook-configurations.yaml"))) {
      for (HasMetadata o : admin.load(in).items()) {
        o.getMetadata().setName(o.getMetadata().getName() + "-" + suite);
        if (o instanceof MutatingWebhookConfiguration m) {
          for (MutatingWebhook w : m.getWebhooks()) {
            w.setClientConfig(loopback(w.getClientConfig(), webhook));
            w.setNamespaceSelector(scoped(w.getNamespaceSelector(), suite));
          }
        } else if (o instanceof ValidatingWebhookConfiguration v) {
          for (ValidatingWebhook w : v.getWebhooks()) {
            w.setClientConfig(loopback(w.getClientConfig(), webhook));
            w.setNamespaceSelector(scoped(w.getNamespaceSelector(), suite));
          }
        } else {
          throw new IOException("unexpected " + o.getKind() + " in deploy/webhook-configurations.yaml");
        }
        out.add(o);
      }
    }
    return out;
  }

  /** Registers the shipped configurations (after {@code adjust}) and waits until the API server uses them. */
  public static WebhookRegistration register(KubernetesClient admin, InProcessWebhook webhook, String suite,
      Function<HasMetadata, HasMetadata> adjust) throws IOException {
    WebhookRegistration r = new WebhookRegistration(admin, suite);
    for (HasMetadata o : shipped(admin, webhook, suite)) {
      r.created.add(admin.resource(adjust.apply(o)).create());
    }
    return r;
  }

  private static WebhookClientConfig loopback(WebhookClientConfig shipped, InProcessWebhook webhook) {
    String path = shipped.getService().getPath();
    WebhookClientConfig c = new WebhookClientConfig();
    c.setUrl(webhook.url(path));
    c.setCaBundle(webhook.caBundle());
    return c;
  }

  private static LabelSelector scoped(LabelSelector shipped, String suite) {
    LabelSelector s = shipped == null ? new LabelSelector() : shipped;
    List<LabelSelectorRequirement> exprs = new ArrayList<>(s.getMatchExpressions() == null ? List.of()
        : s.getMatchExpressions());
    exprs.add(new LabelSelectorRequirement(SUITE_LABEL, "In", List.of(suite)));
    s.setMatchExpressions(exprs);
    return s;
  }

  public String suite() {
    return suite;
  }

  public List<HasMetadata> created() {
    return created;
  }

  /**
   * A namespace of this suite with these extra labels, where alice and bob may do what the
   * built-in {@code edit} role allows (create pods, exec into them...). The bindings are to
   * {@code system:aggregate-to-edit} and {@code -view}, which hold edit's rules: {@code edit} itself
   * is an aggregated role, filled in by kube-controller-manager, which this environment does not run.
   */
  public String namespace(String purpose, Map<String, String> labels) throws InterruptedException {
    String name = (suite + "-" + purpose).toLowerCase();
    exactNamespace(name, labels, List.of("alice", "bob"));
    return name;
  }

  /**
   * The namespace {@code name} (as a fixture names it), in this suite, where each of {@code users}
   * ("system:serviceaccount:NS:NAME" for a ServiceAccount) has edit's rights.
   */
  public void exactNamespace(String name, Map<String, String> labels, List<String> users) throws InterruptedException {
    exactNamespace(name, labels, users, true);
  }

  /** As above; with {@code enroll} false the namespace is outside the suite's webhooks until {@link #enroll}. */
  public void exactNamespace(String name, Map<String, String> labels, List<String> users, boolean enroll)
      throws InterruptedException {
    Map<String, String> all = new LinkedHashMap<>(labels);
    if (enroll) {
      all.put(SUITE_LABEL, suite);
    }
    Namespace ns = new NamespaceBuilder().withNewMetadata().withName(name).withLabels(all).endMetadata().build();
    admin.namespaces().resource(ns).create();
    for (String role : List.of("system:aggregate-to-edit", "system:aggregate-to-view")) {
      RoleBindingBuilder b = new RoleBindingBuilder()
          .withNewMetadata().withName("people-" + role.substring(role.lastIndexOf('-') + 1)).endMetadata()
          .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole").withName(role).endRoleRef();
      for (String user : users) {
        if (user.startsWith("system:serviceaccount:")) {
          String[] p = user.split(":");
          b.addNewSubject().withKind("ServiceAccount").withNamespace(p[2]).withName(p[3]).endSubject();
        } else {
          b.addNewSubject().withApiGroup("rbac.authorization.k8s.io").withKind("User").withName(user).endSubject();
        }
      }
      admin.rbac().roleBindings().inNamespace(name).resource(b.build()).create();
    }
    // RBAC decides from an informer cache too: wait until the binding is in force
    for (String user : users) {
      awaitAllowed(admin, user, name, "create", "pods", "");
      awaitAllowed(admin, user, name, "create", "pods", "exec");
      awaitAllowed(admin, user, name, "get", "pods", "");
    }
  }

  /** Puts an existing namespace under this suite's webhooks. */
  public void enroll(String namespace) {
    admin.namespaces().withName(namespace).edit(n -> {
      n.getMetadata().getLabels().put(SUITE_LABEL, suite);
      return n;
    });
  }

  static void awaitAllowed(KubernetesClient admin, String user, String namespace, String verb, String resource,
      String subresource) throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (System.nanoTime() < deadline) {
      SubjectAccessReview r = admin.authorization().v1().subjectAccessReview().create(new SubjectAccessReviewBuilder()
          .withNewSpec().withUser(user).withNewResourceAttributes().withNamespace(namespace).withVerb(verb)
          .withResource(resource).withSubresource(subresource).endResourceAttributes().endSpec().build());
      if (r.getStatus() != null && Boolean.TRUE.equals(r.getStatus().getAllowed())) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError(user + " still may not " + verb + " " + resource + "/" + subresource + " in " + namespace);
  }

  /**
   * Waits until a server-side dry run of {@code probe} in {@code namespace} satisfies {@code done}:
   * a new webhook configuration is used only once the API server's informer has seen it.
   */
  public static void awaitEffective(KubernetesClient client, String namespace, Pod probe,
      java.util.function.Predicate<Object> done, String what) throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    Object last = null;
    while (System.nanoTime() < deadline) {
      try {
        last = client.pods().inNamespace(namespace).resource(probe).dryRun().create();
      } catch (KubernetesClientException e) {
        last = e;
      }
      if (done.test(last)) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the API server did not start using the webhook (" + what + ") within 30 s; last: "
        + (last instanceof Throwable t ? t.getMessage() : last));
  }

  /** Removes the configurations (namespaces stay: there is no controller manager to finish deleting them). */
  @Override
  public void close() {
    for (HasMetadata o : created) {
      try {
        admin.resource(o).withGracePeriod(0).delete();
      } catch (KubernetesClientException e) {
        System.err.println("[gatehouse-e2e] could not delete " + o.getKind() + " " + o.getMetadata().getName()
            + ": " + e.getMessage());
      }
    }
  }
}
