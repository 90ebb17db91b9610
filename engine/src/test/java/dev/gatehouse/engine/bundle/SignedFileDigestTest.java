package dev.gatehouse.engine.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A signed file's digest is over its canonical JSON: a file written canonically (as opa and
 * Gatehouse write data.json, with or without a final newline) is accepted by hashing its bytes
 * directly; any other layout of the same document is still accepted through re-serialization; a
 * changed document is refused either way.
 */
class SignedFileDigestTest {
  private static final String CANONICAL = "{\"gatehouse\":{\"grants\":[{\"id\":\"g-1\",\"subject\":\"bob\"}]}}";

  private static Map<String, Signatures.FileInfo> signed(String canonical, String algorithm) {
    String hash = FileHasher.hash("data.json", canonical.getBytes(StandardCharsets.UTF_8), algorithm);
    Map<String, Signatures.FileInfo> files = new HashMap<>();
    files.put("data.json", new Signatures.FileInfo("data.json", hash, algorithm));
    return files;
  }

  private static void verify(String content, String algorithm) {
    Signatures.verifyFile("data.json", content.getBytes(StandardCharsets.UTF_8), signed(CANONICAL, algorithm));
  }

  @Test
  void canonicalFilesPrettyPrintedFilesAndTrailingNewlinesVerify() {
    verify(CANONICAL, "SHA-256");
    verify(CANONICAL + "\n", "SHA-256");
    verify("{\n  \"gatehouse\": {\"grants\": [ {\"subject\": \"bob\", \"id\": \"g-1\"} ]}\n}\n", "SHA-256");
    verify(CANONICAL + "\n", "SHA-512");
    verify(CANONICAL, "MD5");
  }

  @Test
  void aChangedDocumentIsRefusedWhateverItsLayout() {
    String forged = CANONICAL.replace("bob", "eve");
    assertThatThrownBy(() -> verify(forged, "SHA-256")).isInstanceOf(BundleException.class)
        .hasMessageContaining("digest mismatch");
    assertThatThrownBy(() -> verify(forged + "\n", "SHA-256")).hasMessageContaining("digest mismatch");
    assertThatThrownBy(() -> verify(" " + forged, "SHA-256")).hasMessageContaining("digest mismatch");
    assertThatThrownBy(() -> verify(forged, "MD5")).hasMessageContaining("digest mismatch");
    // a verified file is taken off the list, so a second copy of it is "not included"
    Map<String, Signatures.FileInfo> files = signed(CANONICAL, "SHA-256");
    Signatures.verifyFile("data.json", CANONICAL.getBytes(StandardCharsets.UTF_8), files);
    assertThat(files).isEmpty();
  }
}
