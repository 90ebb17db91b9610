package dev.gatehouse.impact;

import dev.gatehouse.impact.corpus.CorpusStats;
import dev.gatehouse.impact.replay.ChangeClass;
import dev.gatehouse.impact.replay.Findings;
import dev.gatehouse.impact.review.DataChanges;
import dev.gatehouse.impact.review.HeadChecks;
import dev.gatehouse.impact.review.RuleSources;
import dev.gatehouse.impact.review.TestChanges;
import dev.gatehouse.impact.review.TestOutcomes;
import java.util.List;
import java.util.Set;

/**
 * Everything {@code gatehouse impact} found; renderers turn it into text, Markdown or JSON.
 *
 * @param base the base revision
 * @param head the head revision
 * @param policies the policy directory inside the repository
 * @param corpus what reading the corpus found
 * @param findings the replay's aggregate; null when a revision did not compile (nothing replayed)
 * @param baseTests base's test outcomes (null with tests off)
 * @param headTests head's test outcomes (null with tests off)
 * @param testChanges tests newly failing or fixed (null with tests off)
 * @param checks {@code check --strict} and {@code fmt} of head
 * @param rules rules added, removed or changed
 * @param data data documents' changed pointers
 * @param warnings things a reviewer should know (empty corpus, decisions nobody defines...)
 */
public record ImpactReport(RevisionInfo base, RevisionInfo head, String policies, CorpusStats corpus,
    Findings findings, TestOutcomes baseTests, TestOutcomes headTests, TestChanges testChanges, HeadChecks checks,
    RuleSources.Changes rules, List<DataChanges.Change> data, List<String> warnings) {

  /** Exit code when a {@code --fail-on} class occurred. */
  public static final int EXIT_FAIL_ON = 3;
  /** Exit code for errors (bad refs, unreadable corpora, a base that does not compile). */
  public static final int EXIT_ERROR = 2;
  /** Exit code when the head revision does not compile (the report says why). */
  public static final int EXIT_HEAD_BROKEN = 4;

  /**
   * @param ref as named by the user or defaulted ({@code merge-base(HEAD, main)})
   * @param commit the full commit id
   * @param errors load or compile errors; empty when it compiled
   */
  public record RevisionInfo(String ref, String commit, List<String> errors) {
    public String shortCommit() {
      return commit.length() > 12 ? commit.substring(0, 12) : commit;
    }

    public boolean compiled() {
      return errors.isEmpty();
    }

    /** {@code main (1a2b3c4d5e6f)}, or just the short id when the ref was the commit id itself. */
    public String label() {
      return commit.equals(ref) ? shortCommit() : ref + " (" + shortCommit() + ")";
    }
  }

  /** Which of the gate's classes occurred. */
  public boolean occurred(FailOn f) {
    if (findings == null) {
      return false;
    }
    var classes = findings.classes();
    return switch (f) {
      case ANY -> findings.changed() > 0;
      case DENY_TO_ALLOW -> classes.getOrDefault(ChangeClass.DENY_TO_ALLOW, 0L) > 0;
      case ALLOW_TO_DENY -> classes.getOrDefault(ChangeClass.ALLOW_TO_DENY, 0L) > 0;
    };
  }

  /** 2 when base does not compile, 4 when head does not, 3 when a gated class occurred, else 0. */
  public int exitCode(Set<FailOn> failOn) {
    if (!base.compiled()) {
      return EXIT_ERROR;
    }
    if (!head.compiled()) {
      return EXIT_HEAD_BROKEN;
    }
    return failOn.stream().anyMatch(this::occurred) ? EXIT_FAIL_ON : 0;
  }

  /** The {@code --fail-on} classes. */
  public enum FailOn {
    DENY_TO_ALLOW("deny-to-allow"), ALLOW_TO_DENY("allow-to-deny"), ANY("any");

    private final String id;

    FailOn(String id) {
      this.id = id;
    }

    public String id() {
      return id;
    }

    public static FailOn parse(String s) {
      for (FailOn f : values()) {
        if (f.id.equals(s.trim())) {
          return f;
        }
      }
      throw new IllegalArgumentException("unknown --fail-on class \"" + s + "\" (deny-to-allow, allow-to-deny or any)");
    }
  }
}
