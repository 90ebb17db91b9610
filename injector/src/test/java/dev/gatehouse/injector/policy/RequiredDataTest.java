package dev.gatehouse.injector.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped policies loaded without their layout (every file side by side, as a ConfigMap made
 * with --from-file of the directory holds them) compile, but their settings land at the data root:
 * the webhook must not become ready on them (issue 12: it said ok while most guardrails were off).
 */
class RequiredDataTest {
  static final Path POLICIES = Path.of("../policies").toAbsolutePath().normalize();
  static final String DECISION = "data.gatehouse.admission.decision";

  static PolicyStore store(Path dir, List<PolicyStore.Reload> reloads) {
    return new PolicyStore(new DirectoryPolicySource(dir), DECISION, Clock.systemUTC(), reloads::add);
  }

  @Test
  void theLibraryAsLaidOutIsReady() {
    List<PolicyStore.Reload> reloads = new ArrayList<>();
    PolicyStore s = store(POLICIES, reloads);
    assertThat(s.refresh()).as(String.valueOf(s.lastError())).isTrue();
    assertThat(s.current()).isPresent();
  }

  @Test
  void aFlatCopyIsRefusedWithTheReason(@TempDir Path flat) throws Exception {
    try (var files = Files.walk(POLICIES)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        String n = f.getFileName().toString();
        if (Files.isRegularFile(f) && !f.toString().contains("testdata") && !n.endsWith("_test.rego")
            && (n.endsWith(".rego") || n.equals("data.json")) && f.getParent().getFileName().toString().equals("config")) {
          Files.copy(f, flat.resolve(n)); // config/data.json → the root's data.json
        } else if (Files.isRegularFile(f) && n.endsWith(".rego") && !n.endsWith("_test.rego")) {
          Files.copy(f, flat.resolve(f.getParent().getFileName() + "-" + n));
        }
      }
    }
    assertThat(flat.resolve("data.json")).exists();
    List<PolicyStore.Reload> reloads = new ArrayList<>();
    PolicyStore s = store(flat, reloads);
    assertThat(s.refresh()).isFalse();
    assertThat(s.current()).as("not ready").isEmpty();
    assertThat(s.lastError()).contains("data.gatehouse.config.admission.rules is missing")
        .contains("a flat ConfigMap of the directory loses that layout");
    assertThat(reloads).singleElement().isInstanceOf(PolicyStore.Reload.Failed.class);
    assertThat(s.refresh()).isFalse();
    assertThat(reloads).as("the same broken content is reported once").hasSize(1);
  }
}
