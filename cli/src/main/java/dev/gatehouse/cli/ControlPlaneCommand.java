package dev.gatehouse.cli;

import dev.gatehouse.controlplane.ControlPlane;
import dev.gatehouse.controlplane.grant.SigningKeys;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gatehouse control-plane}: the JIT control plane server (see control-plane/README.md). */
@Command(name = "control-plane", mixinStandardHelpOptions = true,
    description = {"Run the JIT control plane: access requests decided by the Rego policies, reviews, signed expiring "
        + "grants, OPA bundles at /bundles/grants and /bundles/policies, and a hash-chained audit log.",
        "REST API under /api/v1/ (OpenAPI at /api/v1/openapi.json), /health, /metrics."})
final class ControlPlaneCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--data-dir", defaultValue = ".gatehouse", paramLabel = "DIR",
      description = "SQLite database, signing key, tokens (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--policies", defaultValue = "policies", paramLabel = "DIR", description = "Policy directory (default: ${DEFAULT-VALUE}).")
  Path policies;

  @Option(names = "--git", paramLabel = "URL", description = "Read the policies from this Git repository (URL or path) "
      + "instead of --policies; the commit SHA is the policy revision.")
  String git;

  @Option(names = "--ref", defaultValue = "main", paramLabel = "REF", description = "Branch, tag or commit for --git (default: ${DEFAULT-VALUE}).")
  String ref;

  @Option(names = "--git-path", paramLabel = "DIR", description = "Sub-directory of the repository holding the policies.")
  String gitPath;

  @Option(names = "--git-poll", defaultValue = "30s", converter = GoDuration.class, paramLabel = "D",
      description = "How often to fetch (default: ${DEFAULT-VALUE}).")
  Duration gitPoll;

  @Option(names = "--org", paramLabel = "FILE",
      description = "Teams, on-call and service catalogue: {\"teams\", \"oncall\", \"services\"} (default: DIR/org.json when present).")
  Path org;

  @Option(names = "--listen", paramLabel = "HOST:PORT", description = "Listen address (default 127.0.0.1:8181).")
  String listen;

  @Option(names = "--port", paramLabel = "PORT", description = "Port on 127.0.0.1 (or the --listen host).")
  Integer port;

  @Option(names = "--tls-cert", paramLabel = "FILE")
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "FILE")
  Path tlsKey;

  @Option(names = "--auth", paramLabel = "CONFIG",
      description = "Authentication: {\"tokens_file\", \"oidc\": {issuer, audience, jwks_file|jwks_url, user_claim, groups_claim}, "
          + "\"mtls\": {client_ca}, \"roles\"} (default: static tokens in DIR/tokens.json, generated on first start).")
  Path auth;

  @Option(names = "--pending-ttl", defaultValue = "1h", converter = GoDuration.class, paramLabel = "D",
      description = "Pending requests expire after this (default: ${DEFAULT-VALUE}).")
  Duration pendingTtl;

  @Option(names = "--expiry-warning", defaultValue = "10m", converter = GoDuration.class, paramLabel = "D",
      description = "Notify this long before a grant expires (default: ${DEFAULT-VALUE}).")
  Duration expiryWarning;

  @Option(names = "--notify-url", paramLabel = "URL", description = "Webhook for notifications (repeatable; Slack-compatible).")
  List<URI> notifyUrls = new ArrayList<>();

  @Option(names = "--audit-log", paramLabel = "FILE|-", defaultValue = "-",
      description = "Audit events as JSON lines for a SIEM: a file, or - for stdout (default).")
  String auditLog;

  @Option(names = "--audit-http", paramLabel = "URL",
      description = "Also ship audit events to this SIEM collector: gzip JSON arrays POSTed in chain order, retried "
          + "until accepted, never holding up a decision.")
  URI auditHttp;

  @Option(names = "--audit-http-token-file", paramLabel = "FILE", description = "Bearer token for --audit-http.")
  Path auditHttpTokenFile;

  @Option(names = "--oidc-issuer", paramLabel = "URL", description = "Web UI sign-in with OIDC (authorization code + PKCE) "
      + "against this issuer (its /.well-known/openid-configuration); needs --oidc-client-id.")
  String oidcIssuer;

  @Option(names = "--oidc-client-id", paramLabel = "ID", description = "The UI's OIDC client id (the id_token's audience).")
  String oidcClientId;

  @Option(names = "--oidc-client-secret-file", paramLabel = "FILE",
      description = "The client secret (client_secret_basic); without it the UI is a public client (PKCE only).")
  Path oidcClientSecretFile;

  @Option(names = "--oidc-user-claim", defaultValue = "sub", paramLabel = "CLAIM",
      description = "The id_token claim naming the user (default: ${DEFAULT-VALUE}; email, preferred_username…).")
  String oidcUserClaim;

  @Option(names = "--oidc-groups-claim", defaultValue = "groups", paramLabel = "CLAIM",
      description = "The id_token claim holding the groups (default: ${DEFAULT-VALUE}).")
  String oidcGroupsClaim;

  @Option(names = "--ui-base-url", paramLabel = "URL", description = "The web UI's public origin, e.g. https://gatehouse.example "
      + "(OIDC redirect URI = URL/ui/oidc/callback; default: the listen address).")
  String uiBaseUrl;
  @Option(names = "--kube-rolebindings", description = "Keep a RoleBinding (labelled gatehouse.dev/grant) per active "
      + "namespace grant in the cluster, binding its subject to the ClusterRole the policy data maps its role to; deleted "
      + "at expiry or revocation, repaired every --kube-resync. In-cluster credentials unless --kubeconfig.")
  boolean kubeRoleBindings;

  @Option(names = "--kube-authz", description = "Serve the Kubernetes authorization webhook (SubjectAccessReview v1) at "
      + "POST /kubernetes/authorize, decided by data.gatehouse.kubernetes.authz.decision over the live grants; the API "
      + "server authenticates as an enforcer.")
  boolean kubeAuthz;

  @Option(names = "--kubeconfig", paramLabel = "FILE",
      description = "The cluster for --kube-rolebindings and --store kubernetes (default: in-cluster).")
  Path kubeconfig;

  @Option(names = "--store", defaultValue = "sqlite", paramLabel = "sqlite|kubernetes",
      description = "Where requests, grants and the audit chain live: a SQLite file in --data-dir (default), or "
          + "AccessRequest/AccessGrant objects and ConfigMaps in --kube-namespace, shared by several replicas "
          + "(CRDs: deploy/crds/); the once-only loops run on the replica holding the Lease gatehouse-control-plane.")
  String store;

  @Option(names = "--kube-namespace", paramLabel = "NS",
      description = "Namespace of the Kubernetes store and its Lease (default: the pod's).")
  String kubeNamespace;

  @Option(names = "--kube-lease", defaultValue = "15s", converter = GoDuration.class, paramLabel = "D",
      description = "Leader election Lease duration: how long a dead leader's loops wait for another replica (default: ${DEFAULT-VALUE}).")
  Duration kubeLease;

  @Option(names = "--kube-identity", paramLabel = "NAME", description = "This replica's name in the Lease (default: HOSTNAME and a random suffix).")
  String kubeIdentity;

  @Option(names = "--kube-resync", defaultValue = "30s", converter = GoDuration.class, paramLabel = "D",
      description = "How often the RoleBindings are listed and repaired (default: ${DEFAULT-VALUE}).")
  Duration kubeResync;

  @Option(names = "--print-public-key", description = "Print the grant-signing public key (PEM) and exit.")
  boolean printPublicKey;

  @Option(names = "--rotate-signing-key", description = "Retire the signing key (kept in the JWKS) and make a new one; then exit.")
  boolean rotate;

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    if (printPublicKey) {
      spec.commandLine().getOut().print(SigningKeys.loadOrCreate(dataDir).publicKeyPem());
      spec.commandLine().getOut().flush();
      return 0;
    }
    if (rotate) {
      err.println("new signing key " + SigningKeys.rotate(dataDir) + " (takes effect at the next start)");
      return 0;
    }
    if ((tlsCert == null) != (tlsKey == null)) {
      err.println("error: give both --tls-cert and --tls-key, or neither");
      return 2;
    }
    String host = "127.0.0.1";
    int p = 8181;
    if (listen != null) {
      int colon = listen.lastIndexOf(':');
      if (colon < 0) {
        err.println("error: --listen takes HOST:PORT");
        return 2;
      }
      host = listen.substring(0, colon);
      try {
        p = Integer.parseInt(listen.substring(colon + 1));
      } catch (NumberFormatException e) {
        err.println("error: --listen takes HOST:PORT");
        return 2;
      }
    }
    if (port != null) {
      p = port;
    }
    Path orgFile = org != null ? org : (Files.exists(dataDir.resolve("org.json")) ? dataDir.resolve("org.json") : null);
    ControlPlane.Options o = new ControlPlane.Options(dataDir, policies).orgFile(orgFile).listen(host, p)
        .pendingTtl(pendingTtl).expiryLead(expiryWarning).authConfig(auth);
    if (git != null) {
      o.git(git, ref, gitPath, gitPoll);
    }
    if (tlsCert != null) {
      o.tls(tlsCert, tlsKey);
    }
    notifyUrls.forEach(o::webhook);
    if ((oidcIssuer == null) != (oidcClientId == null)) {
      err.println("error: give both --oidc-issuer and --oidc-client-id, or neither");
      return 2;
    }
    dev.gatehouse.controlplane.web.WebOptions web;
    try {
      web = dev.gatehouse.controlplane.web.WebOptions.defaults().withBaseUrl(uiBaseUrl);
    } catch (IllegalArgumentException e) {
      err.println("error: --ui-base-url: " + e.getMessage());
      return 2;
    }
    if (oidcIssuer != null) {
      String secret = null;
      if (oidcClientSecretFile != null) {
        try {
          secret = Files.readString(oidcClientSecretFile).strip();
        } catch (IOException e) {
          err.println("error: --oidc-client-secret-file: cannot read " + oidcClientSecretFile + ": " + e.getMessage());
          return 2;
        }
      }
      web = web.withOidc(new dev.gatehouse.controlplane.web.OidcLogin.Config(oidcIssuer, oidcClientId, secret,
          oidcUserClaim, oidcGroupsClaim));
    }
    o.web(web);
    if (!store.equals("sqlite") && !store.equals("kubernetes")) {
      err.println("error: --store is sqlite or kubernetes");
      return 2;
    }
    if (kubeconfig != null && !kubeRoleBindings && store.equals("sqlite")) {
      err.println("error: --kubeconfig is for --kube-rolebindings and --store kubernetes");
      return 2;
    }
    o.kubernetes(kubeRoleBindings, kubeAuthz, kubeconfig).kubeResync(kubeResync);
    if (store.equals("kubernetes")) {
      o.kubeStore(kubeNamespace, kubeLease, kubeIdentity);
    }
    PrintStream audit = auditLog.equals("-") ? System.out
        : new PrintStream(new FileOutputStream(auditLog, true), true, StandardCharsets.UTF_8);
    o.auditOut(audit);
    if (auditHttp != null) {
      o.auditHttp(auditHttp, auditHttpTokenFile == null ? null : Files.readString(auditHttpTokenFile).strip());
    }
    ControlPlane cp;
    try {
      cp = ControlPlane.start(o);
    } catch (IOException e) {
      err.println("error: " + e.getMessage());
      return 1;
    }
    err.println("gatehouse control plane listening on " + cp.url() + " (data " + dataDir.toAbsolutePath() + ", policies "
        + cp.policies().current().map(s -> s.revision()).orElse("?") + ", signing key " + cp.keyId() + ")");
    err.println("web UI at " + (uiBaseUrl != null ? uiBaseUrl.replaceAll("/+$", "") + "/ui/" : cp.uiUrl())
        + (oidcIssuer != null ? " (sign-in: OIDC via " + oidcIssuer + ", or a bearer token)" : " (sign-in: a bearer token)"));
    if (cp.generatedTokens()) {
      err.println("first start: wrote an admin and an enforcer token to " + cp.tokensFile() + " (mode 0600)");
    }
    err.flush();
    awaitShutdown(List.of(cp));
    return 0;
  }

  /** Blocks until the JVM is asked to stop (Ctrl-C, SIGTERM), then closes the components in reverse order. */
  static void awaitShutdown(List<? extends AutoCloseable> components) {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      for (int i = components.size() - 1; i >= 0; i--) {
        try {
          components.get(i).close();
        } catch (Exception e) {
          System.err.println("gatehouse: error while stopping: " + e.getMessage());
        }
      }
      stopped.countDown();
    }, "gatehouse-shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
