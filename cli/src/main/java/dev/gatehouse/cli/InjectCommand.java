package dev.gatehouse.cli;

import dev.gatehouse.injector.config.ConfigException;
import dev.gatehouse.injector.config.ConfigLoader;
import dev.gatehouse.injector.config.WebhookConfig;
import dev.gatehouse.injector.inject.InjectionException;
import dev.gatehouse.injector.inject.Injector;
import dev.gatehouse.injector.inject.OfflineInjector;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gatehouse inject}: offline sidecar injection, the webhook's code path applied to files. */
@Command(name = "inject", mixinStandardHelpOptions = true,
    description = {"Inject the Gatehouse sidecar into Pods and workload templates (Deployment, StatefulSet, DaemonSet, "
        + "ReplicaSet, Job, CronJob) of a multi-document YAML file, as the webhook would.",
        "Other documents pass through unchanged. A report per pod goes to stderr."})
final class InjectCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = {"-f", "--filename"}, required = true, paramLabel = "FILE", description = "Input YAML ('-' for stdin).")
  String file;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write here instead of stdout.")
  Path output;

  @Option(names = "--config", paramLabel = "FILE", description = "Webhook configuration YAML (the injection section is used).")
  Path config;

  @Option(names = {"-q", "--quiet"}, description = "No per-pod report on stderr.")
  boolean quiet;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      WebhookConfig cfg = ConfigLoader.load(config);
      String text = file.equals("-") ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
          : Files.readString(Path.of(file));
      OfflineInjector.Output result = new OfflineInjector(new Injector(cfg.injection())).rewrite(text);
      if (output != null) {
        Files.writeString(output, result.yaml());
      } else {
        out.print(result.yaml());
        out.flush();
      }
      if (!quiet) {
        result.reports().forEach(r -> err.println(r));
        err.flush();
      }
      return 0;
    } catch (ConfigException e) {
      err.println("error: " + e.getMessage());
      return 1;
    } catch (InjectionException e) {
      err.println("error: " + (file.equals("-") ? "stdin" : file) + ": " + e.getMessage());
      return 1;
    } catch (IOException e) {
      err.println("error: " + e.getMessage());
      return 1;
    }
  }
}
