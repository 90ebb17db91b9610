package dev.gatehouse.impact.corpus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.engine.value.Json;
import dev.gatehouse.impact.ImpactException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorpusTest {
  @TempDir
  Path tmp;

  List<Entry> read(Corpus c) {
    List<Entry> out = new ArrayList<>();
    c.stream(out::add);
    return out;
  }

  static Corpus.Sources logs(Path... p) {
    return new Corpus.Sources(List.of(p), List.of(), List.of(), Corpus.ADMISSION_PATH, null,
        Instant.parse("2030-01-01T00:00:00Z"));
  }

  @Test
  void decisionPathsInEveryForm() {
    assertThat(DecisionPaths.toQuery("gatehouse/sidecar/decision")).isEqualTo("data.gatehouse.sidecar.decision");
    assertThat(DecisionPaths.toQuery("/gatehouse/sidecar/decision")).isEqualTo("data.gatehouse.sidecar.decision");
    assertThat(DecisionPaths.toQuery("data.gatehouse.sidecar.decision")).isEqualTo("data.gatehouse.sidecar.decision");
    assertThat(DecisionPaths.toQuery("data/x/y")).isEqualTo("data.x.y");
    assertThat(DecisionPaths.toQuery("envoy/authz/allow-v2")).isEqualTo("data.envoy.authz[\"allow-v2\"]");
    assertThatThrownBy(() -> DecisionPaths.toQuery("a//b")).hasMessage("empty segment in decision path \"a//b\"");
    assertThatThrownBy(() -> DecisionPaths.toQuery("/")).hasMessage("empty decision path");
  }

  @Test
  void gzipIsDetectedByContentBatchesAreSplitAndBadRecordsCounted() throws IOException {
    Path log = tmp.resolve("decisions"); // no .gz: detected from the magic bytes
    String lines = String.join("\n",
        "{\"decision_id\":\"a\",\"path\":\"x/allow\",\"input\":{\"u\":1},\"result\":true,\"timestamp\":\"2025-06-02T10:00:00.5Z\"}",
        "",
        "[{\"path\":\"x/allow\",\"input\":{\"u\":2}},{\"path\":\"x/deny\"}]",
        "not json",
        "42",
        "{\"path\":7}",
        "{\"input\":{}}",
        "{\"path\":\"x/allow\",\"timestamp\":\"yesterday\"}",
        "{\"query\":\"data.x.allow = v\",\"input\":{}}",
        "{\"path\":\"x/allow\",\"input\":{},\"erased\":[\"/input/password\"],\"masked\":[\"/result/x\"]}") + "\n";
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(log))) {
      out.write(lines.getBytes(StandardCharsets.UTF_8));
    }
    Corpus c = new Corpus(logs(log));
    List<Entry> entries = read(c);
    assertThat(entries).extracting(Entry::source).containsExactly(log + ":1", log + ":3[0]", log + ":3[1]", log + ":10");
    assertThat(c.stats().erasedInputs()).isEqualTo(1);
    Entry first = entries.get(0);
    assertThat(first.path()).isEqualTo("data.x.allow");
    assertThat(first.decisionId()).isEqualTo("a");
    assertThat(first.recorded()).isEqualTo(Json.parse("true"));
    assertThat(first.nowNanos()).isEqualTo(Instant.parse("2025-06-02T10:00:00.5Z").getEpochSecond() * 1_000_000_000L + 500_000_000L);
    assertThat(entries.get(2).input()).isNull(); // no input: evaluated without one, as OPA would
    assertThat(c.stats().bad()).isEqualTo(5);
    assertThat(c.stats().skipped()).isEqualTo(1);
    assertThat(c.stats().problems()).hasSize(6);
    assertThat(c.stats().problems().get(0)).startsWith(log + ":4: not JSON: ");
    assertThat(c.stats().problems().subList(1, 6)).containsExactly(
        log + ":5: a decision-log event is a JSON object, got number",
        log + ":6: \"path\" must be a string",
        log + ":7: event without \"path\"",
        log + ":8: \"timestamp\" is not RFC 3339: yesterday",
        log + ":9: event of an ad-hoc query (no path): not replayed");
  }

  @Test
  void aTruncatedGzipKeepsWhatWasReadAndSaysSo() throws IOException {
    Path log = tmp.resolve("cut.log.gz");
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 2000; i++) {
      sb.append("{\"path\":\"x/allow\",\"input\":{\"i\":").append(i).append("}}\n");
    }
    var bytes = new java.io.ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(bytes)) {
      out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
    }
    byte[] all = bytes.toByteArray();
    Files.write(log, Arrays.copyOf(all, all.length / 2));
    Corpus c = new Corpus(logs(log));
    List<Entry> entries = read(c);
    assertThat(entries).isNotEmpty().hasSizeLessThan(2000);
    // The cut line (if the cut fell inside one) and the cut itself are reported; nothing is fatal.
    assertThat(c.stats().bad()).isBetween(1L, 2L);
    assertThat(c.stats().problems().get((int) c.stats().bad() - 1)).startsWith(log + ": unreadable past this point: ");
    assertThat(entries).extracting(e -> Json.write(e.input())).startsWith("{\"i\":0}", "{\"i\":1}");
  }

  @Test
  void admissionReviewsTakeNowFromTheFlagTheReviewOrTheRun() throws IOException {
    Path dir = tmp.resolve("reviews");
    Files.createDirectories(dir.resolve("b"));
    Files.writeString(dir.resolve("a.json"), "{\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"u-a\"}}");
    Files.writeString(dir.resolve("b/b.yaml"), "kind: AdmissionReview\nnow: 2025-06-02T10:00:00Z\nrequest:\n  uid: u-b\n");
    Files.writeString(dir.resolve("c.json"), "{\"kind\":\"AdmissionReview\"}");
    Files.writeString(dir.resolve("notes.txt"), "ignored");
    Corpus.Sources own = new Corpus.Sources(List.of(), List.of(dir), List.of(), "data.k8s.decision", null,
        Instant.parse("2030-01-01T00:00:00Z"));
    Corpus c = new Corpus(own);
    List<Entry> entries = read(c);
    assertThat(entries).extracting(e -> Json.write(e.input())).containsExactly(
        "{\"now\":\"2030-01-01T00:00:00Z\",\"request\":{\"uid\":\"u-a\"}}",
        "{\"now\":\"2025-06-02T10:00:00Z\",\"request\":{\"uid\":\"u-b\"}}");
    assertThat(entries).extracting(Entry::path).containsOnly("data.k8s.decision");
    assertThat(entries).extracting(Entry::decisionId).containsExactly("u-a", "u-b");
    assertThat(c.stats().problems()).containsExactly(dir.resolve("c.json") + ": not an AdmissionReview (no \"request\" object)");

    Corpus.Sources flag = new Corpus.Sources(List.of(), List.of(dir), List.of(), Corpus.ADMISSION_PATH,
        Instant.parse("2025-01-01T00:00:00Z"), Instant.parse("2030-01-01T00:00:00Z"));
    assertThat(read(new Corpus(flag))).extracting(e -> e.nowNanos())
        .containsOnly(Instant.parse("2025-01-01T00:00:00Z").getEpochSecond() * 1_000_000_000L);
  }

  @Test
  void missingSourcesAreErrorsBeforeAnythingIsRead() {
    Path missing = tmp.resolve("nope");
    assertThatThrownBy(() -> new Corpus(logs(missing)).checkReadable())
        .isInstanceOf(ImpactException.class).hasMessage(missing + ": no such file or directory");
  }
}
