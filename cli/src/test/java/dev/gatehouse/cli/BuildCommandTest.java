package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.bundle.Bundle;
import dev.gatehouse.engine.bundle.VerificationConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildCommandTest {
  @TempDir
  Path tmp;

  @Test
  void buildsABundleThatEvalLoads() throws IOException {
    Path out = tmp.resolve("bundle.tar.gz");
    Cli.Result r = Cli.run("build", Cli.TESTS.resolve("authz").toString(), Cli.TESTS.resolve("data.json").toString(),
        "-o", out.toString(), "--revision", "r42");
    assertThat(r.exit()).as(r.err()).isZero();
    // Readable by whoever serves it, as opa build writes it (a temporary file would be 0600).
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(out)))
        .isEqualTo("rw-r--r--");
    Bundle b = Bundle.read(out);
    assertThat(b.manifest().revision()).isEqualTo("r42");
    assertThat(b.manifest().effectiveRoots()).containsExactly("");
    assertThat(b.modules()).extracting(Bundle.ModuleFile::path)
        .contains("src/test/resources/tests/authz/policy.rego");
    assertThat(Cli.runWithStdin("{\"user\":\"alice\"}", "eval", "-f", "raw", "-b", out.toString(), "--stdin-input",
        "data.authz.allow").out()).isEqualTo("true\n");
  }

  @Test
  void signsInBundleModeAndTheSignatureVerifies() throws IOException {
    Path src = tmp.resolve("src");
    Files.createDirectories(src.resolve("authz"));
    Files.copy(Cli.TESTS.resolve("authz/policy.rego"), src.resolve("authz/policy.rego"));
    Files.writeString(src.resolve(".manifest"), "{\"roots\":[\"authz\"]}");
    Path out = tmp.resolve("signed.tar.gz");
    Cli.Result r = Cli.run("build", "-b", src.toString(), "-o", out.toString(), "--signing-alg", "HS256",
        "--signing-key", "topsecret");
    assertThat(r.exit()).as(r.err()).isZero();
    Bundle b = Bundle.read(out, Bundle.ReadOptions.verifying(VerificationConfig.of("topsecret", "HS256")));
    assertThat(b.isSigned()).isTrue();
    assertThat(b.manifest().effectiveRoots()).containsExactly("authz");
  }

  @Test
  void signingWithoutBundleModeIsRefusedAsOpaDoes() {
    Cli.Result r = Cli.run("build", Cli.TESTS.toString(), "-o", tmp.resolve("x.tar.gz").toString(),
        "--signing-key", "k", "--signing-alg", "HS256");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("error: enable bundle mode (ie. --bundle) to verify or sign bundle files or directories\n");
    assertThat(tmp.resolve("x.tar.gz")).doesNotExist();
  }

  @Test
  void compileErrorsFailTheBuildWithoutWritingAFile() throws IOException {
    Files.writeString(tmp.resolve("p.rego"), "package p\n\nx := y\n");
    Path out = tmp.resolve("o.tar.gz");
    Cli.Result r = Cli.run("build", tmp.resolve("p.rego").toString(), "-o", out.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("rego_unsafe_var_error");
    assertThat(out).doesNotExist();
  }
}
