package dev.gatehouse.controlplane.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Leader election on a {@code coordination.k8s.io} Lease among control-plane replicas sharing a
 * Kubernetes store: only the leader runs the loops that must run once (expiry and activation,
 * expiry warnings, signing audit heads, RoleBindings); every replica serves the API. A replica
 * that dies without releasing the Lease (kill -9) is replaced once the Lease expires
 * ({@code leaseDuration}); one that stops cleanly releases it at once. After losing leadership it
 * runs for election again.
 */
public final class Leadership implements BooleanSupplier, AutoCloseable {
  private static final Logger LOG = Logger.getLogger(Leadership.class.getName());

  private final KubernetesClient client;
  private final String namespace;
  private final String lease;
  private final String identity;
  private final Duration leaseDuration;
  private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "gatehouse-leader-election");
    t.setDaemon(true);
    return t;
  });
  private volatile boolean leading;
  private volatile String leader;
  private volatile boolean closed;
  private volatile CompletableFuture<?> running;
  private volatile io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector elector;

  public Leadership(KubernetesClient client, String namespace, String lease, String identity, Duration leaseDuration) {
    this.client = client;
    this.namespace = namespace;
    this.lease = lease;
    this.identity = identity;
    this.leaseDuration = leaseDuration;
  }

  public void start() {
    if (closed) {
      return;
    }
    long ms = leaseDuration.toMillis();
    elector = client.leaderElector().withConfig(new LeaderElectionConfigBuilder()
        .withName(lease)
        .withLock(new LeaseLock(namespace, lease, identity))
        .withLeaseDuration(leaseDuration)
        .withRenewDeadline(Duration.ofMillis(ms * 2 / 3))
        .withRetryPeriod(Duration.ofMillis(Math.max(200, ms / 5)))
        .withReleaseOnCancel(true)
        .withLeaderCallbacks(new LeaderCallbacks(
            () -> {
              leading = true;
              LOG.info(identity + " leads (Lease " + namespace + "/" + lease + ")");
            },
            () -> {
              leading = false;
              LOG.info(identity + " stopped leading");
            },
            l -> leader = l))
        .build()).build();
    running = elector.start();
    running.whenComplete((v, e) -> {
      leading = false;
      if (e != null && !closed) {
        LOG.log(Level.FINE, "leader election ended", e);
      }
      if (!closed) {
        executor.execute(this::start); // lost the Lease: stand again
      }
    });
  }

  @Override
  public boolean getAsBoolean() {
    return leading;
  }

  public String identity() {
    return identity;
  }

  /** The current leader's identity as last observed (null before the first observation). */
  public String leader() {
    return leader;
  }

  @Override
  public void close() {
    closed = true;
    CompletableFuture<?> r = running;
    if (r != null) {
      r.cancel(true); // releaseOnCancel: the Lease is given up for the next replica
    }
    leading = false;
    executor.shutdownNow();
  }
}
