package dev.gatehouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gatehouse request create|list|show|cancel}: JIT access requests (a client of the control plane). */
@Command(name = "request", mixinStandardHelpOptions = true,
    description = {"File and follow just-in-time access requests.",
        "Exit codes: 0 done, 1 refused or invalid (the policy's violations are printed), 2 usage or connection error."},
    subcommands = {RequestCommand.Create.class, RequestCommand.ListRequests.class, RequestCommand.Show.class,
        RequestCommand.Cancel.class})
final class RequestCommand implements Runnable, ClientCommand {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static final class Target {
    @Option(names = "--service", paramLabel = "S", description = "A service; with --actions.")
    String service;

    @Option(names = "--actions", paramLabel = "A,B", split = ",", description = "Service actions: read, write, admin.")
    List<String> actions;

    @Option(names = "--namespace", paramLabel = "N", description = "Namespace (for --role; for --service when the catalogue lists several).")
    String namespace;

    @Option(names = "--role", paramLabel = "R", description = "Namespace role: view, edit, deploy, admin.")
    String role;

    @Option(names = "--pod-exec", paramLabel = "NS/POD", description = "Exec into a pod (POD may be a glob).")
    String podExec;

    @Option(names = "--container", paramLabel = "C", description = "Container, for --pod-exec.")
    String container;

    ObjectNode toJson() {
      ObjectNode t = ApiClient.JSON.createObjectNode();
      int kinds = (service != null ? 1 : 0) + (role != null ? 1 : 0) + (podExec != null ? 1 : 0);
      if (kinds != 1) {
        throw new ClientCommand.UsageError("give exactly one target: --service S --actions A,B, --namespace N --role R, or --pod-exec NS/POD");
      }
      if (service != null) {
        if (actions == null || actions.isEmpty()) {
          throw new ClientCommand.UsageError("--service needs --actions (e.g. read,write)");
        }
        t.put("kind", "service").put("service", service);
        if (namespace != null) {
          t.put("namespace", namespace);
        }
        ArrayNode a = t.putArray("actions");
        actions.forEach(a::add);
      } else if (role != null) {
        if (namespace == null) {
          throw new ClientCommand.UsageError("--role needs --namespace");
        }
        t.put("kind", "namespace").put("namespace", namespace).put("role", role);
      } else {
        int slash = podExec.indexOf('/');
        if (slash <= 0 || slash == podExec.length() - 1) {
          throw new ClientCommand.UsageError("--pod-exec takes NAMESPACE/POD");
        }
        t.put("kind", "pod-exec").put("namespace", podExec.substring(0, slash)).put("pod", podExec.substring(slash + 1));
        if (container != null) {
          t.put("container", container);
        }
      }
      return t;
    }
  }

  @Command(name = "create", mixinStandardHelpOptions = true, description = {"File an access request; prints its id, state "
      + "and what the policy requires.",
      "Example: gatehouse request create --service payments-api --actions read,write --for 2h --reason \"Replay the failed batch\" --ticket PAY-1234"})
  static final class Create implements Callable<Integer>, ClientCommand {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    Options conn = new Options();

    @ArgGroup(exclusive = false, multiplicity = "1")
    Target target;

    @Option(names = "--for", required = true, paramLabel = "DURATION", description = "How long, e.g. 30m, 2h.")
    String duration;

    @Option(names = {"--reason", "--justification"}, paramLabel = "TEXT", description = "Why you need it (reviewers read this).")
    String reason;

    @Option(names = "--ticket", paramLabel = "T", description = "Change or incident ticket (production needs one).")
    String ticket;

    @Option(names = "--start-at", paramLabel = "TIME", description = "Start later (RFC 3339).")
    String startAt;

    @Option(names = "--break-glass", description = "Emergency access: granted at once, notified, reviewed afterwards.")
    boolean breakGlass;

    @Option(names = "--dry-run", description = "Show what the policy would require, without filing.")
    boolean dryRun;

    @Override
    public Integer call() {
      return ClientCommand.run(spec, () -> {
        ObjectNode body = ApiClient.JSON.createObjectNode();
        body.set("target", target.toJson());
        body.put("duration", duration);
        if (reason != null) {
          body.put("reason", reason);
        }
        if (ticket != null) {
          body.put("ticket", ticket);
        }
        if (startAt != null) {
          body.put("start_at", startAt);
        }
        if (breakGlass) {
          body.put("break_glass", true);
        }
        ApiClient api = conn.client();
        ApiClient.Response r = api.post(dryRun ? "/api/v1/requests/evaluate" : "/api/v1/requests", body);
        if (!r.ok()) {
          return ClientCommand.refused(spec, r, conn.json());
        }
        PrintWriter out = spec.commandLine().getOut();
        if (conn.json()) {
          out.println(r.json().toPrettyString());
          return dryRun && !r.json().path("decision").path("valid").asBoolean() ? REFUSED : OK;
        }
        if (dryRun) {
          return dryRun(out, r.json());
        }
        JsonNode j = r.json();
        JsonNode d = j.path("decision");
        out.println("Request " + j.path("id").asText() + ": " + j.path("state").asText());
        if (j.path("break_glass").asBoolean()) {
          out.println("  break-glass: access granted now as " + j.path("grant_id").asText()
              + "; notified " + join(d.path("notify")) + "; a post-hoc review is required");
        } else if (j.hasNonNull("grant_id")) {
          out.println("  approved automatically by the policy: grant " + j.get("grant_id").asText());
        } else {
          out.println("  needs " + j.path("required_approvals").asInt() + " approval(s); max duration "
              + d.path("max_duration").asText() + "; notified " + join(d.path("notify")));
          out.println("  reviewers run: gatehouse review approve " + j.path("id").asText());
        }
        out.flush();
        return OK;
      });
    }

    private int dryRun(PrintWriter out, JsonNode j) {
      JsonNode d = j.path("decision");
      out.println("Valid: " + d.path("valid").asBoolean());
      for (JsonNode v : d.path("violations")) {
        out.println("  - " + v.path("rule").asText() + ": " + v.path("msg").asText());
      }
      out.println("Class: " + d.path("target_class").asText() + ", access level " + d.path("access_level").asText());
      out.println("Max duration: " + d.path("max_duration").asText());
      out.println("Approvals required: " + d.path("required_approvals").asInt()
          + (d.path("auto_approve").asBoolean() ? " (auto-approved)" : ""));
      out.println("Notify: " + join(d.path("notify")));
      out.flush();
      return d.path("valid").asBoolean() ? OK : REFUSED;
    }
  }

  static String join(JsonNode arr) {
    StringBuilder sb = new StringBuilder();
    arr.forEach(x -> sb.append(sb.length() == 0 ? "" : ", ").append(x.asText()));
    return sb.length() == 0 ? "nobody" : sb.toString();
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List requests (newest first).")
  static final class ListRequests implements Callable<Integer>, ClientCommand {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    Options conn = new Options();

    @Option(names = "--mine", description = "Only my requests.")
    boolean mine;

    @Option(names = "--to-review", description = "Requests I may review now.")
    boolean toReview;

    @Option(names = "--needs-review", description = "Break-glass requests still waiting for their post-hoc review.")
    boolean needsReview;

    @Option(names = "--state", paramLabel = "STATE", description = "pending, approved, denied, cancelled or expired.")
    String state;

    @Override
    public Integer call() {
      return ClientCommand.run(spec, () -> {
        StringBuilder q = new StringBuilder();
        if (mine) {
          q.append("&mine=true");
        }
        if (toReview) {
          q.append("&to_review=true");
        }
        if (needsReview) {
          q.append("&needs_review=true");
        }
        if (state != null) {
          q.append("&state=").append(java.net.URLEncoder.encode(state, java.nio.charset.StandardCharsets.UTF_8));
        }
        ApiClient.Response r = conn.client().get("/api/v1/requests" + (q.length() > 0 ? "?" + q.substring(1) : ""));
        return ClientCommand.show(spec, r, conn.json(), j -> Views.requestTable(j.path("requests")));
      });
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one request with its reviews.")
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
        ApiClient.Response r = conn.client().get("/api/v1/requests/" + Paths.segment(id));
        return ClientCommand.show(spec, r, conn.json(), Views::request);
      });
    }
  }

  @Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancel one of my pending requests.")
  static final class Cancel implements Callable<Integer>, ClientCommand {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    Options conn = new Options();

    @Parameters(paramLabel = "ID")
    String id;

    @Override
    public Integer call() {
      return ClientCommand.run(spec, () -> {
        ApiClient.Response r = conn.client().post("/api/v1/requests/" + Paths.segment(id) + "/cancel", "{}");
        if (!r.ok()) {
          return ClientCommand.refused(spec, r, conn.json());
        }
        spec.commandLine().getOut().println(conn.json() ? r.json().toPrettyString()
            : "Request " + id + ": " + r.json().path("state").asText());
        spec.commandLine().getOut().flush();
        return OK;
      });
    }
  }
}
