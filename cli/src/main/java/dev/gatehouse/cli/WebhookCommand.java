package dev.gatehouse.cli;

import dev.gatehouse.engine.ast.RegoVersion;
import dev.gatehouse.engine.bundle.Bundle;
import dev.gatehouse.engine.bundle.BundleException;
import dev.gatehouse.injector.config.ConfigException;
import dev.gatehouse.injector.config.ConfigLoader;
import dev.gatehouse.injector.config.WebhookConfig;
import dev.gatehouse.injector.policy.BundlePolicySource;
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

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    if ((policies == null) == (bundle == null)) {
      err.println("error: give exactly one of --policies DIR or --bundle FILE");
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
    if (policies != null) {
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
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
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
