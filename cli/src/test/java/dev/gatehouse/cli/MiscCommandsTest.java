package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MiscCommandsTest {
  @TempDir
  Path tmp;

  @Test
  void checkPassesCleanModulesAndReportsErrors() throws IOException {
    assertThat(Cli.run("check", Cli.TESTS.resolve("authz").toString()).exit()).isZero();
    Files.writeString(tmp.resolve("p.rego"), "package p\n\nx := y\n");
    Cli.Result r = Cli.run("check", tmp.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).startsWith("1 error occurred: " + tmp.resolve("p.rego") + ":3: rego_unsafe_var_error: var y is unsafe");
  }

  @Test
  void capabilitiesPrintsExactlyWhatOpaCapabilitiesCurrentPrints() throws IOException {
    // the engine's test fixture is the raw output of `opa capabilities --current`, OPA v1.22.2
    String opa = Files.readString(Path.of("../engine/src/test/resources/opa/capabilities-v1.22.2.json"));
    Cli.Result r = Cli.run("capabilities");
    assertThat(r.exit()).isZero();
    assertThat(r.out().strip()).isEqualTo(opa.strip());
    JsonNode caps = new ObjectMapper().readTree(r.out());
    assertThat(caps.get("builtins").size()).isEqualTo(206);
  }

  @Test
  void versionAndHelp() {
    assertThat(Cli.run("version").out()).contains("OPA compatibility: v1.22.2");
    Cli.Result h = Cli.run("build", "--help");
    assertThat(h.exit()).isZero();
    assertThat(h.out()).contains("--signing-key").contains("Exit codes");
    Cli.Result u = Cli.run("nonsense");
    assertThat(u.exit()).isEqualTo(1);
    assertThat(Cli.run("test", "--bogus", ".").exit()).isEqualTo(1);
    assertThat(u.err()).contains("Unmatched argument");
  }
}
