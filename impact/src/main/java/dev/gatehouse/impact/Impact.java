package dev.gatehouse.impact;

import dev.gatehouse.engine.RegoError;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.impact.corpus.Corpus;
import dev.gatehouse.impact.corpus.CorpusStats;
import dev.gatehouse.impact.git.GitRevisions;
import dev.gatehouse.impact.git.PolicySnapshot;
import dev.gatehouse.impact.replay.Findings;
import dev.gatehouse.impact.replay.Replayer;
import dev.gatehouse.impact.replay.Revision;
import dev.gatehouse.impact.review.DataChanges;
import dev.gatehouse.impact.review.HeadChecks;
import dev.gatehouse.impact.review.RuleSources;
import dev.gatehouse.impact.review.TestChanges;
import dev.gatehouse.impact.review.TestOutcomes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jgit.lib.ObjectId;

/**
 * {@code gatehouse impact}: what a policy change does to real decisions. Reads the policies at a
 * base and a head revision from Git, replays the corpus against both, and reviews the head
 * (tests, coverage, strict check, formatting, rules and data changed).
 *
 * <pre>{@code
 * ImpactReport r = Impact.run(new Impact.Request(Path.of("."), null, "HEAD", "policies",
 *     new Corpus.Sources(List.of(Path.of("decisions.log.gz")), List.of(), List.of(),
 *         Corpus.ADMISSION_PATH, null, Instant.now()),
 *     ObjectValue.EMPTY, Replayer.Options.defaults(), true));
 * int exit = r.exitCode(Set.of(ImpactReport.FailOn.DENY_TO_ALLOW));
 * }</pre>
 */
public final class Impact {
  private Impact() {}

  /**
   * @param repo a directory inside the repository
   * @param baseRef the base revision; null for the merge-base of head with the default branch
   * @param headRef the head revision ({@code HEAD} when null)
   * @param policies the policy directory inside the repository
   * @param sources the corpus
   * @param runtimeData data merged into both revisions (what the control plane supplies at run time)
   * @param replay replay options (masks, examples, threads, timeout)
   * @param runTests whether to run both revisions' Rego tests
   */
  public record Request(Path repo, String baseRef, String headRef, String policies, Corpus.Sources sources,
      ObjectValue runtimeData, Replayer.Options replay, boolean runTests) {}

  public static ImpactReport run(Request req) {
    PolicySnapshot baseSnap;
    PolicySnapshot headSnap;
    try (GitRevisions git = GitRevisions.open(req.repo())) {
      String headRef = req.headRef() == null ? "HEAD" : req.headRef();
      ObjectId head = git.resolve(headRef);
      ObjectId base;
      String baseRef = req.baseRef();
      if (baseRef == null) {
        String branch = git.defaultBranch();
        base = git.mergeBase(head, git.resolve(branch), headRef + " and " + branch);
        baseRef = "merge-base(" + headRef + ", " + branch + ")";
      } else {
        base = git.resolve(baseRef);
      }
      String prefix = git.prefixOf(req.policies());
      baseSnap = git.read(baseRef, base, prefix);
      headSnap = git.read(headRef, head, prefix);
    }
    return compare(baseSnap, headSnap, req);
  }

  /** Compares two snapshots (from Git or elsewhere). */
  public static ImpactReport compare(PolicySnapshot baseSnap, PolicySnapshot headSnap, Request req) {
    Corpus corpus = new Corpus(req.sources());
    corpus.checkReadable(); // unreadable corpora fail before any work
    Revision base = new Revision(baseSnap, req.runtimeData());
    Revision head = new Revision(headSnap, req.runtimeData());

    // The tests of both revisions run beside the replay: they are independent.
    Duration testTimeout = Duration.ofSeconds(10);
    CompletableFuture<TestOutcomes> baseTests = req.runTests()
        ? CompletableFuture.supplyAsync(() -> TestOutcomes.run(baseSnap, testTimeout)) : null;
    CompletableFuture<TestOutcomes> headTests = req.runTests()
        ? CompletableFuture.supplyAsync(() -> TestOutcomes.run(headSnap, testTimeout)) : null;

    List<String> warnings = new ArrayList<>();
    Findings findings = null;
    if (base.compiled() && head.compiled()) {
      try (Replayer replayer = new Replayer(base, head, req.replay())) {
        corpus.stream(replayer::accept);
        findings = replayer.finish();
      }
      warnings.addAll(warnings(corpus.stats(), findings));
    } else {
      warnings.add((base.compiled() ? "head" : "base") + " does not compile: no decision was replayed");
    }

    TestOutcomes bt = baseTests == null ? null : baseTests.join();
    TestOutcomes ht = headTests == null ? null : headTests.join();
    RuleSources.Changes rules = RuleSources.compare(RuleSources.of(base.files().modules()),
        RuleSources.of(head.files().modules()));
    List<DataChanges.Change> data = DataChanges.compare(base.files().data(), head.files().data(), 50);
    return new ImpactReport(info(baseSnap, base), info(headSnap, head), headSnap.prefix().isEmpty() ? "."
        : headSnap.prefix(), corpus.stats(), findings, bt, ht, bt == null ? null : TestChanges.compare(bt, ht),
        HeadChecks.of(head.files()), rules, data, warnings);
  }

  private static ImpactReport.RevisionInfo info(PolicySnapshot s, Revision r) {
    return new ImpactReport.RevisionInfo(s.ref(), s.commit(), r.errors().stream().map(RegoError::toString).toList());
  }

  private static List<String> warnings(CorpusStats stats, Findings f) {
    List<String> out = new ArrayList<>();
    if (stats.total() == 0) {
      out.add("the corpus is empty: no decision was replayed");
    }
    if (stats.bad() > 0) {
      out.add(stats.bad() + " corrupt record" + (stats.bad() == 1 ? "" : "s") + " skipped (first: "
          + stats.problems().get(0) + ")");
    }
    if (stats.erasedInputs() > 0) {
      out.add(stats.erasedInputs() + " event" + (stats.erasedInputs() == 1 ? " was" : "s were")
          + " logged with parts of the input erased or masked (OPA mask rules): replayed as logged");
    }
    for (Map.Entry<String, Findings.PathStats> e : f.paths().entrySet()) {
      Findings.PathStats s = e.getValue();
      if (s.undefinedBoth() > 0) {
        out.add(s.undefinedBoth() + " of " + s.replayed() + " decisions at " + e.getKey()
            + " are undefined in both revisions (recorded under another decision path, or for other policies?)");
      }
      if (s.errorBoth() > 0) {
        out.add(s.errorBoth() + " of " + s.replayed() + " decisions at " + e.getKey() + " fail in both revisions");
      }
      if (s.recordedDiffers() > 0) {
        out.add(s.recordedDiffers() + " of " + s.recordedCompared() + " recorded results at " + e.getKey()
            + " differ from base's (recorded with other policies or runtime data; see --data)");
      }
    }
    return out;
  }
}
