package dev.gatehouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gatehouse review approve|deny ID [--comment TEXT]}. */
@Command(name = "review", mixinStandardHelpOptions = true,
    description = {"Approve or deny an access request. The review policy decides whether your vote counts; "
        + "self-approval and second votes are refused whatever it says.",
        "Exit codes: 0 recorded, 1 refused (reasons printed), 2 usage or connection error."},
    subcommands = {ReviewCommand.Approve.class, ReviewCommand.Deny.class})
final class ReviewCommand implements Runnable, ClientCommand {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  abstract static class Vote implements Callable<Integer>, ClientCommand {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    Options conn = new Options();

    @Parameters(paramLabel = "ID", description = "The request id.")
    String id;

    @Option(names = {"--comment", "-m"}, paramLabel = "TEXT")
    String comment;

    abstract String decision();

    @Override
    public Integer call() {
      return ClientCommand.run(spec, () -> {
        ObjectNode body = ApiClient.JSON.createObjectNode().put("decision", decision());
        if (comment != null) {
          body.put("comment", comment);
        }
        ApiClient.Response r = conn.client().post("/api/v1/requests/" + Paths.segment(id) + "/reviews", body);
        if (!r.ok()) {
          return ClientCommand.refused(spec, r, conn.json());
        }
        JsonNode j = r.json();
        if (conn.json()) {
          spec.commandLine().getOut().println(j.toPrettyString());
        } else {
          spec.commandLine().getOut().println("Recorded: " + decision() + " on " + id + ". Request is now "
              + j.path("state").asText() + " (" + j.path("approvals").asInt() + " of " + j.path("required_approvals").asInt()
              + " approvals)" + (j.hasNonNull("grant_id") ? "; grant " + j.get("grant_id").asText() : ""));
        }
        spec.commandLine().getOut().flush();
        return OK;
      });
    }
  }

  @Command(name = "approve", mixinStandardHelpOptions = true, description = "Approve a request.")
  static final class Approve extends Vote {
    @Override
    String decision() {
      return "approve";
    }
  }

  @Command(name = "deny", mixinStandardHelpOptions = true, description = "Deny a request (a qualified deny closes it).")
  static final class Deny extends Vote {
    @Override
    String decision() {
      return "deny";
    }
  }
}
