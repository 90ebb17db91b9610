package dev.gatehouse.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.controlplane.ControlPlane;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * catalogue, demo users with tokens — and a printed walkthrough.
 *
 * <p>Components start in order and are kept in {@link Stack}; Ctrl-C closes them in reverse. To add
 * one (a sidecar in front of a demo service, the webhook), start it in {@link #startComponents}
 * after the control plane, push it on the stack, and add its lines to the walkthrough.
 */
@Command(name = "up", mixinStandardHelpOptions = true,
    description = {"Start Gatehouse on embedded defaults: the JIT control plane (SQLite under --data-dir, the local "
        + "policies/), demo teams and users, and print tokens and a five-step walkthrough. Ctrl-C stops it."})
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
  record Running(ControlPlane controlPlane, Map<String, String> tokens) {}

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
      running = new Running(running.controlPlane(), running.tokens());
      spec.commandLine().getOut().println("Profile written to " + p + " (server and bob's token).");
    }
    spec.commandLine().getOut().print(walkthrough(running));
    spec.commandLine().getOut().flush();
    ControlPlaneCommand.awaitShutdown(List.of(stack));
    return 0;
  }

  /** Starts everything in order. Add further components (sidecar, demo service) after the control plane. */
  Running startComponents(Stack stack) throws IOException {
    Files.createDirectories(dataDir);
    Path org = dataDir.resolve("org.json");
    if (!Files.exists(org)) {
      Files.writeString(org, demoOrg());
    }
    Path tokensFile = dataDir.resolve(ControlPlane.TOKENS_FILE);
    if (!Files.exists(tokensFile)) {
      Files.writeString(tokensFile, demoTokens());
      try {
        Files.setPosixFilePermissions(tokensFile, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException ignored) {
        // not POSIX
      }
    }
    PrintStream audit = new PrintStream(new FileOutputStream(dataDir.resolve("audit.jsonl").toFile(), true), true,
        StandardCharsets.UTF_8);
    stack.push(audit::close);
    ControlPlane cp = stack.push(ControlPlane.start(new ControlPlane.Options(dataDir, policies).orgFile(org)
        .tokensFile(tokensFile).listen("127.0.0.1", port).auditOut(audit)));
    // Further components start here, e.g. a sidecar in front of a demo service, configured with
    // cp.url(), the enforcer token (tokens.get("enforcer")) and cp.publicKeyPem().
    return new Running(cp, readTokens(tokensFile));
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

  static String demoTokens() throws IOException {
    ObjectNode root = ApiClient.JSON.createObjectNode();
    ArrayNode tokens = root.putArray("tokens");
    USERS.forEach((user, info) -> {
      ObjectNode t = tokens.addObject().put("token", ControlPlane.randomToken()).put("user", user);
      ArrayNode g = t.putArray("groups");
      if (!info[0].isEmpty()) {
        g.add(info[0]);
      }
      ArrayNode r = t.putArray("roles");
      if (!info[1].isEmpty()) {
        r.add(info[1]);
      }
    });
    return ApiClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
  }

  /** Teams as the policy library's conventions have them: payments owns payments-api in payments-prod. */
  static String demoOrg() {
    return """
        {
          "teams": {
            "payments": {
              "members": ["alice", "bob", "carol"],
              "groups": ["payments-devs"],
              "services": ["payments-api", "ledger"],
              "namespaces": ["payments-prod", "payments-staging"],
              "notify": ["slack:#payments-oncall"]
            },
            "search": {
              "members": ["dave", "erin"],
              "services": ["search-api"],
              "namespaces": ["search-prod", "search-staging"]
            }
          },
          "oncall": {"payments": ["alice"], "search": ["erin"]},
          "services": {
            "payments-api": {"namespace": "payments-prod"},
            "ledger": {"namespace": "payments-prod"},
            "search-api": {"namespace": "search-prod"}
          }
        }
        """;
  }

  String walkthrough(Running r) {
    Map<String, String> t = r.tokens();
    String url = r.controlPlane().url();
    StringBuilder sb = new StringBuilder();
    sb.append("\nGatehouse is up.\n");
    sb.append("  control plane  ").append(url).append("  (API ").append(url).append("/api/v1/, OpenAPI ").append(url)
        .append("/api/v1/openapi.json)\n");
    sb.append("  data           ").append(dataDir.toAbsolutePath()).append(" (SQLite, signing key, audit.jsonl)\n");
    sb.append("  policies       ").append(policies.toAbsolutePath()).append(" (revision ")
        .append(r.controlPlane().policies().current().map(s -> s.revision().substring(0, 12)).orElse("?")).append(")\n\n");
    sb.append("Demo users and their tokens (also in ").append(dataDir.resolve(ControlPlane.TOKENS_FILE)).append("):\n");
    USERS.forEach((user, info) -> sb.append(String.format("  %-9s %-32s %s%n", user, t.getOrDefault(user, "?"), info[2])));
    String g = "./gatehouse";
    sb.append("\nWalkthrough (in another terminal, from this directory):\n\n");
    sb.append(" 1. bob asks to write to payments-api in production (production writes need two approvals):\n");
    sb.append("      ").append(g).append(" request create --service payments-api --actions read,write --for 1h \\\n")
        .append("        --reason \"Replay the failed settlement batch\" --ticket PAY-1234\n\n");
    sb.append(" 2. alice and carol approve it (REQ is the id step 1 printed):\n");
    sb.append("      GATEHOUSE_TOKEN=").append(t.get("alice")).append(" ").append(g).append(" review approve REQ\n");
    sb.append("      GATEHOUSE_TOKEN=").append(t.get("carol")).append(" ").append(g).append(" review approve REQ\n\n");
    sb.append(" 3. see the grant: signed (ES256), and in the grants bundle enforcers poll:\n");
    sb.append("      ").append(g).append(" grant list --active\n\n");
    sb.append(" 4. revoke it (GRANT is the id step 3 listed); long-polling enforcers get the new bundle within a second:\n");
    sb.append("      GATEHOUSE_TOKEN=").append(t.get("pat")).append(" ").append(g)
        .append(" grant revoke GRANT --reason \"batch replayed\"\n\n");
    sb.append(" 5. see the denial: the grant is revoked, and a request the policy refuses exits 1 with its reasons:\n");
    sb.append("      ").append(g).append(" grant list\n");
    sb.append("      GATEHOUSE_TOKEN=").append(t.get("zoe")).append(" ").append(g)
        .append(" request create --service payments-api --actions write --for 8h --reason \"just curious\"\n\n");
    sb.append("Then check the audit trail: GATEHOUSE_TOKEN=").append(t.get("pat")).append(" ").append(g).append(" audit verify\n");
    sb.append("Ctrl-C stops everything; the state stays in ").append(dataDir).append(".\n");
    return sb.toString();
  }
}
