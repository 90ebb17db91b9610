package dev.gatehouse.engine.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.engine.value.Json;
import dev.gatehouse.engine.value.ObjectValue;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * OPA delta bundles: {@code .manifest} + {@code patch.json} (upsert / replace / remove on JSON
 * pointer paths), signed like a snapshot (the signature lists {@code patch.json}), applied to the
 * active data.
 */
class DeltaBundleTest {
  private static final Manifest GRANTS = new Manifest("grants-2", List.of("gatehouse/grants"), null, Map.of(), null);

  private static ObjectValue obj(String json) {
    return (ObjectValue) Json.parse(json);
  }

  @Test
  void upsertInsertsAtAnArrayIndexReplaceAndRemoveNeedTheirTarget() {
    ObjectValue data = obj("{\"gatehouse\":{\"grants\":[{\"id\":\"a\"},{\"id\":\"c\"}]}}");
    ObjectValue out = DataPatch.apply(data, List.of(
        DataPatch.Op.upsert("/gatehouse/grants/1", Json.parse("{\"id\":\"b\"}")),
        DataPatch.Op.replace("/gatehouse/grants/2", Json.parse("{\"id\":\"c\",\"revoked\":true}")),
        DataPatch.Op.remove("/gatehouse/grants/0"),
        DataPatch.Op.upsert("/gatehouse/grants/-", Json.parse("{\"id\":\"d\"}")),
        DataPatch.Op.upsert("/x~1y/new", Json.parse("1"))));
    assertThat(out).isEqualTo(obj(
        "{\"gatehouse\":{\"grants\":[{\"id\":\"b\"},{\"id\":\"c\",\"revoked\":true},{\"id\":\"d\"}]},\"x/y\":{\"new\":1}}"));
    // the input is untouched
    assertThat(data).isEqualTo(obj("{\"gatehouse\":{\"grants\":[{\"id\":\"a\"},{\"id\":\"c\"}]}}"));

    assertThatThrownBy(() -> DataPatch.apply(data, List.of(DataPatch.Op.replace("/gatehouse/grants/2", Json.parse("1")))))
        .isInstanceOf(BundleException.class).hasMessageContaining("out of range");
    assertThatThrownBy(() -> DataPatch.apply(data, List.of(DataPatch.Op.remove("/gatehouse/other"))))
        .isInstanceOf(BundleException.class).hasMessageContaining("document missing");
    assertThatThrownBy(() -> DataPatch.apply(data, List.of(DataPatch.Op.upsert("/gatehouse/grants/01", Json.parse("1")))))
        .isInstanceOf(BundleException.class).hasMessageContaining("not an array index");
    assertThatThrownBy(() -> new DataPatch.Op("add", "/a", Json.parse("1"))).isInstanceOf(BundleException.class);
    // OPA: an empty list of operations empties the data
    assertThat(DataPatch.apply(data, List.of())).isEqualTo(ObjectValue.EMPTY);
  }

  @Test
  void aSignedDeltaRoundTripsAndItsPatchIsCoveredByTheSignature() throws IOException {
    String priv = OpaBuiltBundleTest.key("ec-private.pem");
    String pub = OpaBuiltBundleTest.key("ec-public.pem");
    List<DataPatch.Op> ops = List.of(DataPatch.Op.remove("/gatehouse/grants/3"),
        DataPatch.Op.upsert("/gatehouse/grants/0", Json.parse("{\"id\":\"g-0\",\"jws\":\"x.y.z\"}")));
    byte[] tgz = Bundle.delta(GRANTS, ops).signed(SigningConfig.of(priv, "ES256")).toTarGz();
    List<Tar.Entry> entries = Tar.read(new GZIPInputStream(new ByteArrayInputStream(tgz)), 1 << 20);
    assertThat(entries).extracting(Tar.Entry::name).containsExactly("/patch.json", "/.manifest", "/.signatures.json");

    Bundle.ReadOptions verifying = Bundle.ReadOptions.verifying(VerificationConfig.of(pub, "ES256"));
    Bundle back = BundleWriteTest.readBack(tgz, verifying);
    assertThat(back.isDelta()).isTrue();
    assertThat(back.isSigned()).isTrue();
    assertThat(back.patch()).isEqualTo(ops);
    assertThat(back.manifest().revision()).isEqualTo("grants-2");

    // A changed patch.json no longer matches its signed digest.
    List<Tar.Entry> tampered = new ArrayList<>(entries);
    tampered.set(0, new Tar.Entry("/patch.json", "{\"data\":[{\"op\":\"remove\",\"path\":\"/gatehouse/grants/0\"}]}"
        .getBytes(StandardCharsets.UTF_8)));
    assertThatThrownBy(() -> BundleWriteTest.readBack(BundleWriteTest.tarGz(tampered), verifying))
        .isInstanceOf(BundleException.class).hasMessageContaining("patch.json: digest mismatch");
  }

  @Test
  void aDeltaHoldsThePatchAloneAndStaysUnderItsRoots() throws IOException {
    byte[] patch = "{\"data\":[{\"op\":\"upsert\",\"path\":\"/gatehouse/grants/0\",\"value\":{}}]}".getBytes(StandardCharsets.UTF_8);
    byte[] manifest = GRANTS.toJson().getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> BundleWriteTest.readBack(BundleWriteTest.tarGz(List.of(new Tar.Entry("/patch.json", patch),
        new Tar.Entry("/.manifest", manifest), new Tar.Entry("/gatehouse/grants/data.json", "[]".getBytes()))),
        Bundle.ReadOptions.DEFAULT)).hasMessageContaining("only patch file but data files");
    byte[] outside = "{\"data\":[{\"op\":\"upsert\",\"path\":\"/gatehouse/config/x\",\"value\":1}]}".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> BundleWriteTest.readBack(BundleWriteTest.tarGz(List.of(new Tar.Entry("/patch.json", outside),
        new Tar.Entry("/.manifest", manifest))), Bundle.ReadOptions.DEFAULT))
        .hasMessageContaining("do not permit data patch at path /gatehouse/config/x");
    Bundle ok = BundleWriteTest.readBack(BundleWriteTest.tarGz(List.of(new Tar.Entry("/patch.json", patch),
        new Tar.Entry("/.manifest", manifest))), Bundle.ReadOptions.DEFAULT);
    assertThat(ok.isDelta()).isTrue();
    assertThat(ok.patch()).hasSize(1);
  }
}
