package dev.gatehouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gatehouse grant list|show|revoke|extend}. */
@Command(name = "grant", mixinStandardHelpOptions = true,
    description = {"List, revoke and extend grants.",
        "Exit codes: 0 done, 1 refused (4xx), 2 usage or connection error."},
    subcommands = {GrantCommand.ListGrants.class, GrantCommand.Show.class, GrantCommand.Revoke.class, GrantCommand.Extend.class})
final class GrantCommand implements Runnable, ClientCommand {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List grants (newest first).")
  static final class ListGrants implements Callable<Integer>, ClientCommand {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    Options conn = new Options();

    @Option(names = "--active", description = "Only grants in force now.")
    boolean active;

    @Option(names = "--subject", paramLabel = "USER", description = "Only this user's grants.")
    String subject;

    @Override
    public Integer call() {
      return ClientCommand.run(spec, () -> {
        StringBuilder q = new StringBuilder();
        if (active) {
          q.append("&active=true");
        }
        if (subject != null) {
          q.append("&subject=").append(URLEncoder.encode(subject, StandardCharsets.UTF_8));
        }
        ApiClient.Response r = conn.client().get("/api/v1/grants" + (q.length() > 0 ? "?" + q.substring(1) : ""));
        return ClientCommand.show(spec, r, conn.json(), j -> Views.grantTable(j.path("grants")));
      });
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one grant.")
  static final class Show implements Callable<Integer>, ClientCommand {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    Options conn = new Options();

    @Parameters(paramLabel = "ID")
    String id;

    @Override
    public Integer call() {
      return ClientCommand.run(spec, () -> {
        ApiClient.Response r = conn.client().get("/api/v1/grants/" + Paths.segment(id));
        return ClientCommand.show(spec, r, conn.json(), Views::grant);
      });
    }
  }

  @Command(name = "revoke", mixinStandardHelpOptions = true,
      description = {"Revoke a grant now (or every live grant of --subject U or --request R); enforcers polling the "
          + "grants bundle see it within a second."})
  static final class Revoke implements Callable<Integer>, ClientCommand {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    Options conn = new Options();

    @Parameters(paramLabel = "ID", arity = "0..1")
    String id;

    @Option(names = "--subject", paramLabel = "USER", description = "Revoke all of this user's live grants.")
    String subject;

    @Option(names = "--request", paramLabel = "REQ", description = "Revoke the grant of this request.")
    String request;

    @Option(names = "--reason", paramLabel = "TEXT")
    String reason;

    @Override
    public Integer call() {
      return ClientCommand.run(spec, () -> {
        ObjectNode body = ApiClient.JSON.createObjectNode();
        if (reason != null) {
          body.put("reason", reason);
        }
        int given = (id != null ? 1 : 0) + (subject != null ? 1 : 0) + (request != null ? 1 : 0);
        if (given != 1) {
          throw new UsageError("give exactly one of ID, --subject USER or --request REQ");
        }
        if (id == null) {
          if (subject != null) {
            body.put("subject", subject);
          } else {
            body.put("request_id", request);
          }
          ApiClient.Response m = conn.client().post("/api/v1/grants/revoke", body);
          if (!m.ok()) {
            return ClientCommand.refused(spec, m, conn.json());
          }
          spec.commandLine().getOut().print(conn.json() ? m.json().toPrettyString() + "\n"
              : "Revoked " + m.json().path("revoked").size() + " grant(s)\n" + Views.grantTable(m.json().path("revoked")));
          spec.commandLine().getOut().flush();
          return OK;
        }
        ApiClient.Response r = conn.client().post("/api/v1/grants/" + Paths.segment(id) + "/revoke", body);
        if (!r.ok()) {
          return ClientCommand.refused(spec, r, conn.json());
        }
        JsonNode j = r.json();
        spec.commandLine().getOut().println(conn.json() ? j.toPrettyString()
            : "Grant " + id + ": revoked at " + j.path("revoked_at").asText() + " by " + j.path("revoked_by").asText());
        spec.commandLine().getOut().flush();
        return OK;
      });
    }
  }

  @Command(name = "extend", mixinStandardHelpOptions = true,
      description = "Ask for more time: files a request linked to the grant (starting when it ends), decided by policy.")
  static final class Extend implements Callable<Integer>, ClientCommand {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    Options conn = new Options();

    @Parameters(paramLabel = "ID")
    String id;

    @Option(names = "--for", required = true, paramLabel = "DURATION")
    String duration;

    @Option(names = {"--reason", "--justification"}, paramLabel = "TEXT")
    String reason;

    @Option(names = "--ticket", paramLabel = "T")
    String ticket;

    @Override
    public Integer call() {
      return ClientCommand.run(spec, () -> {
        ObjectNode body = ApiClient.JSON.createObjectNode().put("duration", duration);
        if (reason != null) {
          body.put("reason", reason);
        }
        if (ticket != null) {
          body.put("ticket", ticket);
        }
        ApiClient.Response r = conn.client().post("/api/v1/grants/" + Paths.segment(id) + "/extend", body);
        if (!r.ok()) {
          return ClientCommand.refused(spec, r, conn.json());
        }
        JsonNode j = r.json();
        spec.commandLine().getOut().println(conn.json() ? j.toPrettyString()
            : "Extension request " + j.path("id").asText() + ": " + j.path("state").asText()
                + (j.hasNonNull("grant_id") ? " (grant " + j.get("grant_id").asText() + ")"
                    : "; needs " + j.path("required_approvals").asInt() + " approval(s)"));
        spec.commandLine().getOut().flush();
        return OK;
      });
    }
  }
}
