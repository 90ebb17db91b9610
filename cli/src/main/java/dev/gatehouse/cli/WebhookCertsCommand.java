package dev.gatehouse.cli;

import dev.gatehouse.injector.certs.ServingCertificates;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gatehouse webhook certs}: a CA and serving certificate for the webhook's Service. */
@Command(name = "certs", mixinStandardHelpOptions = true,
    description = {"Generate a CA and a serving certificate for <service>.<namespace>.svc, write ca.crt, ca.key, "
        + "tls.crt, tls.key to the output directory and print the base64 caBundle for the webhook configurations.",
        "Pass --ca-cert/--ca-key to renew the serving certificate under an existing CA (the caBundle stays the same)."})
final class WebhookCertsCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--service", defaultValue = "gatehouse-webhook", description = "Service name (default: ${DEFAULT-VALUE}).")
  String service;

  @Option(names = "--namespace", defaultValue = "gatehouse-system", description = "Namespace (default: ${DEFAULT-VALUE}).")
  String namespace;

  @Option(names = {"-o", "--out-dir"}, defaultValue = ".", paramLabel = "DIR", description = "Where to write the files (default: current directory).")
  Path outDir;

  @Option(names = "--days", defaultValue = "365", description = "Serving certificate validity in days; the CA gets ten times as long (default: ${DEFAULT-VALUE}).")
  int days;

  @Option(names = "--host", paramLabel = "NAME", description = "Extra DNS name or IP address (repeatable), e.g. localhost, 127.0.0.1.")
  List<String> hosts = new ArrayList<>();

  @Option(names = "--ca-cert", paramLabel = "FILE", description = "Sign with this CA certificate instead of creating one.")
  Path caCert;

  @Option(names = "--ca-key", paramLabel = "FILE", description = "The CA's private key (with --ca-cert).")
  Path caKey;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if ((caCert == null) != (caKey == null)) {
      err.println("error: --ca-cert and --ca-key go together");
      return 2;
    }
    if (days < 1) {
      err.println("error: --days must be at least 1");
      return 2;
    }
    if (!service.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?") || !namespace.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?")) {
      err.println("error: --service and --namespace must be DNS labels");
      return 2;
    }
    try {
      String caCertPem = caCert == null ? null : Files.readString(caCert);
      String caKeyPem = caKey == null ? null : Files.readString(caKey);
      ServingCertificates.Bundle b = ServingCertificates.generate(service, namespace, hosts, Duration.ofDays(days),
          caCertPem, caKeyPem);
      b.write(outDir);
      err.println("wrote " + outDir.resolve("ca.crt") + ", ca.key, tls.crt, tls.key for " + String.join(", ", b.dnsNames()));
      err.println("create the serving secret with:");
      err.println("  kubectl -n " + namespace + " create secret tls " + service + "-tls --cert="
          + outDir.resolve("tls.crt") + " --key=" + outDir.resolve("tls.key"));
      err.println("and put the caBundle below into both webhook configurations (clientConfig.caBundle):");
      err.flush();
      out.println(b.caBundle());
      out.flush();
      return 0;
    } catch (IOException | IllegalStateException e) {
      err.println("error: " + e.getMessage());
      return 1;
    }
  }
}
