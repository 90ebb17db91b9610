package dev.gatehouse.injector.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryPolicySourceTest {
  private static final String POLICY = "package gatehouse.admission\ndecision := {\"allowed\": true}\n";

  /** The layout kubelet gives a ConfigMap volume: files in a hidden timestamped dir behind ..data. */
  private static void configMapVersion(Path mount, String version, String policy) throws Exception {
    Path data = Files.createDirectories(mount.resolve("..2026_03_01_" + version));
    Files.writeString(data.resolve("admission.rego"), policy);
    Path link = mount.resolve("..data");
    Path tmp = mount.resolve("..data_tmp");
    Files.deleteIfExists(tmp);
    Files.createSymbolicLink(tmp, data.getFileName());
    Files.move(tmp, link, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    if (!Files.exists(mount.resolve("admission.rego"), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      Files.createSymbolicLink(mount.resolve("admission.rego"), Path.of("..data/admission.rego"));
    }
  }

  @Test
  void aConfigMapMountIsLoadedOnceAndItsUpdatesAreSeen(@TempDir Path mount) throws Exception {
    configMapVersion(mount, "1", POLICY);
    DirectoryPolicySource src = new DirectoryPolicySource(mount);
    PolicySet first = src.load();
    assertThat(first.modules()).hasSize(1);
    String fp = src.fingerprint();
    configMapVersion(mount, "2", POLICY.replace("true", "false"));
    assertThat(src.fingerprint()).isNotEqualTo(fp);
    assertThat(src.load().modules().values().iterator().next()).contains("false");
  }

  @Test
  void aPlainDirectoryFingerprintsItsPolicyFiles(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("a.rego"), POLICY);
    DirectoryPolicySource src = new DirectoryPolicySource(dir);
    String fp = src.fingerprint();
    Files.writeString(dir.resolve("notes.txt"), "ignored");
    assertThat(src.fingerprint()).isEqualTo(fp);
    Files.writeString(dir.resolve("data.json"), "{\"x\": 1}");
    assertThat(src.fingerprint()).isNotEqualTo(fp);
    assertThat(src.load().revision()).hasSize(12);
  }
}
