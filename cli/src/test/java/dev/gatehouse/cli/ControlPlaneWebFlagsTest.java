package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** gatehouse control-plane's web UI flags: bad combinations are usage errors (exit 2) before anything starts. */
class ControlPlaneWebFlagsTest {
  @TempDir
  Path tmp;

  @Test
  void oidcNeedsBothIssuerAndClientId() {
    Cli.Result r = Cli.run("control-plane", "--data-dir", tmp.toString(), "--policies", "../policies", "--port", "0",
        "--oidc-issuer", "https://idp.example");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("give both --oidc-issuer and --oidc-client-id");
  }

  @Test
  void theBaseUrlMustBeAnOrigin() {
    Cli.Result r = Cli.run("control-plane", "--data-dir", tmp.toString(), "--policies", "../policies", "--port", "0",
        "--ui-base-url", "https://gatehouse.example/some/path");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--ui-base-url").contains("must be an origin");
  }

  @Test
  void anUnreadableSecretFileIsNamed() {
    Cli.Result r = Cli.run("control-plane", "--data-dir", tmp.toString(), "--policies", "../policies", "--port", "0",
        "--oidc-issuer", "https://idp.example", "--oidc-client-id", "gatehouse", "--oidc-client-secret-file",
        tmp.resolve("missing").toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--oidc-client-secret-file").contains("missing");
  }

  @Test
  void helpListsTheFlags() {
    Cli.Result r = Cli.run("control-plane", "--help");
    assertThat(r.out()).contains("--oidc-issuer=URL", "--oidc-client-id=ID", "--oidc-client-secret-file=FILE",
        "--ui-base-url=URL");
  }
}
