package dev.gatehouse.cli;

import dev.gatehouse.sidecar.JsonLog;
import dev.gatehouse.sidecar.Sidecar;
import dev.gatehouse.sidecar.SidecarOptions;
import dev.gatehouse.sync.BundleSync;
import dev.gatehouse.sync.config.BundleConfig;
import dev.gatehouse.sync.config.ConfigException;
import dev.gatehouse.sync.config.ConfigReader;
import dev.gatehouse.sync.config.SyncConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
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

/** {@code gatehouse sidecar}: the enforcing reverse proxy (see sidecar/README.md). */
@Command(name = "sidecar", mixinStandardHelpOptions = true,
    description = {"Run the sidecar: a reverse proxy in front of --upstream that decides every request with "
        + "data.gatehouse.sidecar.decision, from policy and grant bundles it keeps current itself "
        + "(--config, OPA's configuration format) or from a local --policies directory.",
        "Admin endpoints (/health, /ready, /live, /metrics) are on --admin-listen, never on the proxy port."})
final class SidecarCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--upstream", required = true, paramLabel = "URL", description = "The service behind the sidecar, e.g. http://127.0.0.1:8080.")
  String upstream;

  @Option(names = "--listen", defaultValue = "0.0.0.0:15080", paramLabel = "ADDR",
      description = "Proxy listen address, HOST:PORT or :PORT (default: ${DEFAULT-VALUE}).")
  String listen;

  @Option(names = "--admin-listen", defaultValue = "0.0.0.0:15020", paramLabel = "ADDR",
      description = "Admin listen address for /health, /ready, /live, /metrics (default: ${DEFAULT-VALUE}).")
  String adminListen;

  @Option(names = "--service", required = true, paramLabel = "NAME", description = "The service name decisions are made for.")
  String service;

  @Option(names = "--namespace", paramLabel = "NS", description = "The service's namespace (grants must match it when set).")
  String namespace;

  @Option(names = "--config", paramLabel = "FILE", description = "OPA configuration (YAML or JSON): services, bundles, keys, persistence_directory.")
  Path config;

  @Option(names = "--policies", paramLabel = "DIR", description = "A local policy directory, watched, as the 'policies' bundle.")
  Path policies;

  @Option(names = "--tls-cert", paramLabel = "FILE", description = "PEM serving certificate: the proxy listens with TLS.")
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM private key for --tls-cert.")
  Path tlsKey;

  @Option(names = "--client-ca", paramLabel = "FILE", description = "PEM CA bundle: client certificates chaining to it identify callers (SPIFFE URI SAN, else CN).")
  Path clientCa;

  @Option(names = "--jwks", paramLabel = "URL|FILE", description = "JWKS to verify bearer JWTs with; without it, bearer tokens are not identities.")
  String jwks;

  @Option(names = "--jwt-issuer", paramLabel = "ISS", description = "Required iss claim.")
  String jwtIssuer;

  @Option(names = "--jwt-audience", paramLabel = "AUD", description = "Required aud claim.")
  String jwtAudience;

  @Option(names = "--jwt-subject-claim", defaultValue = "sub", paramLabel = "CLAIM", description = "Claim holding the caller's name (default: ${DEFAULT-VALUE}).")
  String jwtSubjectClaim;

  @Option(names = "--identity-header", paramLabel = "NAME",
      description = "Header carrying an identity forwarded by a mesh proxy (x-forwarded-client-cert is read for URI=). "
          + "Trusted: set it only when the proxy port is reachable through the mesh alone.")
  String identityHeader;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    if (config == null && policies == null) {
      err.println("error: give --config FILE (bundles from a server) and/or --policies DIR");
      return 1;
    }
    if ((tlsCert == null) != (tlsKey == null)) {
      err.println("error: --tls-cert and --tls-key go together");
      return 1;
    }
    if (clientCa != null && tlsCert == null) {
      err.println("error: --client-ca needs --tls-cert and --tls-key (mTLS)");
      return 1;
    }
    SyncConfig sc;
    try {
      sc = syncConfig();
    } catch (ConfigException e) {
      err.println("error: " + e.getMessage());
      return 1;
    }
    String[] l;
    String[] a;
    URI up;
    try {
      l = address(listen, "--listen");
      a = address(adminListen, "--admin-listen");
      up = new URI(upstream);
    } catch (IllegalArgumentException | URISyntaxException e) {
      err.println("error: " + e.getMessage());
      return 1;
    }
    Clock clock = Clock.systemUTC();
    JsonLog log = new JsonLog(System.out, clock);
    SidecarOptions options;
    try {
      options = new SidecarOptions(up, l[0], Integer.parseInt(l[1]), a[0], Integer.parseInt(a[1]), service, namespace,
          tlsCert == null ? null : new SidecarOptions.Tls(tlsCert, tlsKey, clientCa),
          jwks == null ? null : new SidecarOptions.Jwt(jwks, jwtIssuer, jwtAudience, jwtSubjectClaim),
          identityHeader, clock, System.out, null);
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return 1;
    }
    BundleSync sync = new BundleSync(sc, clock, Sidecar.loggingEvents(log));
    Sidecar sidecar;
    try {
      sync.start();
      sidecar = Sidecar.start(options, sync);
    } catch (IOException | RuntimeException e) {
      sync.close();
      err.println("error: " + e.getMessage());
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      sidecar.close();
      sync.close();
      stopped.countDown();
    }, "gatehouse-shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  private SyncConfig syncConfig() {
    SyncConfig sc = config == null ? new SyncConfig(Map.of(), Map.of(), Map.of(), null) : ConfigReader.read(config);
    if (policies == null) {
      if (sc.bundles().isEmpty()) {
        throw new ConfigException(config + ": no bundles configured");
      }
      return sc;
    }
    if (!Files.isDirectory(policies)) {
      throw new ConfigException("--policies " + policies + ": not a directory");
    }
    if (sc.bundles().containsKey("policies")) {
      throw new ConfigException("--policies and a bundle named 'policies' in " + config + ": give one of them");
    }
    Map<String, BundleConfig> bundles = new LinkedHashMap<>();
    bundles.put("policies", BundleConfig.directory("policies", policies, new BundleConfig.Polling(1, 1, null)));
    bundles.putAll(sc.bundles());
    return new SyncConfig(sc.services(), bundles, sc.keys(), sc.persistenceDirectory());
  }

  /** HOST:PORT, :PORT or PORT (all interfaces). */
  static String[] address(String s, String flag) {
    int colon = s.lastIndexOf(':');
    String host = colon < 0 ? "0.0.0.0" : s.substring(0, colon);
    String port = colon < 0 ? s : s.substring(colon + 1);
    if (host.isEmpty()) {
      host = "0.0.0.0";
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    try {
      int p = Integer.parseInt(port);
      if (p < 0 || p > 65535) {
        throw new NumberFormatException();
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " " + s + ": expected HOST:PORT, :PORT or PORT");
    }
    return new String[] {host, port};
  }
}
