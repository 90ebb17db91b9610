package dev.gatehouse.controlplane.kube;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.controlplane.Jsons;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps one RoleBinding per active namespace grant in the cluster, as
 * {@code data.gatehouse.kubernetes.rolebindings.desired} lists them, and no other binding it
 * manages. Level-triggered, so whatever happened while it was not running (a control-plane outage,
 * a binding deleted or edited by hand) is corrected by the next pass:
 *
 * <ul>
 *   <li>every {@code tick} it recomputes the desired set in memory (grants expire by the clock) and
 *       talks to the API server only when that set changed since the last successful pass;
 *   <li>{@link #poke} (a committed grant change: issue, revocation) runs that pass at once;
 *   <li>every {@code resync} (and at start) it lists the bindings it manages (label
 *       {@code app.kubernetes.io/managed-by=gatehouse}) in every namespace and repairs the
 *       difference: missing ones created, ended grants' bindings deleted, changed ones replaced.
 * </ul>
 *
 * A binding of the same name it does not manage is never touched (reported as a failure). Every
 * create, delete and failure goes to the audit log through {@link Events}.
 */
public final class RoleBindingReconciler implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(RoleBindingReconciler.class.getName());
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String MANAGER = "gatehouse";
  public static final String GRANT_LABEL = "gatehouse.dev/grant";
  public static final String EXPIRES_ANNOTATION = "gatehouse.dev/expires-at";
  public static final String ROLE_ANNOTATION = "gatehouse.dev/role";
  private static final String RBAC = "rbac.authorization.k8s.io";

  /** Where the reconciler's actions are recorded (the control plane's audit chain). */
  public interface Events {
    void record(String type, String subject, ObjectNode data);
  }

  public record Stats(long created, long deleted, long failures, long passes, long resyncs) {}

  private final KubernetesClient client;
  private final KubePolicies policies;
  private final Events events;
  private final Duration tick;
  private final Duration resync;
  private final BooleanSupplier leader;
  private final ScheduledExecutorService executor;
  private final AtomicLong created = new AtomicLong();
  private final AtomicLong deleted = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final AtomicLong passes = new AtomicLong();
  private final AtomicLong resyncs = new AtomicLong();
  /** The desired set last applied without a failure (null: unknown, so the next pass lists). */
  private List<DesiredBinding> applied;
  /** Failures already audited, so a failure that repeats every resync is recorded once. */
  private final Set<String> reportedFailures = new HashSet<>();

  /**
   * @param leader whether this replica acts (leader election with several replicas; always true with one)
   */
  public RoleBindingReconciler(KubernetesClient client, KubePolicies policies, Events events, Duration tick,
      Duration resync, BooleanSupplier leader) {
    this.client = client;
    this.policies = policies;
    this.events = events;
    this.tick = tick;
    this.resync = resync;
    this.leader = leader;
    this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "gatehouse-rolebindings");
      t.setDaemon(true);
      return t;
    });
  }

  public void start() {
    executor.scheduleWithFixedDelay(() -> guarded(false), 0, resync.toMillis(), TimeUnit.MILLISECONDS);
    executor.scheduleWithFixedDelay(() -> guarded(true), tick.toMillis(), tick.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** A grant changed: reconcile now (on the reconciler's thread). */
  public void poke() {
    if (!executor.isShutdown()) {
      executor.execute(() -> guarded(true));
    }
  }

  public Stats stats() {
    return new Stats(created.get(), deleted.get(), failures.get(), passes.get(), resyncs.get());
  }

  private void guarded(boolean quick) {
    try {
      if (!leader.getAsBoolean()) {
        applied = null; // when we lead again, start from a full list
        return;
      }
      pass(quick);
    } catch (RuntimeException e) {
      failures.incrementAndGet();
      applied = null;
      fail("reconcile", null, e);
    }
  }

  /** One reconciliation; {@code quick} skips the API server when nothing changed since the last good pass. */
  void pass(boolean quick) {
    List<DesiredBinding> desired = policies.desiredBindings();
    if (quick && desired.equals(applied)) {
      return;
    }
    passes.incrementAndGet();
    if (!quick) {
      resyncs.incrementAndGet();
    }
    Map<String, RoleBinding> existing = new HashMap<>();
    for (RoleBinding rb : client.rbac().roleBindings().inAnyNamespace().withLabel(MANAGED_BY, MANAGER).list().getItems()) {
      existing.put(key(rb.getMetadata().getNamespace(), rb.getMetadata().getName()), rb);
    }
    boolean ok = true;
    Map<String, DesiredBinding> wanted = new LinkedHashMap<>();
    desired.forEach(d -> wanted.put(key(d.namespace(), d.name()), d));
    for (Map.Entry<String, RoleBinding> e : existing.entrySet()) {
      DesiredBinding d = wanted.get(e.getKey());
      if (d == null || !matches(e.getValue(), d)) {
        ok &= delete(e.getValue(), d == null ? "grant ended" : "binding differs from the grant");
      }
    }
    for (Map.Entry<String, DesiredBinding> e : wanted.entrySet()) {
      RoleBinding have = existing.get(e.getKey());
      if (have == null || !matches(have, e.getValue())) {
        ok &= create(e.getValue());
      }
    }
    applied = ok ? desired : null;
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }

  static boolean matches(RoleBinding rb, DesiredBinding d) {
    if (rb.getRoleRef() == null || !"ClusterRole".equals(rb.getRoleRef().getKind())
        || !d.clusterRole().equals(rb.getRoleRef().getName())) {
      return false;
    }
    if (rb.getSubjects() == null || rb.getSubjects().size() != 1) {
      return false;
    }
    Subject s = rb.getSubjects().get(0);
    Map<String, String> labels = rb.getMetadata().getLabels() == null ? Map.of() : rb.getMetadata().getLabels();
    return d.subjectKind().equals(s.getKind()) && d.subjectName().equals(s.getName())
        && Objects.equals(d.subjectNamespace(), "ServiceAccount".equals(s.getKind()) ? s.getNamespace() : null)
        && d.grantId().equals(labels.get(GRANT_LABEL));
  }

  static RoleBinding build(DesiredBinding d) {
    Subject subject = new Subject();
    subject.setKind(d.subjectKind());
    subject.setName(d.subjectName());
    if ("ServiceAccount".equals(d.subjectKind())) {
      subject.setNamespace(d.subjectNamespace());
    } else {
      subject.setApiGroup(RBAC);
    }
    return new RoleBindingBuilder()
        .withNewMetadata().withName(d.name()).withNamespace(d.namespace())
        .addToLabels(MANAGED_BY, MANAGER).addToLabels(GRANT_LABEL, d.grantId())
        .addToAnnotations(EXPIRES_ANNOTATION, d.expiresAt()).addToAnnotations(ROLE_ANNOTATION, d.role())
        .endMetadata()
        .withNewRoleRef().withApiGroup(RBAC).withKind("ClusterRole").withName(d.clusterRole()).endRoleRef()
        .withSubjects(subject)
        .build();
  }

  private boolean create(DesiredBinding d) {
    try {
      var res = client.rbac().roleBindings().inNamespace(d.namespace()).withName(d.name());
      RoleBinding current = res.get();
      if (current != null) {
        Map<String, String> labels = current.getMetadata().getLabels();
        if (labels == null || !MANAGER.equals(labels.get(MANAGED_BY))) {
          throw new IllegalStateException("a RoleBinding " + key(d.namespace(), d.name())
              + " not managed by gatehouse is in the way; it is left alone");
        }
        res.delete(); // roleRef is immutable: replace
      }
      client.rbac().roleBindings().inNamespace(d.namespace()).resource(build(d)).create();
      created.incrementAndGet();
      reportedFailures.removeIf(k -> k.startsWith(d.name() + "|"));
      ObjectNode data = Jsons.object().put("namespace", d.namespace()).put("name", d.name())
          .put("cluster_role", d.clusterRole()).put("subject_kind", d.subjectKind()).put("subject", d.subjectName())
          .put("expires_at", d.expiresAt());
      events.record("kube.rolebinding.created", d.grantId(), data);
      return true;
    } catch (KubernetesClientException | IllegalStateException e) {
      failures.incrementAndGet();
      fail("create " + key(d.namespace(), d.name()), d, e);
      return false;
    }
  }

  private boolean delete(RoleBinding rb, String why) {
    String ns = rb.getMetadata().getNamespace();
    String name = rb.getMetadata().getName();
    String grant = rb.getMetadata().getLabels() == null ? "" : rb.getMetadata().getLabels().getOrDefault(GRANT_LABEL, "");
    try {
      client.rbac().roleBindings().inNamespace(ns).withName(name).delete();
      deleted.incrementAndGet();
      events.record("kube.rolebinding.deleted", grant, Jsons.object().put("namespace", ns).put("name", name)
          .put("reason", why));
      return true;
    } catch (KubernetesClientException e) {
      failures.incrementAndGet();
      fail("delete " + key(ns, name), null, e);
      return false;
    }
  }

  private void fail(String what, DesiredBinding d, Exception e) {
    String message = e instanceof KubernetesClientException k && k.getStatus() != null && k.getStatus().getMessage() != null
        ? k.getStatus().getMessage() : String.valueOf(e.getMessage());
    LOG.log(Level.WARNING, "RoleBinding reconciliation: " + what + " failed: " + message);
    String k = (d == null ? what : d.name()) + "|" + message;
    if (reportedFailures.add(k)) {
      try {
        events.record("kube.rolebinding.failed", d == null ? "" : d.grantId(),
            Jsons.object().put("action", what).put("error", message));
      } catch (RuntimeException audit) {
        LOG.log(Level.WARNING, "could not audit a RoleBinding failure", audit);
      }
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
