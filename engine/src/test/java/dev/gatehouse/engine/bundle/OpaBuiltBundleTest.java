package dev.gatehouse.engine.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.engine.Policy;
import dev.gatehouse.engine.Rego;
import dev.gatehouse.engine.ast.RegoVersion;
import dev.gatehouse.engine.value.BooleanValue;
import dev.gatehouse.engine.value.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reads bundles written by the real {@code opa build} (OPA v1.22.2; see resources/bundles/README.md). */
class OpaBuiltBundleTest {
  static final Path DIR = Path.of("src/test/resources/bundles");

  static String key(String name) throws IOException {
    return Files.readString(DIR.resolve("keys").resolve(name));
  }

  @Test
  void readsManifestModulesAndDataOfAnUnsignedBundle() {
    Bundle b = Bundle.read(DIR.resolve("opa-unsigned.tar.gz"));
    assertThat(b.manifest().revision()).isEqualTo("rev-1");
    assertThat(b.manifest().effectiveRoots()).containsExactly("authz", "roles");
    assertThat(b.manifest().regoVersion()).isEqualTo(1);
    assertThat(Json.write(b.manifest().metadata())).isEqualTo("{\"owner\":\"platform\"}");
    assertThat(b.modules()).extracting(Bundle.ModuleFile::path).containsExactly("authz/authz.rego");
    assertThat(Json.write(b.data())).isEqualTo("{\"authz\":{\"limits\":{\"max\":3}},\"roles\":{\"admins\":[\"alice\"]}}");
    assertThat(b.isSigned()).isFalse();
  }

  @Test
  void aBundleLoadedIntoTheEngineAnswersQueries() {
    Policy p = Rego.builder().bundle(Bundle.read(DIR.resolve("opa-unsigned.tar.gz"))).compile();
    assertThat(p.prepare("data.authz.allow").evalValue(Json.parse("{\"user\":\"alice\"}"))).contains(BooleanValue.TRUE);
    // data.authz rather than data.authz.allow: querying a default rule directly is an open evaluator issue
    assertThat(p.prepare("data.authz").evalValue(Json.parse("{\"user\":\"bob\"}")))
        .contains(Json.parse("{\"allow\":false,\"limits\":{\"max\":3}}"));
  }

  @Test
  void verifiesRs256Es256AndHs256SignaturesMadeByOpa() throws IOException {
    Bundle rs = Bundle.read(DIR.resolve("opa-signed-rs256.tar.gz"),
        Bundle.ReadOptions.verifying(VerificationConfig.of(key("rsa-public.pem"), "RS256")));
    assertThat(rs.manifest().revision()).isEqualTo("rev-2");
    assertThat(rs.isSigned()).isTrue();
    Bundle es = Bundle.read(DIR.resolve("opa-signed-es256.tar.gz"),
        Bundle.ReadOptions.verifying(VerificationConfig.of(key("ec-public.pem"), "ES256")));
    assertThat(es.manifest().revision()).isEqualTo("rev-3");
    Bundle hs = Bundle.read(DIR.resolve("opa-signed-hs256.tar.gz"),
        Bundle.ReadOptions.verifying(VerificationConfig.of("mysecret", "HS256")));
    assertThat(hs.manifest().revision()).isEqualTo("rev-4");
  }

  @Test
  void rejectsAWrongKeyOrSecret() throws IOException {
    assertThatThrownBy(() -> Bundle.read(DIR.resolve("opa-signed-hs256.tar.gz"),
        Bundle.ReadOptions.verifying(VerificationConfig.of("other", "HS256"))))
        .isInstanceOf(BundleException.class).hasMessageStartingWith("failed to verify JWT signature");
    String ec = key("ec-public.pem");
    assertThatThrownBy(() -> Bundle.read(DIR.resolve("opa-signed-rs256.tar.gz"),
        Bundle.ReadOptions.verifying(VerificationConfig.of(ec, "RS256"))))
        .isInstanceOf(BundleException.class).hasMessageContaining("failed to");
  }

  @Test
  void aSignedBundleNeedsAKeyUnlessVerificationIsSkipped() {
    assertThatThrownBy(() -> Bundle.read(DIR.resolve("opa-signed-rs256.tar.gz")))
        .isInstanceOf(BundleException.class).hasMessage("verification key not provided");
    assertThat(Bundle.read(DIR.resolve("opa-signed-rs256.tar.gz"), Bundle.ReadOptions.SKIP_VERIFICATION)
        .manifest().revision()).isEqualTo("rev-2");
  }

  @Test
  void checksTheScopeClaim() throws IOException {
    VerificationConfig vc = VerificationConfig.of(key("rsa-public.pem"), "RS256");
    assertThatThrownBy(() -> Bundle.read(DIR.resolve("opa-signed-scope.tar.gz"), Bundle.ReadOptions.verifying(vc)))
        .isInstanceOf(BundleException.class).hasMessage("scope mismatch");
    assertThat(Bundle.read(DIR.resolve("opa-signed-scope.tar.gz"), Bundle.ReadOptions.verifying(vc.withScope("write")))
        .modules()).hasSize(1);
  }

  @Test
  void fileRegoVersionsSelectV0ForMatchingModules() {
    Bundle b = Bundle.read(DIR.resolve("opa-mixed-versions.tar.gz"));
    assertThat(b.modules()).extracting(Bundle.ModuleFile::path, Bundle.ModuleFile::regoVersion)
        .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("legacy/old.rego", RegoVersion.V0),
            org.assertj.core.groups.Tuple.tuple("modern/new.rego", RegoVersion.V1));
    Policy p = Rego.builder().bundle(b).compile();
    assertThat(p.prepare("data.modern.allow").evalValue(Json.parse("{\"x\":1}"))).contains(BooleanValue.TRUE);
  }

  @Test
  void directoryBundlesReadTheSameAsTheirTarball() {
    Bundle dir = Bundle.read(DIR.resolve("src"));
    Bundle tar = Bundle.read(DIR.resolve("opa-unsigned.tar.gz"));
    assertThat(dir.data()).isEqualTo(tar.data());
    assertThat(dir.manifest().effectiveRoots()).isEqualTo(tar.manifest().effectiveRoots());
    assertThat(dir.modules()).extracting(Bundle.ModuleFile::source)
        .isEqualTo(tar.modules().stream().map(Bundle.ModuleFile::source).toList());
    assertThat(dir.modules().get(0).name()).isEqualTo(DIR.resolve("src/authz/authz.rego").toString());
  }

  @Test
  void twoBundlesWithOverlappingRootsCannotBeActivatedTogether() {
    Bundle a = Bundle.read(DIR.resolve("opa-unsigned.tar.gz")).withName("a.tar.gz");
    Bundle b = Bundle.read(DIR.resolve("src")).withName("b");
    assertThatThrownBy(() -> Rego.builder().bundle(a).bundle(b))
        .isInstanceOf(BundleException.class)
        .hasMessage("bundle activation failed: detected overlapping roots in manifests for these bundles: "
            + "[a.tar.gz, b] (root authz is in multiple bundles)");
    assertThat(List.of(a.name(), b.name())).containsExactly("a.tar.gz", "b");
  }
}
