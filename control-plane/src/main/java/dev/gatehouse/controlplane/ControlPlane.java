package dev.gatehouse.controlplane;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.controlplane.api.ApiServer;
import dev.gatehouse.controlplane.api.Metrics;
import dev.gatehouse.controlplane.audit.AuditExport;
import dev.gatehouse.controlplane.audit.AuditShipper;
import dev.gatehouse.controlplane.auth.AuthException;
import dev.gatehouse.controlplane.auth.Authenticator;
import dev.gatehouse.controlplane.auth.StaticTokens;
import dev.gatehouse.controlplane.bundle.Bundles;
import dev.gatehouse.controlplane.grant.SigningKeys;
import dev.gatehouse.controlplane.kube.AuthorizationWebhook;
import dev.gatehouse.controlplane.kube.KubeConnection;
import dev.gatehouse.controlplane.kube.KubePolicies;
import dev.gatehouse.controlplane.kube.Leadership;
import dev.gatehouse.controlplane.store.kube.KubeStore;
import dev.gatehouse.controlplane.kube.LiveGrants;
import dev.gatehouse.controlplane.kube.RoleBindingReconciler;
import io.fabric8.kubernetes.client.KubernetesClient;
import dev.gatehouse.controlplane.notify.Notification;
import dev.gatehouse.controlplane.notify.Webhooks;
import dev.gatehouse.controlplane.policy.GitCheckout;
import dev.gatehouse.controlplane.policy.Policies;
import dev.gatehouse.controlplane.policy.PolicyLoader;
import dev.gatehouse.controlplane.service.AccessService;
import dev.gatehouse.controlplane.service.Hooks;
import dev.gatehouse.controlplane.store.AuditEvent;
import dev.gatehouse.controlplane.store.SqliteStore;
import dev.gatehouse.controlplane.store.Store;
import dev.gatehouse.controlplane.web.WebOptions;
import dev.gatehouse.controlplane.web.WebUi;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.JdkLoggerFactory;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The JIT control plane, startable from Java: {@code ControlPlane.start(options)} returns a running
 * instance; {@link #port()}, {@link #url()}, {@link #close()}. The CLI's {@code gatehouse
 * control-plane} and {@code gatehouse up} are thin wrappers around this.
 */
public final class ControlPlane implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(ControlPlane.class.getName());
  public static final String DB_FILE = "gatehouse.db";
  public static final String TOKENS_FILE = "tokens.json";

  /** Start-up settings; only {@code dataDir} and {@code policiesDir} are required. */
  public static final class Options {
    Path dataDir;
    Path policiesDir;
    Path orgFile;
    String host = "127.0.0.1";
    int port = 8181;
    Path tlsCert;
    Path tlsKey;
    Path authConfig;
    Path tokensFile;
    Clock clock = Clock.systemUTC();
    Duration pendingTtl = Duration.ofHours(1);
    Duration expiryLead = Duration.ofMinutes(10);
    List<URI> webhooks = new ArrayList<>();
    int webhookAttempts = 5;
    Duration webhookBackoff = Duration.ofSeconds(1);
    PrintStream auditOut;
    URI auditHttpUrl;
    String auditHttpToken;
    Duration tickInterval = Duration.ofSeconds(1);
    Duration policyPoll = Duration.ofSeconds(2);
    Duration headInterval = Duration.ofSeconds(30);
    String gitUrl;
    String gitRef;
    String gitPath;
    Duration gitPoll = Duration.ofSeconds(30);
    WebOptions web = WebOptions.defaults();
    boolean kubeRoleBindings;
    boolean kubeStore;
    String kubeNamespace;
    String kubeIdentity;
    Duration leaseDuration = Duration.ofSeconds(15);
    boolean kubeAuthorizer;
    Path kubeconfig;
    Duration kubeResync = Duration.ofSeconds(30);

    public Options(Path dataDir, Path policiesDir) {
      this.dataDir = dataDir;
      this.policiesDir = policiesDir;
    }

    /** Organisation data ({@code teams}, {@code oncall}, {@code services}) loaded at {@code data.gatehouse.*}. */
    public Options orgFile(Path f) { orgFile = f; return this; }
    public Options listen(String h, int p) { host = h; port = p; return this; }
    public Options tls(Path cert, Path key) { tlsCert = cert; tlsKey = key; return this; }
    /** The {@code --auth} configuration file (see {@link Authenticator}). */
    public Options authConfig(Path f) { authConfig = f; return this; }
    /** A static token file to use when there is no auth configuration (default: {@code DATA/tokens.json}). */
    public Options tokensFile(Path f) { tokensFile = f; return this; }
    public Options clock(Clock c) { clock = c; return this; }
    public Options pendingTtl(Duration d) { pendingTtl = d; return this; }
    public Options expiryLead(Duration d) { expiryLead = d; return this; }
    public Options webhook(URI u) { webhooks.add(u); return this; }
    public Options webhookRetry(int attempts, Duration firstBackoff) { webhookAttempts = attempts; webhookBackoff = firstBackoff; return this; }
    /** Where audit events go as JSON lines for a SIEM (null: nowhere). */
    public Options auditOut(PrintStream p) { auditOut = p; return this; }
    /** Also ship audit events in gzip JSON batches to this SIEM collector (bearer token may be null). */
    public Options auditHttp(URI url, String token) { auditHttpUrl = url; auditHttpToken = token; return this; }
    public Options tickInterval(Duration d) { tickInterval = d; return this; }
    public Options policyPoll(Duration d) { policyPoll = d; return this; }
    public Options headInterval(Duration d) { headInterval = d; return this; }
    /** Policies from Git (URL or path, ref, optional sub-directory) instead of {@code policiesDir}; fetched every {@code poll}. */
    /**
     * Kubernetes: keep a RoleBinding per active namespace grant ({@code roleBindings}) and/or serve
     * the authorization webhook at {@code /kubernetes/authorize} ({@code authorizer}); the API server
     * from {@code kubeconfig}, or in-cluster when null.
     */
    public Options kubernetes(boolean roleBindings, boolean authorizer, Path kubeconfig) {
      kubeRoleBindings = roleBindings; kubeAuthorizer = authorizer; this.kubeconfig = kubeconfig; return this;
    }
    /**
     * Keep requests, grants and the audit chain as AccessRequest/AccessGrant objects and ConfigMaps
     * in {@code namespace} (null: the pod's namespace) instead of SQLite, so several replicas share
     * them; the loops that must run once run on the replica holding the Lease
     * {@code gatehouse-control-plane} there. The cluster from {@link #kubernetes}'s kubeconfig.
     */
    public Options kubeStore(String namespace, Duration lease, String identity) {
      kubeStore = true; kubeNamespace = namespace; leaseDuration = lease; kubeIdentity = identity; return this;
    }
    /** The kubeconfig for the Kubernetes features (null: in-cluster). */
    public Options kubeconfig(Path f) { kubeconfig = f; return this; }
    /** How often the RoleBindings are listed and repaired (default 30 s). */
    public Options kubeResync(Duration d) { kubeResync = d; return this; }
    public Options git(String url, String ref, String path, Duration poll) {
      gitUrl = url; gitRef = ref; gitPath = path; gitPoll = poll; return this;
    }
    /** The web UI's settings (base URL, OIDC sign-in, sign-in hint, session limits). */
    public Options web(WebOptions w) { web = w == null ? WebOptions.defaults() : w; return this; }
  }

  private final Options options;
  private final Metrics metrics = new Metrics();
  private SigningKeys keys;
  private Store store;
  private Leadership leadership;
  private java.util.function.BooleanSupplier leading = () -> true;
  private Policies policies;
  private AccessService service;
  private ApiServer api;
  private volatile WebUi web;
  private Vertx vertx;
  private HttpServer server;
  private Webhooks webhooks;
  private AuditShipper shipper;
  private ScheduledExecutorService timers;
  private ExecutorService bundleBuilder;
  private Path tokensFile;
  private boolean generatedTokens;
  private KubernetesClient kube;
  private LiveGrants liveGrants;
  private RoleBindingReconciler roleBindings;

  private ControlPlane(Options options) {
    this.options = options;
  }

  /**
   * Opens the store, loads keys and policies, and listens.
   *
   * @throws IOException when the data directory, policies, TLS files or port are unusable
   */
  public static ControlPlane start(Options options) throws IOException {
    ControlPlane cp = new ControlPlane(options);
    try {
      cp.doStart();
    } catch (IOException | RuntimeException e) {
      cp.close();
      throw e;
    }
    return cp;
  }

  private void doStart() throws IOException {
    quietLogging();
    Files.createDirectories(options.dataDir);
    keys = SigningKeys.loadOrCreate(options.dataDir);
    if (options.kubeStore) {
      kube = KubeConnection.connect(options.kubeconfig);
      String ns = options.kubeNamespace != null ? options.kubeNamespace : KubeConnection.podNamespace();
      try {
        store = KubeStore.open(kube, ns);
      } catch (RuntimeException e) {
        throw new IOException("cannot open the Kubernetes store: " + e.getMessage(), e);
      }
      String id = options.kubeIdentity != null ? options.kubeIdentity : KubeConnection.identity();
      leadership = new Leadership(kube, ns, "gatehouse-control-plane", id, options.leaseDuration);
      leading = leadership;
    } else {
      store = SqliteStore.open(options.dataDir.resolve(DB_FILE));
    }
    Authenticator auth = authenticator();
    if (options.auditHttpUrl != null) {
      shipper = new AuditShipper(options.auditHttpUrl, options.auditHttpToken);
    }
    AuditExport export = new AuditExport(options.auditOut, shipper);
    Hooks hooks = new Hooks() {
      @Override
      public void grantsChanged(long sequence) {
        if (api != null) {
          api.grantsChanged();
        }
        if (liveGrants != null) {
          liveGrants.invalidate();
        }
        if (roleBindings != null) {
          roleBindings.poke();
        }
      }

      @Override
      public void audited(List<AuditEvent> events) {
        export.write(events);
        WebUi w = web;
        if (w != null) {
          w.changed(events);
        }
        metrics.inc("gatehouse_audit_events_total", "");
        events.forEach(e -> metrics.inc("gatehouse_events_total", "type=\"" + e.type() + "\""));
      }

      @Override
      public void notify(Notification n) {
        metrics.inc("gatehouse_notifications_total", "event=\"" + n.event() + "\"");
        if (webhooks != null) {
          webhooks.send(n);
        }
      }
    };
    PolicyLoader loader = options.gitUrl == null ? new PolicyLoader(options.policiesDir, options.orgFile)
        : PolicyLoader.git(new GitCheckout(options.gitUrl, options.gitRef, options.dataDir.resolve("policies-git"),
            options.gitPoll), options.gitPath, options.orgFile);
    policies = new Policies(loader, (from, to) -> {
      if (service != null) {
        service.policyRevisionChanged(from, to);
      }
      if (api != null) {
        api.policiesChanged();
      }
    });
    service = new AccessService(store, policies, keys, options.clock, options.pendingTtl, hooks);
    if (!policies.refresh()) {
      throw new IOException("cannot load the policies from " + policies.describe() + ": " + policies.lastError());
    }
    webhooks = new Webhooks(options.webhooks, options.webhookAttempts, options.webhookBackoff,
        (n, url, err) -> {
          metrics.inc("gatehouse_notification_failures_total", "");
          try {
            service.notificationFailed(n, url, err);
          } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not audit a failed notification", e);
          }
        });
    Bundles bundles = new Bundles(store, keys);
    bundleBuilder = Executors.newFixedThreadPool(2, daemon("gatehouse-bundles"));
    vertx = Vertx.vertx(new VertxOptions().setWorkerPoolSize(32)
        .setFileSystemOptions(new FileSystemOptions().setFileCachingEnabled(false).setClassPathResolvingEnabled(false)));
    api = new ApiServer(vertx, service, auth, policies, bundles, metrics, bundleBuilder);
    metrics.gauge("gatehouse_grants_bundle_sequence", "the grants bundle's sequence number", store::grantsSequence);
    if (shipper != null) {
      AuditShipper sh = shipper;
      metrics.gauge("gatehouse_audit_shipped_events", "audit events the SIEM collector accepted", () -> sh.stats().shipped());
      metrics.gauge("gatehouse_audit_ship_dropped_events", "audit events not shipped because the queue was full",
          () -> sh.stats().dropped());
      metrics.gauge("gatehouse_audit_ship_queued_events", "audit events waiting to be shipped", () -> sh.stats().queued());
    }
    // HTTP/1.1 only on plain connections: the JDK's client (the CLI's, and enforcers' bundle clients)
    // offers an h2c upgrade on every body-less request, and an accepted upgrade could leave a call
    // hanging past its own timeout. TLS connections still negotiate HTTP/2 by ALPN when asked.
    HttpServerOptions http = new HttpServerOptions().setDecompressionSupported(false).setIdleTimeout(0)
        .setHttp2ClearTextEnabled(false);
    if (options.tlsCert != null) {
      http.setSsl(true).setKeyCertOptions(new PemKeyCertOptions().setCertPath(options.tlsCert.toString())
          .setKeyPath(options.tlsKey.toString()));
      if (auth.clientCa() != null) {
        http.setClientAuth(ClientAuth.REQUEST).setTrustOptions(new PemTrustOptions().addCertPath(auth.clientCa().toString()));
      }
    }
    io.vertx.ext.web.Router router = api.router();
    startKubernetes(router, auth);
    // The web UI (/ui/, and / redirecting to it) rides on the same router, after the API routes.
    web = new WebUi(vertx, service, auth, policies, options.clock, options.web, this::url);
    web.mount(router);
    server = vertx.createHttpServer(http).requestHandler(router);
    try {
      server.listen(options.port, options.host).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new IOException("cannot listen on " + options.host + ":" + options.port + ": " + cause.getMessage(), cause);
    }
    timers = Executors.newSingleThreadScheduledExecutor(daemon("gatehouse-timers"));
    // With several replicas (Kubernetes store) only the Lease holder runs the once-only loops.
    java.util.function.BooleanSupplier lead = leading;
    every(options.tickInterval, () -> {
      if (lead.getAsBoolean()) {
        service.tick(options.expiryLead);
      }
    });
    every(options.policyPoll, policies::refresh);
    every(options.headInterval, () -> {
      if (lead.getAsBoolean()) {
        service.signHead();
      }
    });
    if (leadership != null) {
      // Another replica's commits wake no hook here: follow the grants sequence for long polls.
      long[] seen = {store.grantsSequence()};
      every(Duration.ofSeconds(1), () -> {
        long now = store.grantsSequence();
        if (now != seen[0]) {
          seen[0] = now;
          api.grantsChanged();
          if (liveGrants != null) {
            liveGrants.invalidate();
          }
          if (roleBindings != null) {
            roleBindings.poke();
          }
        }
      });
      metrics.gauge("gatehouse_leader", "1 while this replica holds the control-plane Lease", () -> lead.getAsBoolean() ? 1 : 0);
      leadership.start();
    }
  }

  /** The Kubernetes integrations (control-plane/README.md "Kubernetes"), when asked for. */
  private void startKubernetes(io.vertx.ext.web.Router router, Authenticator auth) throws IOException {
    if (!options.kubeRoleBindings && !options.kubeAuthorizer) {
      return;
    }
    liveGrants = new LiveGrants(store);
    KubePolicies kubePolicies = new KubePolicies(policies, liveGrants, options.clock);
    if (options.kubeAuthorizer) {
      new AuthorizationWebhook(vertx, kubePolicies, auth, service, metrics).mount(router);
    }
    if (options.kubeRoleBindings) {
      if (kube == null) {
        kube = KubeConnection.connect(options.kubeconfig);
      }
      roleBindings = new RoleBindingReconciler(kube, kubePolicies,
          (type, subject, data) -> service.record(type, "control-plane", subject, data),
          options.tickInterval, options.kubeResync, leading);
      RoleBindingReconciler rb = roleBindings;
      metrics.gauge("gatehouse_kube_rolebindings_created", "RoleBindings created for grants", () -> rb.stats().created());
      metrics.gauge("gatehouse_kube_rolebindings_deleted", "RoleBindings deleted when grants ended", () -> rb.stats().deleted());
      metrics.gauge("gatehouse_kube_rolebinding_failures", "failed RoleBinding reconciliations", () -> rb.stats().failures());
      roleBindings.start();
    }
  }

  private void every(Duration d, Runnable r) {
    timers.scheduleWithFixedDelay(() -> {
      try {
        r.run();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "background task failed", e);
      }
    }, d.toMillis(), d.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  private Authenticator authenticator() throws IOException {
    try {
      if (options.authConfig != null) {
        return Authenticator.load(options.authConfig);
      }
      tokensFile = options.tokensFile != null ? options.tokensFile : options.dataDir.resolve(TOKENS_FILE);
      if (!Files.exists(tokensFile)) {
        writeDefaultTokens(tokensFile);
        generatedTokens = true;
      }
      return new Authenticator(StaticTokens.read(tokensFile), null, null, Map.of());
    } catch (AuthException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  /** First start without any auth configuration: an admin token and an enforcer token, mode 0600. */
  private static void writeDefaultTokens(Path file) throws IOException {
    ObjectNode root = Jsons.object();
    ArrayNode tokens = root.putArray("tokens");
    ObjectNode admin = tokens.addObject().put("token", randomToken()).put("user", "admin");
    admin.putArray("groups").add("platform-admins");
    admin.putArray("roles").add("admin");
    ObjectNode enforcer = tokens.addObject().put("token", randomToken()).put("user", "enforcer");
    enforcer.putArray("groups");
    enforcer.putArray("roles").add("enforcer");
    Files.writeString(file, Jsons.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException ignored) {
      // not POSIX
    }
  }

  public static String randomToken() {
    byte[] b = new byte[24];
    new SecureRandom().nextBytes(b);
    return "gh_" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  private static void quietLogging() {
    if (System.getProperty("vertx.logger-delegate-factory-class-name") == null) {
      System.setProperty("vertx.logger-delegate-factory-class-name", "io.vertx.core.logging.JULLogDelegateFactory");
    }
    InternalLoggerFactory.setDefaultFactory(JdkLoggerFactory.INSTANCE);
  }

  public int port() {
    return server.actualPort();
  }

  public String url() {
    String host = options.host.equals("0.0.0.0") || options.host.equals("::") ? "127.0.0.1" : options.host;
    return (options.tlsCert != null ? "https://" : "http://") + host + ":" + port();
  }

  /** The static token file in use (null with an --auth configuration), and whether this start wrote it. */
  public Path tokensFile() {
    return tokensFile;
  }

  public boolean generatedTokens() {
    return generatedTokens;
  }

  public String publicKeyPem() {
    return keys.publicKeyPem();
  }

  public String keyId() {
    return keys.keyId();
  }

  public Store store() {
    return store;
  }

  public AccessService service() {
    return service;
  }

  public Policies policies() {
    return policies;
  }

  public WebUi webUi() {
    return web;
  }

  /** The web UI's address ({@code <url>/ui/}). */
  public String uiUrl() {
    return url() + "/ui/";
  }

  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("url", url());
    m.put("data_dir", options.dataDir.toAbsolutePath().toString());
    m.put("policies", policies.describe());
    m.put("policy_revision", policies.current().map(s -> s.revision()).orElse(null));
    m.put("kid", keys.keyId());
    return m;
  }

  /** Stops listening, finishes background work, signs the chain head and closes the store. */
  @Override
  public void close() {
    if (timers != null) {
      timers.shutdownNow();
    }
    if (web != null) {
      web.close();
    }
    if (roleBindings != null) {
      roleBindings.close();
    }
    if (server != null) {
      try {
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.log(Level.FINE, "server close", e);
      }
    }
    if (vertx != null) {
      try {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.log(Level.FINE, "vertx close", e);
      }
    }
    if (bundleBuilder != null) {
      bundleBuilder.shutdownNow();
    }
    if (webhooks != null) {
      webhooks.close();
    }

    if (service != null && store != null && leading.getAsBoolean()) {
      try {
        service.signHead();
      } catch (RuntimeException e) {
        LOG.log(Level.FINE, "final head", e);
      }
    }
    if (leadership != null) {
      leadership.close();
    }
    if (store != null) {
      store.close();
      store = null;
    }
    if (kube != null) {
      kube.close();
    }
    if (shipper != null) {
      shipper.close(); // after the final signed head, so the collector gets it too
    }
  }
}
