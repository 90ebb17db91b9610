package dev.gatehouse.impact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.impact.corpus.Corpus;
import dev.gatehouse.impact.replay.ChangeClass;
import dev.gatehouse.impact.replay.Replayer;
import dev.gatehouse.impact.report.JsonReport;
import dev.gatehouse.impact.report.MarkdownReport;
import dev.gatehouse.impact.report.TextReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reports of the small fixture repository ({@code src/test/resources/fixture}) against golden
 * files. Head loosens one guardrail (a moving image tag only warns), tightens another (at most 5
 * replicas), lets support refund, makes exports conflict (an evaluation error) and adds an audit
 * decision, so every class of change but the rarest appears. Regenerate after an intended change
 * with {@code -Dimpact.updateGolden=true} and review the diff.
 */
class ReportGoldenTest {
  static final Path LOG = Path.of("src/test/resources/fixture/decisions.log");
  static final Path GOLDEN = Path.of("src/test/resources/golden");

  @TempDir
  static Path tmp;

  static ImpactReport report;

  @BeforeAll
  static void run() {
    TestRepos.Repo repo = TestRepos.createFixture(tmp.resolve("repo"));
    Corpus.Sources sources = new Corpus.Sources(List.of(LOG), List.of(), List.of(), Corpus.ADMISSION_PATH, null,
        Instant.parse("2025-06-02T10:00:00Z"));
    Replayer.Options d = Replayer.Options.defaults();
    report = Impact.run(new Impact.Request(repo.dir(), null, null, "policies", sources, ObjectValue.EMPTY,
        new Replayer.Options(d.masks(), 3, 2, d.timeout()), true));
  }

  @Test
  void classifiesEveryDecisionOfTheLog() {
    assertThat(report.corpus().total()).isEqualTo(8);
    assertThat(report.corpus().bad()).isEqualTo(1);
    assertThat(report.findings().replayed()).isEqualTo(8);
    assertThat(report.findings().classes()).containsExactly(
        entry(ChangeClass.DENY_TO_ALLOW, 2L),
        entry(ChangeClass.ALLOW_TO_DENY, 1L),
        entry(ChangeClass.ERROR_INTRODUCED, 1L),
        entry(ChangeClass.BECAME_DEFINED, 1L),
        entry(ChangeClass.FINDINGS_CHANGED, 1L));
    assertThat(report.testChanges().newlyFailing()).containsExactly(
        "data.demo.deploy_test.test_latest_is_denied (policies/demo/deploy/deploy_test.rego:9): FAIL",
        "data.demo.payments_test.test_support_cannot_refund (policies/demo/payments/payments_test.rego:9): FAIL");
    assertThat(report.rules().added()).containsExactly("demo.payments.audit");
    assertThat(report.rules().changed()).containsExactly("demo.payments.decision");
  }

  @Test
  void everyFailOnClassHasItsExitCode() {
    assertThat(report.exitCode(Set.of())).isZero();
    assertThat(report.exitCode(Set.of(ImpactReport.FailOn.DENY_TO_ALLOW))).isEqualTo(3);
    assertThat(report.exitCode(Set.of(ImpactReport.FailOn.ALLOW_TO_DENY))).isEqualTo(3);
    assertThat(report.exitCode(Set.of(ImpactReport.FailOn.ANY))).isEqualTo(3);
  }

  @Test
  void markdownMatchesTheGoldenComment() throws IOException {
    String md = MarkdownReport.render(report);
    assertThat(md).startsWith(MarkdownReport.MARKER + "\n").doesNotContain("c2VjcmV0LXRva2Vu");
    assertGolden("impact.md", md);
  }

  @Test
  void jsonMatchesTheGoldenReport() throws IOException {
    assertGolden("impact.json", JsonReport.render(report) + "\n");
  }

  @Test
  void textMatchesTheGoldenSummary() throws IOException {
    assertGolden("impact.txt", TextReport.render(report));
  }

  static void assertGolden(String name, String actual) throws IOException {
    Path file = GOLDEN.resolve(name);
    if (Boolean.getBoolean("impact.updateGolden")) {
      Files.createDirectories(GOLDEN);
      Files.writeString(file, actual);
    }
    assertThat(actual).isEqualTo(Files.readString(file));
  }
}
