package dev.gatehouse.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gatehouse login --server URL --token T}: checks the credential and writes the profile. */
@Command(name = "login", mixinStandardHelpOptions = true,
    description = {"Save the control plane URL and your token in the profile the JIT commands read "
        + "(~/.config/gatehouse/profile.json). The token is checked first.",
        "Exit codes: 0 saved, 1 the token was refused, 2 usage or connection error."})
final class LoginCommand implements Callable<Integer>, ClientCommand {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--server", required = true, paramLabel = "URL")
  String server;

  @Option(names = "--token", paramLabel = "TOKEN", description = "Default: GATEHOUSE_TOKEN.")
  String token;

  @Override
  public Integer call() {
    return ClientCommand.run(spec, () -> {
      String t = token != null ? token : System.getenv("GATEHOUSE_TOKEN");
      if (t == null || t.isBlank()) {
        throw new UsageError("--token (or GATEHOUSE_TOKEN) is required");
      }
      ApiClient.Response r = new ApiClient(server, t).get("/api/v1/whoami");
      if (!r.ok()) {
        return ClientCommand.refused(spec, r, false);
      }
      try {
        Path p = Profile.write(server, t);
        spec.commandLine().getOut().println("Logged in to " + server + " as " + r.json().path("user").asText()
            + "; profile written to " + p);
      } catch (IOException e) {
        spec.commandLine().getErr().println("error: cannot write the profile: " + e.getMessage());
        return USAGE;
      }
      return OK;
    });
  }
}
