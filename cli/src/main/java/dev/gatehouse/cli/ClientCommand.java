package dev.gatehouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * Shared by the JIT client commands ({@code request}, {@code review}, {@code grant}, {@code audit}).
 * Exit codes: 0 done; 1 refused or invalid (the server answered 4xx: the policy's violations, a
 * refused review, an unknown id, a broken audit chain); 2 usage errors, an unreachable server or a
 * server error (5xx). The server and token come from {@code --server}/{@code --token}, else
 * {@code GATEHOUSE_SERVER}/{@code GATEHOUSE_TOKEN}, else the profile ({@link Profile}).
 */
interface ClientCommand {
  int OK = 0;
  int REFUSED = 1;
  int USAGE = 2;

  /** The connection and output flags every client command takes. */
  final class Options {
    @Option(names = "--server", paramLabel = "URL", description = "Control plane URL (default: GATEHOUSE_SERVER, the profile, or "
        + Profile.DEFAULT_SERVER + ").")
    String server;

    @Option(names = "--token", paramLabel = "TOKEN", description = "Bearer token (default: GATEHOUSE_TOKEN or the profile).")
    String token;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
        description = "table (default) or json.")
    String output;

    boolean json() {
      return "json".equals(output);
    }

    void check() {
      if (!output.equals("table") && !output.equals("json")) {
        throw new UsageError("-o must be table or json");
      }
    }

    ApiClient client() {
      check();
      Profile p = Profile.read();
      String s = first(server, System.getenv("GATEHOUSE_SERVER"), p.server(), Profile.DEFAULT_SERVER);
      String t = first(token, System.getenv("GATEHOUSE_TOKEN"), p.token(), null);
      return new ApiClient(s, t);
    }

    private static String first(String... xs) {
      for (String x : xs) {
        if (x != null && !x.isBlank()) {
          return x;
        }
      }
      return null;
    }
  }

  /** Prints the server's refusal ({@code error: message}, then violations or reasons) and returns the exit code. */
  /** A successful answer printed as JSON ({@code -o json}) or through the view; a refusal reported. The exit code. */
  static int show(CommandLine.Model.CommandSpec spec, ApiClient.Response r, boolean json,
      java.util.function.Function<JsonNode, String> view) {
    if (!r.ok()) {
      return refused(spec, r, json);
    }
    spec.commandLine().getOut().print(json ? r.json().toPrettyString() + "\n" : view.apply(r.json()));
    spec.commandLine().getOut().flush();
    return OK;
  }

  static int refused(CommandLine.Model.CommandSpec spec, ApiClient.Response r, boolean json) {
    PrintWriter err = spec.commandLine().getErr();
    if (json && r.json() != null) {
      spec.commandLine().getOut().println(r.json().toPrettyString());
    }
    if (r.json() != null && r.json().has("error")) {
      err.println("error: " + r.json().path("message").asText() + " (" + r.json().path("error").asText() + ", HTTP "
          + r.status() + ")");
      for (String list : new String[] {"violations", "reasons"}) {
        for (JsonNode v : r.json().path(list)) {
          err.println("  - " + v.path("rule").asText() + ": " + v.path("msg").asText());
        }
      }
    } else {
      err.println("error: HTTP " + r.status() + (r.body().isBlank() ? "" : ": " + r.body().strip()));
    }
    err.flush();
    return r.status() >= 500 ? USAGE : REFUSED;
  }

  /** A usage error found after parsing (conflicting flags): exit code 2. */
  final class UsageError extends RuntimeException {
    UsageError(String message) {
      super(message);
    }
  }

  /** Runs a client action, mapping an unreachable server or a usage error to exit 2. */
  static int run(CommandLine.Model.CommandSpec spec, java.util.function.IntSupplier action) {
    try {
      return action.getAsInt();
    } catch (ApiClient.Unreachable | UsageError e) {
      spec.commandLine().getErr().println("error: " + e.getMessage());
      spec.commandLine().getErr().flush();
      return USAGE;
    }
  }
}
