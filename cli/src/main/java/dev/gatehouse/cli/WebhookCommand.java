package dev.gatehouse.cli;

import dev.gatehouse.engine.ast.RegoVersion;
import dev.gatehouse.engine.bundle.Bundle;
import dev.gatehouse.engine.bundle.BundleException;
import dev.gatehouse.injector.config.ConfigException;
import dev.gatehouse.injector.config.ConfigLoader;
import dev.gatehouse.injector.config.WebhookConfig;
import dev.gatehouse.injector.policy.BundlePolicySource;
import dev.gatehouse.injector.policy.CompiledPolicySource;
import dev.gatehouse.sidecar.JsonLog;
import dev.gatehouse.sidecar.Sidecar;
import dev.gatehouse.sync.ActivePolicy;
import dev.gatehouse.sync.BundleStatus;
import dev.gatehouse.sync.BundleSync;
import dev.gatehouse.injector.policy.BundleReader;
import dev.gatehouse.injector.policy.DirectoryPolicySource;
import dev.gatehouse.injector.policy.PolicySet;
import dev.gatehouse.injector.policy.PolicySource;
import dev.gatehouse.injector.server.WebhookServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gatehouse webhook}: the admission webhook server (see injector/README.md). */
@Command(name = "webhook", mixinStandardHelpOptions = true, subcommands = WebhookCertsCommand.class,
    description = {"Run the Kubernetes admission webhook: sidecar injection on POST /mutate and Rego guardrails "
        + "on POST /validate, over HTTPS.",
        "Policies are reloaded when they change; so are the certificate and key."})
final class WebhookCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--policies", paramLabel = "DIR", description = "Directory of Rego and data files (as opa eval -d).")
  Path policies;

  @Option(names = "--bundle", paramLabel = "FILE", description = "OPA bundle file (tar.gz).")
  Path bundle;

  @Option(names = "--tls-cert", paramLabel = "FILE", description = "PEM serving certificate (chain).")
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM private key.")
  Path tlsKey;

  @Option(names = "--port", defaultValue = "8443", description = "HTTPS port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--host", defaultValue = "0.0.0.0", description = "Listen address (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration merged over the built-in defaults.")
  Path config;

  @Option(names = "--opa-config", paramLabel = "FILE",
      description = "OPA configuration (YAML or JSON; as gatehouse sidecar --config): policy and grants bundles pulled "
          + "from the control plane and verified (bundle signature with the configured key, then each grant's JWS), so "
          + "CONNECT on exec/attach/port-forward is decided by the same live grants as the sidecars. With --policies, "
          + "that directory is the policies bundle and the grants still come from the server.")
  Path opaConfig;

  @Option(names = "--reset-revision-floor",
      description = "With --opa-config: accept an older grants revision once (after a control-plane data reset).")
  boolean resetRevisionFloor;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    if (opaConfig == null && (policies == null) == (bundle == null)) {
      err.println("error: give exactly one of --policies DIR, --bundle FILE or --opa-config FILE (with --policies DIR)");
      return 2;
    }
    if (opaConfig != null && bundle != null) {
      err.println("error: --bundle and --opa-config exclude each other (put the bundle behind a service in the OPA "
          + "configuration)");
      return 2;
    }
    if (tlsCert == null || tlsKey == null) {
      err.println("error: --tls-cert and --tls-key are required (gatehouse webhook certs makes a pair)");
      return 2;
    }
    if (policies != null && !Files.isDirectory(policies)) {
      err.println("error: --policies " + policies + ": not a directory");
      return 1;
    }
    WebhookConfig cfg;
    try {
      cfg = ConfigLoader.load(config);
    } catch (ConfigException e) {
      err.println("error: " + e.getMessage());
      return 1;
    }
    PolicySource source;
    BundleSync sync = null;
    if (opaConfig != null) {
      try {
        sync = new BundleSync(SidecarCommand.syncConfig(opaConfig, policies), Clock.systemUTC(),
            Sidecar.loggingEvents(new JsonLog(System.out, Clock.systemUTC())));
      } catch (dev.gatehouse.sync.config.ConfigException e) {
        err.println("error: " + e.getMessage());
        return 1;
      }
      source = syncSource(sync, opaConfig);
    } else if (policies != null) {
      source = new DirectoryPolicySource(policies);
    } else {
      source = new BundlePolicySource(bundle, bundleReader());
    }
    WebhookServer server;
    try {
      server = WebhookServer.start(new WebhookServer.Options(source, tlsCert, tlsKey, host, port, cfg, System.out,
          Clock.systemUTC()));
    } catch (IOException e) {
      err.println("error: " + e.getMessage());
      return 1;
    }
    BundleSync running = sync;
    if (running != null) {
      if (resetRevisionFloor) {
        new JsonLog(System.out, Clock.systemUTC()).warn("revision floors reset on request (--reset-revision-floor)",
            Map.of("security", true, "dropped", running.resetRevisionFloors()));
      }
      server.metrics().include(sb -> running.metrics().render(sb, running.status()));
      // A new generation (a revocation) is decided on at once, not at the next policy poll.
      running.onActivation(active -> server.refreshPolicies());
      running.start();
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      if (running != null) {
        running.close();
      }
      server.close();
      stopped.countDown();
    }, "gatehouse-shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  /** The sync's compiled generations as the webhook's policy source. */
  static CompiledPolicySource syncSource(BundleSync sync, Path opaConfig) {
    return new CompiledPolicySource() {
      @Override
      public String describe() {
        return "bundles of " + opaConfig;
      }

      @Override
      public Optional<Compiled> compiled() {
        return sync.current().map(a -> new Compiled(a.policy(), revision(a)));
      }

      @Override
      public String lastError() {
        StringBuilder sb = new StringBuilder();
        for (BundleStatus s : sync.status()) {
          if (s.lastError() != null) {
            sb.append(sb.length() == 0 ? "" : "; ").append(s.name()).append(": ").append(s.lastError());
          }
        }
        return sb.length() == 0 ? null : sb.toString();
      }
    };
  }

  /** {@code grants=grants-7,policies=REV} (by bundle name): names a generation in /health, logs and audit annotations. */
  static String revision(ActivePolicy a) {
    StringBuilder sb = new StringBuilder();
    new java.util.TreeMap<>(a.revisions()).forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ",").append(k).append('=').append(v));
    return sb.toString();
  }

  /**
   * How {@code --bundle} files are read: to be backed by the engine's bundle reader
   * ({@code dev.gatehouse.engine.bundle}) once it is on main — a few lines mapping its modules,
   * data and manifest revision to a {@link dev.gatehouse.injector.policy.PolicySet}. Empty until then.
   */
  /**
   * The engine's OPA bundle reader behind the injector's interface. A signed bundle is refused
   * (the webhook takes no verification key yet), as {@code opa} refuses one it cannot verify.
   */
  static BundleReader bundleReader() {
    return path -> {
      Bundle bundle;
      try {
        bundle = Bundle.read(path);
      } catch (BundleException e) {
        String msg = e.getMessage();
        throw new IOException(msg.contains(path.toString()) ? msg : path + ": " + msg, e);
      }
      Map<String, String> modules = new LinkedHashMap<>();
      Map<String, RegoVersion> versions = new LinkedHashMap<>();
      for (Bundle.ModuleFile m : bundle.modules()) {
        modules.put(m.name(), m.source());
        if (m.regoVersion() != RegoVersion.V1) {
          versions.put(m.name(), m.regoVersion());
        }
      }
      String revision = bundle.manifest().revision();
      return new PolicySet(modules, versions, bundle.data(),
          revision == null || revision.isEmpty() ? path.getFileName().toString() : revision);
    };
  }
}
