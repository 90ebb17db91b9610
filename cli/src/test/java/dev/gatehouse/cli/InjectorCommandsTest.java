package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class InjectorCommandsTest {
  record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    CommandLine cl = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void injectRewritesAWorkloadAndReportsOnStderr(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("job.yaml");
    Files.writeString(f, """
        apiVersion: batch/v1
        kind: Job
        metadata: {name: report, namespace: finance}
        spec:
          template:
            spec:
              restartPolicy: Never
              containers: [{name: report, image: "report:3", ports: [{containerPort: 9090}]}]
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: c}
        data: {a: "1"}
        """);
    Run r = run("inject", "-f", f.toString());
    assertThat(r.code()).isEqualTo(0);
    assertThat(r.out()).contains("initContainers:").contains("name: gatehouse-sidecar").contains("restartPolicy: Always")
        .contains("kind: ConfigMap");
    assertThat(r.err()).contains("document 1 (Job report): injected native sidecar");
  }

  @Test
  void injectReportsBadInputWithTheFileAndDocument(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("bad.yaml");
    Files.writeString(f, "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: oops}\n");
    Run r = run("inject", "-f", f.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("bad.yaml: document 1 (Pod p): not a valid pod: spec.containers: expected a list");
  }

  @Test
  void webhookCertsWritesThePairAndPrintsTheCaBundle(@TempDir Path dir) throws Exception {
    Run r = run("webhook", "certs", "--service", "gw", "--namespace", "gh", "-o", dir.toString());
    assertThat(r.code()).isEqualTo(0);
    String ca = Files.readString(dir.resolve("ca.crt"));
    assertThat(new String(Base64.getDecoder().decode(r.out().trim()))).isEqualTo(ca);
    assertThat(dir.resolve("tls.key")).exists();
    assertThat(r.err()).contains("gw.gh.svc").contains("kubectl -n gh create secret tls gw-tls");
  }

  @Test
  void webhookNeedsOnePolicySourceAndACertificate() {
    assertThat(run("webhook").err())
        .contains("give exactly one of --policies DIR, --bundle FILE or --opa-config FILE (with --policies DIR)");
    Run both = run("webhook", "--bundle", "b.tar.gz", "--opa-config", "opa.yaml");
    assertThat(both.code()).isEqualTo(2);
    assertThat(both.err()).contains("--bundle and --opa-config exclude each other");
    Run noTls = run("webhook", "--policies", ".");
    assertThat(noTls.code()).isEqualTo(2);
    assertThat(noTls.err()).contains("--tls-cert and --tls-key are required");
  }

  @Test
  void aBundleBuiltFromThePolicyLibraryFeedsTheWebhookWithItsRevision(@TempDir Path dir) throws Exception {
    Path bundle = dir.resolve("policies.tar.gz");
    assertThat(Cli.run("build", "-b", "../policies", "-o", bundle.toString(), "--revision", "rev-42").exit()).isZero();
    var set = WebhookCommand.bundleReader().read(bundle);
    assertThat(set.revision()).isEqualTo("rev-42");
    assertThat(set.modules().keySet()).anyMatch(name -> name.endsWith("admission/admission.rego"));
    assertThat(set.versions()).isEmpty();
  }

  @Test
  void aFileThatIsNotABundleIsAnIoErrorNamingIt(@TempDir Path dir) throws Exception {
    Path notABundle = Files.writeString(dir.resolve("x.tar.gz"), "not gzip");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> WebhookCommand.bundleReader().read(notABundle))
        .isInstanceOf(java.io.IOException.class).hasMessageContaining("x.tar.gz");
  }
}
