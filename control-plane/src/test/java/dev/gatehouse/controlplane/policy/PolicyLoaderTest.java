package dev.gatehouse.controlplane.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.engine.value.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyLoaderTest {

  @Test
  void dataFilesAreMergedAtTheirDirectoryPathAndTheOrgFileBelowGatehouse(@TempDir Path dir) throws IOException {
    write(dir.resolve("policies/gatehouse/config/data.json"), "{\"max_hours\": 8}");
    write(dir.resolve("policies/gatehouse/data.yaml"), "config:\n  regions: [eu]\n");
    write(dir.resolve("policies/gatehouse/jit/request.rego"), "package gatehouse.jit.request\ndecision := {}\n");
    write(dir.resolve("org.json"), "{\"teams\": {\"payments\": {\"members\": [\"bob\"]}}}");

    PolicySnapshot snap = new PolicyLoader(dir.resolve("policies"), dir.resolve("org.json")).load();

    assertThat(snap.data()).isEqualTo(Json.parse(
        "{\"gatehouse\": {\"config\": {\"max_hours\": 8, \"regions\": [\"eu\"]},"
            + " \"teams\": {\"payments\": {\"members\": [\"bob\"]}}}}"));
    assertThat(snap.roots()).contains("gatehouse/config", "gatehouse/teams", "gatehouse/jit");
  }

  @Test
  void twoDataFilesGivingOneKeyDifferentValuesAreRefusedNamingTheFileAndTheKey(@TempDir Path dir) throws IOException {
    write(dir.resolve("policies/gatehouse/config/data.json"), "{\"max_hours\": 8}");
    write(dir.resolve("policies/gatehouse/data.json"), "{\"config\": {\"max_hours\": 12}}");

    assertThatThrownBy(() -> new PolicyLoader(dir.resolve("policies"), null).load())
        .isInstanceOf(IOException.class)
        .hasMessageContaining("gatehouse/data.json")
        .hasMessageContaining("max_hours");
  }

  @Test
  void aDataFileAtTheRootThatIsNotAnObjectIsRefused(@TempDir Path dir) throws IOException {
    write(dir.resolve("policies/data.json"), "[1, 2]");

    assertThatThrownBy(() -> new PolicyLoader(dir.resolve("policies"), null).load())
        .isInstanceOf(IOException.class)
        .hasMessageContaining("data.json")
        .hasMessageContaining("must be an object");
  }

  private static void write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }
}
