package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gatehouse impact} as a user runs it, on a throwaway repository made from the impact
 * module's fixture ({@code base/} committed on main, {@code head/} over it on a branch): exit codes
 * of every {@code --fail-on} class and of every kind of error.
 */
class ImpactCommandTest {
  static final Path FIXTURE = Path.of("../impact/src/test/resources/fixture").toAbsolutePath().normalize();
  static final String LOG = FIXTURE.resolve("decisions.log").toString();

  @TempDir
  static Path tmp;

  static Path repo;
  static Path broken;
  static Path brokenBase;

  @BeforeAll
  static void setUp() throws Exception {
    repo = tmp.resolve("repo");
    makeRepo(repo, FIXTURE.resolve("head/policies"), null);
    broken = tmp.resolve("broken");
    makeRepo(broken, FIXTURE.resolve("head/policies"), "package demo.payments\n\ndecision := {\"allow\": true\n");
    brokenBase = tmp.resolve("broken-base");
    try (Git git = Git.init().setDirectory(brokenBase.toFile()).setInitialBranch("main").call()) {
      copy(FIXTURE.resolve("base/policies"), brokenBase.resolve("policies"));
      Files.writeString(brokenBase.resolve("policies/demo/payments/payments.rego"), "package demo.payments\n\nx := y\n");
      commit(git, "broken base");
      git.checkout().setCreateBranch(true).setName("fix").call();
      copy(FIXTURE.resolve("base/policies"), brokenBase.resolve("policies"));
      commit(git, "fixed");
    }
  }

  /** base/ on main; head on feature (HEAD), optionally with a broken payments.rego. */
  static void makeRepo(Path dir, Path head, String brokenPayments) throws Exception {
    try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
      copy(FIXTURE.resolve("base/policies"), dir.resolve("policies"));
      commit(git, "base");
      git.checkout().setCreateBranch(true).setName("feature").call();
      copy(head, dir.resolve("policies"));
      if (brokenPayments != null) {
        Files.writeString(dir.resolve("policies/demo/payments/payments.rego"), brokenPayments);
      }
      commit(git, "head");
    }
  }

  static void commit(Git git, String message) throws Exception {
    git.add().addFilepattern(".").call();
    PersonIdent who = new PersonIdent("Test", "test@example.com", Instant.parse("2025-06-01T09:00:00Z"), ZoneOffset.UTC);
    git.commit().setMessage(message).setAuthor(who).setCommitter(who).setSign(false).call();
  }

  static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.sorted(Comparator.naturalOrder()).toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  static Cli.Result impact(String... more) {
    String[] args = new String[6 + more.length];
    args[0] = "impact";
    args[1] = "--repo";
    args[2] = repo.toString();
    args[3] = "--no-tests";
    args[4] = "--decisions";
    args[5] = LOG;
    System.arraycopy(more, 0, args, 6, more.length);
    return Cli.run(args);
  }

  @Test
  void textSummaryAndExitZeroWithoutAGate() {
    Cli.Result r = impact();
    assertThat(r.exit()).isZero();
    assertThat(r.out()).startsWith("base merge-base(HEAD, main) (")
        .contains("replayed 8 decisions: 6 changed", "deny → allow                     2", "rules added: demo.payments.audit");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void everyFailOnClassExitsThree() {
    for (String gate : new String[] {"deny-to-allow", "allow-to-deny", "any", "deny-to-allow,allow-to-deny"}) {
      Cli.Result r = impact("--fail-on", gate);
      assertThat(r.exit()).as(gate).isEqualTo(3);
      assertThat(r.err()).as(gate).isEqualTo("impact: --fail-on " + gate + ": such changes occurred\n");
    }
  }

  @Test
  void aGateThatDidNotTripExitsZero() {
    // Only the audit decision is replayed: it becomes defined, which neither directional gate covers.
    Path onlyAudit = tmp.resolve("audit.log");
    try {
      Files.writeString(onlyAudit, Files.readAllLines(Path.of(LOG)).stream().filter(l -> l.contains("demo/payments/audit"))
          .findFirst().orElseThrow() + "\n");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    Cli.Result r = Cli.run("impact", "--repo", repo.toString(), "--no-tests", "--decisions", onlyAudit.toString(),
        "--fail-on", "deny-to-allow", "--fail-on", "allow-to-deny");
    assertThat(r.exit()).isZero();
    assertThat(Cli.run("impact", "--repo", repo.toString(), "--no-tests", "--decisions", onlyAudit.toString(),
        "--fail-on", "any").exit()).isEqualTo(3);
  }

  @Test
  void markdownIsOneCommentWithTheMarker() {
    Cli.Result r = impact("--format", "markdown");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).startsWith("<!-- gatehouse-impact -->\n### Policy impact\n")
        .contains("| deny → allow | 2 |").doesNotContain("c2VjcmV0LXRva2Vu");
  }

  @Test
  void noExamplesIsAllowed() {
    Cli.Result r = impact("--examples", "0", "--format", "markdown");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("(no examples shown)").doesNotContain("```json");
  }

  @Test
  void jsonNamesTheClassesAsFailOnDoes() {
    Cli.Result r = impact("--format", "json");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("\"deny-to-allow\": 2", "\"allow-to-deny\": 1", "\"error-introduced\": 1");
  }

  @Test
  void errorsExitTwoWithAClearMessage() {
    Cli.Result badRef = impact("--base", "no-such-ref");
    assertThat(badRef.exit()).isEqualTo(2);
    assertThat(badRef.err()).startsWith("error: unknown revision 'no-such-ref' in ");

    Cli.Result missing = Cli.run("impact", "--repo", repo.toString(), "--decisions", tmp.resolve("nope.log").toString());
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).isEqualTo("error: " + tmp.resolve("nope.log") + ": no such file or directory\n");

    Cli.Result nothing = Cli.run("impact", "--repo", repo.toString());
    assertThat(nothing.exit()).isEqualTo(2);
    assertThat(nothing.err()).isEqualTo("error: nothing to replay: give --decisions, --admission-reviews or --golden\n");

    Cli.Result gate = impact("--fail-on", "loosened");
    assertThat(gate.exit()).isEqualTo(2);
    assertThat(gate.err()).contains("unknown --fail-on class \"loosened\"");

    Cli.Result flag = impact("--no-such-flag");
    assertThat(flag.exit()).isEqualTo(2);

    Cli.Result notARepo = Cli.run("impact", "--repo", tmp.toString(), "--decisions", LOG);
    assertThat(notARepo.exit()).isEqualTo(2);
    assertThat(notARepo.err()).contains("is not inside a Git repository");
  }

  @Test
  void aBaseThatDoesNotCompileIsAnError() {
    Cli.Result r = Cli.run("impact", "--repo", brokenBase.toString(), "--no-tests", "--decisions", LOG, "-f", "markdown");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).contains("**Base does not compile:**", "rego_unsafe_var_error");
    assertThat(r.err()).isEqualTo("error: base (merge-base(HEAD, main)) does not compile; see the report\n");
  }

  @Test
  void runtimeDataAndNowAreChecked() throws IOException {
    Path data = tmp.resolve("roles.json");
    // Runtime data that clashes with the policies' own settings is a load error in both revisions.
    Files.writeString(data, "{\"demo\": {\"roles\": {\"support\": [\"read\", \"refund\"]}}}");
    Cli.Result clash = impact("--data", data.toString());
    assertThat(clash.exit()).isEqualTo(2);
    assertThat(clash.out()).contains("base does not compile:", "merge error: conflicting value at data.demo.roles.support");
    Files.writeString(data, "{\"demo\": {\"extra\": true}}");
    assertThat(impact("--data", data.toString()).exit()).isZero();
    Cli.Result rego = impact("--data", FIXTURE.resolve("base/policies/demo/payments/payments.rego").toString());
    assertThat(rego.exit()).isEqualTo(2);
    assertThat(rego.err()).contains("expected a JSON or YAML file");
    Cli.Result now = impact("--now", "yesterday");
    assertThat(now.exit()).isEqualTo(2);
    assertThat(now.err()).isEqualTo("error: --now yesterday: not an RFC 3339 time (e.g. 2025-06-02T10:00:00Z)\n");
  }

  @Test
  void aHeadThatDoesNotCompileIsReportedWithItsErrorsAndExitsFour() {
    Cli.Result r = Cli.run("impact", "--repo", broken.toString(), "--no-tests", "--decisions", LOG);
    assertThat(r.exit()).isEqualTo(4);
    assertThat(r.out()).contains("head does not compile:\n  policies/demo/payments/payments.rego:")
        .contains("rego_parse_error");
    assertThat(r.err()).isEqualTo("error: head (HEAD) does not compile; see the report\n");
  }
}
