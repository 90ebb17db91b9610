package dev.gatehouse.impact.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.EvalOptions;
import dev.gatehouse.engine.value.Json;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.impact.ImpactReport;
import dev.gatehouse.impact.corpus.CorpusStats;
import dev.gatehouse.impact.corpus.Entry;
import dev.gatehouse.impact.git.PolicySnapshot;
import dev.gatehouse.impact.replay.Findings;
import dev.gatehouse.impact.replay.Masks;
import dev.gatehouse.impact.replay.Replayer;
import dev.gatehouse.impact.replay.Revision;
import dev.gatehouse.impact.review.HeadChecks;
import dev.gatehouse.impact.review.RuleSources;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** A change that touches thousands of rules still fits one GitHub comment. */
class MarkdownLimitTest {
  static Revision revision(String rego) {
    TreeMap<String, byte[]> files = new TreeMap<>();
    files.put("p/t.rego", rego.getBytes(StandardCharsets.UTF_8));
    return new Revision(new PolicySnapshot("r", "1".repeat(40), "p", files), ObjectValue.EMPTY);
  }

  @Test
  void thousandsOfGroupsAreCutToFitWithANote() {
    // Each input names its own rule, so every decision is its own group.
    Revision base = revision("package t\n\nd := {\"allowed\": true, \"violations\": []}\n");
    Revision head = revision("package t\n\nd := {\"allowed\": false, \"violations\": [{\"rule\": input.rule, \"msg\": \"m\"}]}\n");
    Findings f;
    try (Replayer r = new Replayer(base, head, new Replayer.Options(Masks.of(List.of()), 3, 2,
        EvalOptions.DEFAULT_TIMEOUT))) {
      for (int i = 0; i < 5_000; i++) {
        r.accept(new Entry(i, Entry.Kind.DECISION_LOG, "log:" + i, "data.t.d",
            Json.parse("{\"rule\":\"rule-" + i + "\",\"padding\":\"" + "x".repeat(200) + "\"}"), null, null, null, null,
            null));
      }
      f = r.finish();
    }
    assertThat(f.groups()).hasSize(5_000);
    ImpactReport report = new ImpactReport(new ImpactReport.RevisionInfo("main", "1".repeat(40), List.of()),
        new ImpactReport.RevisionInfo("HEAD", "2".repeat(40), List.of()), "p", new CorpusStats(), f, null, null, null,
        new HeadChecks(List.of(), List.of()), new RuleSources.Changes(List.of(), List.of(), List.of()), List.of(),
        List.of());
    String md = MarkdownReport.render(report);
    assertThat(md.length()).isLessThanOrEqualTo(MarkdownReport.LIMIT);
    assertThat(md).startsWith(MarkdownReport.MARKER).contains("| allow → deny | 5,000 |")
        .containsPattern("… and [0-9,]+ more rules \\(the JSON report, `--format json`, has them all\\)\\.")
        .containsPattern("… and [0-9,]+ more groups \\(the JSON report, `--format json`, has them all\\)\\.");
  }
}
