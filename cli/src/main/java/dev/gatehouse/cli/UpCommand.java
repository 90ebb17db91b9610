package dev.gatehouse.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.controlplane.ControlPlane;
import dev.gatehouse.sidecar.JsonLog;
import dev.gatehouse.sidecar.Sidecar;
import dev.gatehouse.sidecar.SidecarOptions;
import dev.gatehouse.sync.BundleSync;
import dev.gatehouse.sync.config.ConfigReader;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gatehouse up}: everything on embedded defaults in one process — the control plane on
 * SQLite under {@code ./.gatehouse/}, the local {@code policies/}, demo teams, on-call and service
 * catalogue, demo users with signed tokens, and a sidecar in front of a demo payments-api that
 * enforces the grants it pulls from the control plane — and a printed walkthrough.
 *
 * <p>Components start in order and are kept in {@link Stack}; Ctrl-C closes them in reverse. To add
 * one (the webhook), start it in {@link #startComponents}, push it on the stack, and add its lines
 * to the walkthrough.
 */
@Command(name = "up", mixinStandardHelpOptions = true,
    description = {"Start Gatehouse on embedded defaults: the JIT control plane (SQLite under --data-dir, the local "
        + "policies/), demo teams and users with tokens, a sidecar in front of a demo payments-api (ports --port + 1 "
        + "and, for its admin endpoints, + 2), and print a five-step walkthrough. Ctrl-C stops it."})
final class UpCommand implements Callable<Integer> {
  /** The demo people: name → (groups, roles, what they are in the walkthrough). */
  static final Map<String, String[]> USERS = new LinkedHashMap<>();

  static {
    USERS.put("alice", new String[] {"payments-devs", "", "payments team, on call"});
    USERS.put("bob", new String[] {"", "", "payments team (the requester; the profile uses his token)"});
    USERS.put("carol", new String[] {"", "", "payments team"});
    USERS.put("pat", new String[] {"platform-admins", "admin", "platform admin (may review anything; reads the audit log)"});
    USERS.put("zoe", new String[] {"marketing", "", "marketing: owns nothing in production"});
    USERS.put("enforcer", new String[] {"", "enforcer", "bundle client for sidecars and OPA"});
  }

  static final String ENFORCER = "enforcer";
  static final String DEMO_SERVICE = "payments-api";
  static final String DEMO_NAMESPACE = "payments-prod";
  static final Duration TOKEN_TTL = Duration.ofHours(12);

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--data-dir", defaultValue = ".gatehouse", paramLabel = "DIR", description = "Default: ${DEFAULT-VALUE}.")
  Path dataDir;

  @Option(names = "--policies", defaultValue = "policies", paramLabel = "DIR", description = "Default: ${DEFAULT-VALUE}.")
  Path policies;

  @Option(names = "--port", defaultValue = "8181", description = "Control plane port (default: ${DEFAULT-VALUE}; 0 picks one).")
  int port;

  @Option(names = "--no-profile", description = "Do not write the client profile (~/.config/gatehouse/profile.json).")
  boolean noProfile;

  /** Started components, closed in reverse order on shutdown. */
  static final class Stack implements AutoCloseable {
    private final List<AutoCloseable> started = new ArrayList<>();

    <T extends AutoCloseable> T push(T c) {
      started.add(c);
      return c;
    }

    @Override
    public void close() {
      for (int i = started.size() - 1; i >= 0; i--) {
        try {
          started.get(i).close();
        } catch (Exception e) {
          System.err.println("gatehouse up: error while stopping: " + e.getMessage());
        }
      }
      started.clear();
    }
  }

  /** What is running, for the walkthrough. */
  record Running(ControlPlane controlPlane, Map<String, String> tokens, String sidecarUrl, String sidecarAdminUrl) {}

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    if (!Files.isDirectory(policies)) {
      err.println("error: " + policies + ": no policy directory here; run gatehouse up from the repository root or pass --policies DIR");
      return 2;
    }
    Stack stack = new Stack();
    Running running;
    try {
      running = startComponents(stack);
    } catch (IOException e) {
      stack.close();
      err.println("error: " + e.getMessage());
      return 1;
    }
    if (!noProfile) {
      Path p = Profile.write(running.controlPlane().url(), running.tokens().get("bob"));
      spec.commandLine().getOut().println("Profile written to " + p + " (server and bob's token).");
    }
    spec.commandLine().getOut().print(walkthrough(running));
    spec.commandLine().getOut().flush();
    ControlPlaneCommand.awaitShutdown(List.of(stack));
    return 0;
  }

  /** Starts everything in order: the control plane, then the demo service and the sidecar in front of it. */
  Running startComponents(Stack stack) throws IOException {
    Files.createDirectories(dataDir);
    Path org = dataDir.resolve("org.json");
    if (!Files.exists(org)) {
      Files.writeString(org, demoOrg());
    }
    // Bundle clients (the sidecar) hold a static service token; people hold JWTs from the demo
    // identity provider, verified by the control plane and the sidecar like any OIDC issuer's.
    Path tokensFile = dataDir.resolve(ControlPlane.TOKENS_FILE);
    if (!Files.exists(tokensFile)) {
      Files.writeString(tokensFile, enforcerToken());
      try {
        Files.setPosixFilePermissions(tokensFile, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException ignored) {
        // not POSIX
      }
    }
    DemoIdentityProvider idp = DemoIdentityProvider.open(dataDir);
    Path auth = dataDir.resolve("auth.json");
    Files.writeString(auth, authConfig(idp));
    Map<String, String> tokens = new LinkedHashMap<>();
    Instant now = Instant.now();
    USERS.forEach((user, info) -> {
      if (!user.equals(ENFORCER)) {
        tokens.put(user, idp.token(user, info[0].isEmpty() ? List.of() : List.of(info[0]), now, TOKEN_TTL));
      }
    });
    tokens.put(ENFORCER, readTokens(tokensFile).get(ENFORCER));
    Path tokenDir = Files.createDirectories(dataDir.resolve("tokens"));
    for (var t : tokens.entrySet()) {
      Files.writeString(tokenDir.resolve(t.getKey()), t.getValue() + "\n");
    }

    PrintStream audit = new PrintStream(new FileOutputStream(dataDir.resolve("audit.jsonl").toFile(), true), true,
        StandardCharsets.UTF_8);
    stack.push(audit::close);
    ControlPlane cp = stack.push(ControlPlane.start(new ControlPlane.Options(dataDir, policies).orgFile(org)
        .authConfig(auth).listen("127.0.0.1", port).auditOut(audit)
        .web(dev.gatehouse.controlplane.web.WebOptions.defaults().withSignInHint(signInHint()))));

    DemoService demo;
    try {
      demo = stack.push(DemoService.start(DEMO_SERVICE));
    } catch (Exception e) {
      throw new IOException("demo service: " + e.getMessage(), e);
    }
    Path sidecarConfig = dataDir.resolve("sidecar-opa-config.yaml");
    Files.writeString(sidecarConfig, sidecarConfig(cp, tokens.get(ENFORCER), dataDir.resolve("sidecar-bundles")));
    PrintStream sidecarLog = new PrintStream(new FileOutputStream(dataDir.resolve("sidecar.log").toFile(), true), true,
        StandardCharsets.UTF_8);
    stack.push(sidecarLog::close);
    BundleSync sync = stack.push(new BundleSync(ConfigReader.read(sidecarConfig), Clock.systemUTC(),
        Sidecar.loggingEvents(new JsonLog(sidecarLog, Clock.systemUTC()))));
    sync.start();
    Sidecar sidecar = stack.push(Sidecar.start(new SidecarOptions(URI.create(demo.url()), "127.0.0.1",
        port == 0 ? 0 : port + 1, "127.0.0.1", port == 0 ? 0 : port + 2, DEMO_SERVICE, DEMO_NAMESPACE, null,
        new SidecarOptions.Jwt(idp.jwksFile().toString(), DemoIdentityProvider.ISSUER, DemoIdentityProvider.AUDIENCE,
            "sub"), null, Clock.systemUTC(), sidecarLog, null), sync));
    try {
      if (!sync.awaitFirstActivation(30_000)) {
        throw new IOException("the sidecar did not load the control plane's bundles within 30 s: " + sync.status());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for the sidecar's bundles", e);
    }
    return new Running(cp, tokens, "http://127.0.0.1:" + sidecar.port(), "http://127.0.0.1:" + sidecar.adminPort());
  }

  /**
   * The OPA configuration the sidecar runs with: both bundles from the control plane, verified with
   * its ES256 key under the key id it signs with (bundles and each grant's JWS name it).
   */
  static String sidecarConfig(ControlPlane cp, String enforcerToken, Path persistence) {
    StringBuilder key = new StringBuilder();
    for (String line : cp.publicKeyPem().strip().split("\n")) {
      key.append("      ").append(line).append('\n');
    }
    String bundle = """
          %s:
            service: control-plane
            resource: bundles/%s
            persist: true
            signing:
              keyid: %s
            polling:
              min_delay_seconds: 1
              max_delay_seconds: 5
              long_polling_timeout_seconds: 30
        """;
    return "# Written by gatehouse up: the sidecar's configuration, in OPA's format.\n"
        + "services:\n"
        + "  - name: control-plane\n"
        + "    url: " + cp.url() + "\n"
        + "    credentials:\n"
        + "      bearer:\n"
        + "        token: " + enforcerToken + "\n"
        + "bundles:\n"
        + bundle.formatted("policies", "policies", cp.keyId()) + bundle.formatted("grants", "grants", cp.keyId())
        + "keys:\n"
        + "  " + cp.keyId() + ":\n"
        + "    algorithm: ES256\n"
        + "    key: |\n" + key
        + "persistence_directory: " + persistence.toAbsolutePath() + "\n";
  }

  /** The control plane's authentication: the enforcer's static token and the demo issuer's JWTs. */
  static String authConfig(DemoIdentityProvider idp) throws IOException {
    ObjectNode root = ApiClient.JSON.createObjectNode();
    root.put("tokens_file", ControlPlane.TOKENS_FILE);
    root.putObject("oidc").put("issuer", DemoIdentityProvider.ISSUER).put("audience", DemoIdentityProvider.AUDIENCE)
        .put("jwks_file", idp.jwksFile().getFileName().toString()).put("user_claim", "sub")
        .put("groups_claim", DemoIdentityProvider.GROUPS_CLAIM).putArray("algorithms").add("ES256");
    ObjectNode roles = root.putObject("roles");
    USERS.forEach((user, info) -> {
      if (!info[1].isEmpty() && !user.equals(ENFORCER)) {
        roles.putArray(user).add(info[1]);
      }
    });
    return ApiClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
  }

  static Map<String, String> readTokens(Path file) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    for (var t : ApiClient.JSON.readTree(Files.readString(file)).path("tokens")) {
      if (t.hasNonNull("token")) {
        out.put(t.path("user").asText(), t.get("token").asText());
      }
    }
    return out;
  }

  static String enforcerToken() throws IOException {
    ObjectNode root = ApiClient.JSON.createObjectNode();
    ObjectNode t = root.putArray("tokens").addObject().put("token", ControlPlane.randomToken()).put("user", ENFORCER);
    t.putArray("groups");
    t.putArray("roles").add("enforcer");
    return ApiClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
  }

  /**
   * Teams, on-call and the service catalogue (data.gatehouse.teams, .oncall, .services) as the
   * policy library reads them: payments owns payments-api, which runs in payments-prod.
   */
  static String demoOrg() {
    return """
        {
          "teams": {
            "payments": {
              "members": ["alice", "bob", "carol"],
              "groups": ["payments-devs"],
              "namespaces": ["payments-prod", "payments-staging"],
              "notify": ["slack:#payments-oncall"]
            },
            "search": {
              "members": ["dave", "erin"],
              "namespaces": ["search-prod", "search-staging"]
            }
          },
          "oncall": {"payments": ["alice"], "search": ["erin"]},
          "services": {
            "payments-api": {"team": "payments", "namespaces": ["payments-prod"]},
            "ledger": {"team": "payments", "namespaces": ["payments-prod"]},
            "search-api": {"team": "search", "namespaces": ["search-prod"]}
          }
        }
        """;
  }

  /** What the UI's sign-in page tells demo users. */
  String signInHint() {
    List<String> people = new ArrayList<>();
    USERS.keySet().forEach(u -> {
      if (!u.equals(ENFORCER)) {
        people.add(u);
      }
    });
    return "Demo users (gatehouse up): paste the token from " + dataDir.resolve("tokens").toAbsolutePath() + "/NAME, one of "
        + String.join(", ", people) + ".";
  }

  String walkthrough(Running r) {
    String url = r.controlPlane().url();
    String g = "./gatehouse";
    StringBuilder sb = new StringBuilder();
    sb.append("\nGatehouse is up.\n");
    sb.append("  control plane  ").append(url).append("  (API ").append(url).append("/api/v1/, OpenAPI ").append(url)
        .append("/api/v1/openapi.json)\n");
    sb.append("  web UI         ").append(r.controlPlane().uiUrl()).append("  (sign in with a demo user's token: paste the "
        + "contents of ").append(tokenFile("NAME")).append(")\n");
    sb.append("  sidecar        ").append(r.sidecarUrl()).append("  in front of the demo ").append(DEMO_SERVICE)
        .append(" (").append(DEMO_NAMESPACE).append("), enforcing the grants it pulls from the control plane\n");
    sb.append("  data           ").append(dataDir.toAbsolutePath()).append(" (SQLite, signing key, audit.jsonl, sidecar.log)\n");
    sb.append("  policies       ").append(policies.toAbsolutePath()).append(" (revision ")
        .append(r.controlPlane().policies().current().map(s -> s.revision().substring(0, 12)).orElse("?")).append(")\n\n");
    sb.append("Demo users sign in with JWTs from a local demo issuer, valid for ").append(TOKEN_TTL.toHours())
        .append(" h, one file each in ").append(dataDir.resolve("tokens")).append(":\n");
    USERS.forEach((user, info) -> sb.append(String.format("  %-9s %s%n", user, info[2])));
    String bob = "\"Authorization: Bearer $(cat " + tokenFile("bob") + ")\"";
    String call = "curl -s -X POST -H " + bob + " " + r.sidecarUrl() + "/settlements/replay";
    sb.append("\nWalkthrough (in another terminal, from this directory; the profile holds bob's token):\n\n");
    sb.append(" 1. bob calls payments-api through its sidecar: 403, no grant; the answer names the command to ask:\n");
    sb.append("      ").append(call).append("\n\n");
    sb.append(" 2. bob asks for write access (production writes need two approvals):\n");
    sb.append("      ").append(g).append(" request create --service payments-api --actions read,write --for 1h \\\n")
        .append("        --reason \"Replay the failed settlement batch\" --ticket PAY-1234\n\n");
    sb.append(" 3. alice and carol approve it (REQ is the id step 2 printed); the grant is issued, signed (ES256):\n");
    sb.append("      GATEHOUSE_TOKEN=$(cat ").append(tokenFile("alice")).append(") ").append(g).append(" review approve REQ\n");
    sb.append("      GATEHOUSE_TOKEN=$(cat ").append(tokenFile("carol")).append(") ").append(g).append(" review approve REQ\n");
    sb.append("      ").append(g).append(" grant list --active\n\n");
    sb.append(" 4. bob's call goes through: the sidecar got the grant from the control plane within a second:\n");
    sb.append("      ").append(call).append("\n\n");
    sb.append(" 5. pat revokes it (GRANT is the id step 3 listed), and bob's next call is refused again:\n");
    sb.append("      GATEHOUSE_TOKEN=$(cat ").append(tokenFile("pat")).append(") ").append(g)
        .append(" grant revoke GRANT --reason \"batch replayed\"\n");
    sb.append("      ").append(call).append("\n\n");
    sb.append("Also: a request the policy refuses exits 1 with its reasons (zoe owns nothing in production):\n");
    sb.append("      GATEHOUSE_TOKEN=$(cat ").append(tokenFile("zoe")).append(") ").append(g)
        .append(" request create --service payments-api --actions write --for 8h --reason \"just curious\"\n");
    sb.append("and the audit trail verifies end to end:\n");
    sb.append("      GATEHOUSE_TOKEN=$(cat ").append(tokenFile("pat")).append(") ").append(g).append(" audit verify\n\n");
    sb.append("Or do steps 2, 3 and 5 in a browser at ").append(r.controlPlane().uiUrl()).append(": sign in as bob (paste ")
        .append(tokenFile("bob")).append("), fill in Request access; alice and carol approve under To review, each in\n")
        .append("their own browser profile or after signing out; pat revokes under Access now and reads Audit.\n\n");
    sb.append("Ctrl-C stops everything; the state stays in ").append(dataDir).append(".\n");
    return sb.toString();
  }

  private String tokenFile(String user) {
    return dataDir.resolve("tokens").resolve(user).toString();
  }
}
