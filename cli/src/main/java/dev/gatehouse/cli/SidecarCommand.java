package dev.gatehouse.cli;

import dev.gatehouse.sidecar.JsonLog;
import dev.gatehouse.sidecar.Sidecar;
import dev.gatehouse.sidecar.SidecarOptions;
import dev.gatehouse.sidecar.decisionlog.DecisionEvent;
import dev.gatehouse.sidecar.decisionlog.DecisionLogConfig;
import dev.gatehouse.sidecar.decisionlog.DecisionLogger;
import dev.gatehouse.sidecar.decisionlog.DecisionLogs;
import dev.gatehouse.sidecar.envoy.ExtAuthzGrpcServer;
import dev.gatehouse.sidecar.envoy.ExtAuthzHttpServer;
import dev.gatehouse.sidecar.envoy.ExtAuthzService;
import dev.gatehouse.sidecar.envoy.GatehouseMapping;
import dev.gatehouse.sidecar.opa.OpaApiOptions;
import dev.gatehouse.sidecar.opa.OpaApiServer;
import dev.gatehouse.sync.ActivePolicy;
import dev.gatehouse.sync.BundleSync;
import dev.gatehouse.sync.config.BundleConfig;
import dev.gatehouse.sync.config.ConfigException;
import dev.gatehouse.sync.config.ConfigReader;
import dev.gatehouse.sync.config.SyncConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code gatehouse sidecar}: the enforcing reverse proxy (see sidecar/README.md). */
@Command(name = "sidecar", mixinStandardHelpOptions = true,
    description = {"Run the sidecar: a reverse proxy in front of --upstream that decides every request with "
        + "data.gatehouse.sidecar.decision, from policy and grant bundles it keeps current itself "
        + "(--config, OPA's configuration format) or from a local --policies directory.",
        "Admin endpoints (/health, /ready, /live, /metrics) are on --admin-listen, never on the proxy port."})
final class SidecarCommand implements Callable<Integer> {
  /** The decision the proxy makes, as decision-log events name it. */
  static final String DECISION_PATH = "gatehouse/sidecar/decision";

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

  @Option(names = "--opa-addr", paramLabel = "ADDR",
      description = "Also serve OPA's REST API (/v1/data, POST /, /v1/policies, /health) from the same policies on "
          + "this address, e.g. 127.0.0.1:8181. Off unless given.")
  String opaAddr;

  @Option(names = "--opa-read-only", description = "Refuse policy and data writes on the OPA REST API.")
  boolean opaReadOnly;

  @Option(names = "--envoy-grpc-addr", paramLabel = "ADDR",
      description = "Also serve Envoy external authorization (envoy.service.auth.v3.Authorization/Check, gRPC) here.")
  String envoyGrpcAddr;

  @Option(names = "--envoy-http-addr", paramLabel = "ADDR",
      description = "Also serve Envoy's HTTP external-authorization mode here.")
  String envoyHttpAddr;

  @Option(names = "--envoy-decision", defaultValue = "gatehouse", paramLabel = "PATH",
      description = "What Envoy's checks are decided by: 'gatehouse' (data.gatehouse.sidecar.decision, subject from "
          + "the JWT or mTLS identity Envoy verified) or the data path of an OPA-Envoy policy such as "
          + "envoy/authz/allow (default: ${DEFAULT-VALUE}).")
  String envoyDecision;

  @Option(names = "--decision-log", paramLabel = "SPEC",
      description = "Where decision logs go, in OPA's event shape: console, file:PATH (gzip when PATH ends in .gz) or "
          + "an http(s):// URL (OPA's upload protocol). Repeatable; off unless given.")
  List<String> decisionLogs = new ArrayList<>();

  @Option(names = "--reset-revision-floor",
      description = "Forget the newest grants revision accepted before (persisted under persistence_directory), so a "
          + "control plane that started over at grants-1 is accepted. Older revisions are otherwise refused as "
          + "replays. Use once, after a control-plane data reset.")
  boolean resetRevisionFloor;

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
    BundleSync sync = new BundleSync(sc, clock, Sidecar.loggingEvents(log));
    DecisionLogger decisions;
    try {
      decisions = DecisionLogs.fromSpecs(decisionLogs, DecisionLogConfig.defaults(),
          () -> sync.current().map(ActivePolicy::policy));
    } catch (IOException | IllegalArgumentException e) {
      err.println("error: --decision-log: " + e.getMessage());
      return 1;
    }
    SidecarOptions options;
    try {
      options = new SidecarOptions(up, l[0], Integer.parseInt(l[1]), a[0], Integer.parseInt(a[1]), service, namespace,
          tlsCert == null ? null : new SidecarOptions.Tls(tlsCert, tlsKey, clientCa),
          jwks == null ? null : new SidecarOptions.Jwt(jwks, jwtIssuer, jwtAudience, jwtSubjectClaim),
          identityHeader, clock, System.out, decisionLogs.isEmpty() ? null : d -> decisions.log(DecisionEvent.of(d.id(),
              DECISION_PATH, d.input(), d.result(), d.revisions(), Map.of("timer_rego_query_eval_ns", d.evalNanos()),
              null)));
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return 1;
    }
    List<AutoCloseable> started = new ArrayList<>();
    if (resetRevisionFloor) {
      Map<String, String> dropped = sync.resetRevisionFloors();
      log.warn("revision floors reset on request (--reset-revision-floor): older grants revisions will be accepted "
          + "once", Map.of("security", true, "dropped", dropped));
    }
    try {
      sync.start();
      started.add(sync);
      started.add(decisions::close);
      started.add(Sidecar.start(options, sync));
      started.addAll(apis(sync, decisions));
    } catch (IOException | RuntimeException e) {
      for (int i = started.size() - 1; i >= 0; i--) {
        try {
          started.get(i).close();
        } catch (Exception ignored) {
          // already failing; the start error is what the user needs
        }
      }
      sync.close();
      err.println("error: " + e.getMessage());
      return 1;
    }
    ControlPlaneCommand.awaitShutdown(started);
    return 0;
  }

  /** The optional listeners beside the proxy: OPA's REST API and Envoy external authorization. */
  private List<AutoCloseable> apis(BundleSync sync, DecisionLogger decisions) throws IOException {
    List<AutoCloseable> out = new ArrayList<>();
    if (opaAddr == null && envoyHttpAddr == null && envoyGrpcAddr == null) {
      return out;
    }
    Vertx vertx = Vertx.vertx();
    out.add(() -> vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
    try {
      if (opaAddr != null) {
        String[] a = address(opaAddr, "--opa-addr");
        OpaApiServer api = await(OpaApiServer.start(vertx, OpaApiOptions.of(a[0], Integer.parseInt(a[1]))
            .withReadOnly(opaReadOnly), sync, sync, decisions), "--opa-addr " + opaAddr);
        out.add(() -> api.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
      }
      if (envoyGrpcAddr != null || envoyHttpAddr != null) {
        ExtAuthzService svc = envoyDecision.equals("gatehouse")
            ? new ExtAuthzService(sync, null, decisions, new GatehouseMapping(service, namespace, null))
            : new ExtAuthzService(sync, envoyDecision, decisions);
        if (envoyGrpcAddr != null) {
          String[] a = address(envoyGrpcAddr, "--envoy-grpc-addr");
          out.add(ExtAuthzGrpcServer.start(a[0], Integer.parseInt(a[1]), svc));
        }
        if (envoyHttpAddr != null) {
          String[] a = address(envoyHttpAddr, "--envoy-http-addr");
          ExtAuthzHttpServer http = await(ExtAuthzHttpServer.start(vertx, a[0], Integer.parseInt(a[1]), svc, ""),
              "--envoy-http-addr " + envoyHttpAddr);
          out.add(() -> http.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
        }
      }
    } catch (IOException | RuntimeException e) {
      for (int i = out.size() - 1; i >= 0; i--) {
        try {
          out.get(i).close();
        } catch (Exception ignored) {
          // closing what started before the failure
        }
      }
      throw e;
    }
    return out;
  }

  private static <T> T await(Future<T> f, String what) throws IOException {
    try {
      return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(what + ": interrupted", e);
    } catch (ExecutionException | TimeoutException e) {
      Throwable c = e.getCause() == null ? e : e.getCause();
      throw new IOException(what + ": " + c.getMessage(), c);
    }
  }

  private SyncConfig syncConfig() {
    return syncConfig(config, policies);
  }

  /**
   * The OPA configuration {@code config} (may be null), plus a watched local {@code policies}
   * directory as the bundle named "policies" when given. Shared with {@code gatehouse webhook}.
   */
  static SyncConfig syncConfig(Path config, Path policies) {
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
