package dev.gatehouse.engine.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.engine.Rego;
import dev.gatehouse.engine.RegoException;
import dev.gatehouse.engine.ast.RegoVersion;
import dev.gatehouse.engine.value.BooleanValue;
import dev.gatehouse.engine.value.Json;
import dev.gatehouse.engine.value.ObjectValue;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleWriteTest {
  @TempDir
  Path tmp;

  static final String POLICY = "package authz\n\nallow if input.user in data.roles.admins\n";

  static Bundle sample() {
    return Bundle.of(new Manifest("r1", List.of("authz", "roles"), 1, Map.of(), null),
        List.of(new Bundle.ModuleFile("authz/policy.rego", "authz/policy.rego", POLICY, RegoVersion.V1)),
        (ObjectValue) Json.parse("{\"roles\":{\"admins\":[\"alice\"]}}"));
  }

  static Bundle readBack(byte[] tarGz, Bundle.ReadOptions o) {
    return Bundle.readTarGz(new ByteArrayInputStream(tarGz), "mem.tar.gz", o);
  }

  @Test
  void writesTheEntriesOpaWritesInItsOrder() throws IOException {
    List<Tar.Entry> entries = Tar.read(new GZIPInputStream(new ByteArrayInputStream(sample().toTarGz())), 1 << 20);
    assertThat(entries).extracting(Tar.Entry::name).containsExactly("/data.json", "/authz/policy.rego", "/.manifest");
    assertThat(new String(entries.get(2).content(), StandardCharsets.UTF_8))
        .isEqualTo("{\"revision\":\"r1\",\"roots\":[\"authz\",\"roles\"],\"rego_version\":1}\n");
    assertThat(new String(entries.get(0).content(), StandardCharsets.UTF_8)).isEqualTo("{\"roles\":{\"admins\":[\"alice\"]}}\n");
  }

  @Test
  void roundTripsThroughTarGz() {
    Bundle back = readBack(sample().toTarGz(), Bundle.ReadOptions.DEFAULT);
    assertThat(back.manifest()).isEqualTo(sample().manifest());
    assertThat(back.data()).isEqualTo(sample().data());
    assertThat(back.modules()).extracting(Bundle.ModuleFile::source).containsExactly(POLICY);
    assertThat(Rego.builder().bundle(back).compile().prepare("data.authz.allow")
        .evalValue(Json.parse("{\"user\":\"alice\"}"))).contains(BooleanValue.TRUE);
  }

  @Test
  void longPathsSurviveThroughPaxHeaders() {
    String deep = "authz/" + "very-long-directory-name/".repeat(6) + "policy.rego";
    Bundle b = Bundle.of(Manifest.EMPTY, List.of(new Bundle.ModuleFile(deep, deep, POLICY, RegoVersion.V1)), ObjectValue.EMPTY);
    assertThat(readBack(b.toTarGz(), Bundle.ReadOptions.DEFAULT).modules()).extracting(Bundle.ModuleFile::path)
        .containsExactly(deep);
  }

  @Test
  void signsAndVerifiesWithEachAlgorithmFamily() throws IOException {
    String rsaPriv = OpaBuiltBundleTest.key("rsa-private.pem");
    String rsaPub = OpaBuiltBundleTest.key("rsa-public.pem");
    String ecPriv = OpaBuiltBundleTest.key("ec-private.pem");
    String ecPub = OpaBuiltBundleTest.key("ec-public.pem");
    for (String[] c : new String[][] {{"RS256", rsaPriv, rsaPub}, {"PS384", rsaPriv, rsaPub}, {"ES256", ecPriv, ecPub},
        {"HS256", "s3cret", "s3cret"}, {"HS512", "s3cret", "s3cret"}}) {
      byte[] tgz = sample().signed(SigningConfig.of(c[1], c[0])).toTarGz();
      Bundle back = readBack(tgz, Bundle.ReadOptions.verifying(VerificationConfig.of(c[2], c[0])));
      assertThat(back.isSigned()).as(c[0]).isTrue();
      assertThat(back.data()).as(c[0]).isEqualTo(sample().data());
    }
  }

  @Test
  void aTamperedFileFailsVerificationWithItsDigests() throws IOException {
    byte[] tgz = sample().signed(SigningConfig.of("s3cret", "HS256")).toTarGz();
    List<Tar.Entry> entries = new ArrayList<>(Tar.read(new GZIPInputStream(new ByteArrayInputStream(tgz)), 1 << 20));
    entries.set(1, new Tar.Entry("/authz/policy.rego", (POLICY + "\nallow := true\n").getBytes(StandardCharsets.UTF_8)));
    byte[] tampered = tarGz(entries);
    assertThatThrownBy(() -> readBack(tampered, Bundle.ReadOptions.verifying(VerificationConfig.of("s3cret", "HS256"))))
        .isInstanceOf(BundleException.class)
        .hasMessageMatching("authz/policy\\.rego: digest mismatch \\(want: [0-9a-f]{64}, got: [0-9a-f]{64}\\)");
  }

  @Test
  void anExtraUnsignedFileAndAMissingSignedFileAreBothRejected() throws IOException {
    byte[] tgz = sample().signed(SigningConfig.of("s3cret", "HS256")).toTarGz();
    List<Tar.Entry> entries = new ArrayList<>(Tar.read(new GZIPInputStream(new ByteArrayInputStream(tgz)), 1 << 20));
    Bundle.ReadOptions o = Bundle.ReadOptions.verifying(VerificationConfig.of("s3cret", "HS256"));
    List<Tar.Entry> extra = new ArrayList<>(entries);
    extra.add(new Tar.Entry("/roles/extra/data.json", "{}".getBytes(StandardCharsets.UTF_8)));
    assertThatThrownBy(() -> readBack(tarGz(extra), o)).hasMessage("file roles/extra/data.json not included in bundle signature");
    List<Tar.Entry> missing = new ArrayList<>(entries);
    missing.remove(1);
    assertThatThrownBy(() -> readBack(tarGz(missing), o))
        .hasMessage("file(s) [authz/policy.rego] specified in bundle signatures but not found in the target bundle");
    assertThat(readBack(tarGz(extra), new Bundle.ReadOptions(
        VerificationConfig.of("s3cret", "HS256").withExclude(List.of("roles/extra/*")), false, RegoVersion.V1, 1 << 20)).data())
        .isEqualTo(Json.parse("{\"roles\":{\"admins\":[\"alice\"],\"extra\":{}}}"));
  }

  @Test
  void structuredFilesAreHashedIndependentlyOfWhitespaceAndKeyOrder() {
    String a = FileHasher.hash("data.json", "{\"b\": [1, 2.50], \"a\": \"<x>\"}".getBytes(StandardCharsets.UTF_8), "SHA-256");
    String b = FileHasher.hash("data.json", "{\"a\":\"<x>\",\"b\":[1,2.50]}".getBytes(StandardCharsets.UTF_8), "SHA-256");
    assertThat(a).isEqualTo(b);
    assertThat(new String(FileHasher.canonicalJson("{\"b\": [1, 2.50], \"a\": \"<x>\\u0001\"}".getBytes(StandardCharsets.UTF_8)),
        StandardCharsets.UTF_8)).isEqualTo("{\"a\":\"<x>\\u0001\",\"b\":[1,2.50]}");
    assertThat(FileHasher.hash("x.rego", "a".getBytes(StandardCharsets.UTF_8), "SHA-256"))
        .isEqualTo("ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb");
  }

  @Test
  void modulesOutsideTheRootsAreRejectedAsOpaDoes() throws IOException {
    Path dir = tmp.resolve("b");
    Files.createDirectories(dir.resolve("x"));
    Files.writeString(dir.resolve(".manifest"), "{\"roots\":[\"a\"]}");
    Files.writeString(dir.resolve("x/p.rego"), "package b\n\nz := 1\n");
    assertThatThrownBy(() -> Bundle.read(dir)).isInstanceOf(BundleException.class)
        .hasMessage("manifest roots [a] do not permit 'package b' in module '" + dir.resolve("x/p.rego") + "'");
  }

  @Test
  void dataOutsideTheRootsIsRejected() throws IOException {
    Path dir = tmp.resolve("b");
    Files.createDirectories(dir.resolve("c/d"));
    Files.writeString(dir.resolve(".manifest"), "{\"roots\":[\"a/b\"]}");
    Files.writeString(dir.resolve("c/d/data.json"), "{\"k\":1}");
    assertThatThrownBy(() -> Bundle.read(dir)).isInstanceOf(BundleException.class)
        .hasMessage("manifest roots [a/b] do not permit data at path '/c' (hint: check bundle directory structure)");
  }

  @Test
  void overlappingRootsInOneManifestAreRejected() throws IOException {
    Path dir = tmp.resolve("b");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(".manifest"), "{\"roots\":[\"a\",\"a/b\"]}");
    assertThatThrownBy(() -> Bundle.read(dir)).hasMessage("manifest has overlapped roots: 'a' and 'a/b'");
  }

  @Test
  void dataFilesArePlacedByDirectoryAndYamlCounts() throws IOException {
    Path dir = tmp.resolve("b");
    Files.createDirectories(dir.resolve("a/b"));
    Files.writeString(dir.resolve("a/b/data.json"), "{\"k\":1}");
    Files.writeString(dir.resolve("a/data.yaml"), "list:\n  - x\n");
    Files.writeString(dir.resolve("a/ignored.json"), "{\"not\":\"loaded\"}");
    assertThat(Bundle.read(dir).data()).isEqualTo(Json.parse("{\"a\":{\"b\":{\"k\":1},\"list\":[\"x\"]}}"));
  }

  @Test
  void parseErrorsInModulesAreReportedWithTheirFile() throws IOException {
    Path dir = tmp.resolve("b");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("p.rego"), "package a\n\nx := \n");
    assertThatThrownBy(() -> Bundle.read(dir)).isInstanceOf(RegoException.class)
        // opa reports the token, then what the rule head expected
        .hasMessageStartingWith("2 errors occurred:\n" + dir.resolve("p.rego") + ":4: rego_parse_error: unexpected eof token\n")
        .hasMessageContaining("unexpected eof token: expected rule value term (e.g., x := <VALUE> { ... })");
  }

  @Test
  void aCorruptArchiveIsAClearError() {
    assertThatThrownBy(() -> readBack("not a tarball".getBytes(StandardCharsets.UTF_8), Bundle.ReadOptions.DEFAULT))
        .isInstanceOf(BundleException.class).hasMessageStartingWith("bundle read failed:");
  }

  @Test
  void aBadManifestIsAClearError() throws IOException {
    Path dir = tmp.resolve("b");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(".manifest"), "{\"revision\": 7}");
    assertThatThrownBy(() -> Bundle.read(dir)).hasMessage("bundle load failed on manifest decode: json: cannot unmarshal "
        + "number into Go struct field Manifest.revision of type string");
  }

  static byte[] tarGz(List<Tar.Entry> entries) throws IOException {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
      Tar.write(gz, entries);
    }
    return bos.toByteArray();
  }
}
