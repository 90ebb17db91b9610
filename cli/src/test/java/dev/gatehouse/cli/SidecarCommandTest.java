package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SidecarCommandTest {
  @Test
  void needsABundleSource() {
    Cli.Result r = Cli.run("sidecar", "--upstream", "http://127.0.0.1:8080", "--service", "payments-api");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("give --config FILE (bundles from a server) and/or --policies DIR");
  }

  @Test
  void badFlagsAreClearErrors(@TempDir Path dir) throws Exception {
    Cli.Result r = Cli.run("sidecar", "--upstream", "ftp://x", "--service", "s", "--policies", "../policies");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("--upstream must be an http:// or https:// URL with a host, got ftp://x");
    r = Cli.run("sidecar", "--upstream", "http://x:1", "--service", "s", "--policies", "../policies", "--listen", "a:b");
    assertThat(r.err()).contains("--listen a:b: expected HOST:PORT, :PORT or PORT");
    r = Cli.run("sidecar", "--upstream", "http://x:1", "--service", "s", "--policies", dir.resolve("nope").toString());
    assertThat(r.err()).contains("not a directory");
    r = Cli.run("sidecar", "--upstream", "http://x:1", "--service", "s", "--policies", "../policies",
        "--client-ca", "ca.pem");
    assertThat(r.err()).contains("--client-ca needs --tls-cert and --tls-key");
    Path cfg = dir.resolve("opa.yaml");
    Files.writeString(cfg, "services: [{name: cp, url: 'http://cp'}]\nbundles: {authz: {service: nope}}\n");
    r = Cli.run("sidecar", "--upstream", "http://x:1", "--service", "s", "--config", cfg.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("bundles.authz.service nope is not in services");
    r = Cli.run("sidecar", "--service", "s", "--policies", "../policies");
    assertThat(r.err()).contains("Missing required option: '--upstream=URL'");
  }

  @Test
  void addressesAcceptHostPortColonPortOrPort() {
    assertThat(SidecarCommand.address("127.0.0.1:15080", "--listen")).containsExactly("127.0.0.1", "15080");
    assertThat(SidecarCommand.address(":9", "--listen")).containsExactly("0.0.0.0", "9");
    assertThat(SidecarCommand.address("8080", "--listen")).containsExactly("0.0.0.0", "8080");
    assertThat(SidecarCommand.address("[::1]:80", "--listen")).containsExactly("::1", "80");
    assertThatThrownBy(() -> SidecarCommand.address("x:70000", "--listen")).hasMessageContaining("expected HOST:PORT");
  }
}
