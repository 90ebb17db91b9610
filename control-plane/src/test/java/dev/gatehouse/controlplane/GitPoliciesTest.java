package dev.gatehouse.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Policies from a Git repository: the commit SHA is the revision, in the bundle and in each grant. */
class GitPoliciesTest {
  @TempDir
  Path tmp;

  @Test
  void theCommitShaIsThePolicyRevisionAndNewCommitsAreFetched() throws Exception {
    Path repo = tmp.resolve("repo");
    try (Stream<Path> s = Files.walk(Harness.POLICIES)) {
      for (Path p : s.toList()) {
        Path to = repo.resolve("policies").resolve(Harness.POLICIES.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
        } else {
          Files.copy(p, to);
        }
      }
    }
    RevCommit first;
    try (Git g = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
      g.add().addFilepattern(".").call();
      first = g.commit().setMessage("policies").setAuthor("t", "t@example.com").setCommitter("t", "t@example.com")
          .setSign(false).call();
    }
    ControlPlane.Options o = Harness.options(tmp.resolve("data"), tmp.resolve("unused"))
        .orgFile(null).git(repo.toUri().toString(), "main", "policies", Duration.ofMillis(100)).policyPoll(Duration.ofMillis(200));
    // the fixture organisation goes into the repository so that the revision is exactly the commit
    try (Git g = Git.open(repo.toFile())) {
      Files.createDirectories(repo.resolve("policies/gatehouse/teams"));
      Files.createDirectories(repo.resolve("policies/gatehouse/oncall"));
      Files.createDirectories(repo.resolve("policies/gatehouse/services"));
      var org = Jsons.parse(Files.readString(Harness.FIXTURE.resolve("org.json")));
      Files.writeString(repo.resolve("policies/gatehouse/teams/data.json"), org.get("teams").toString());
      Files.writeString(repo.resolve("policies/gatehouse/oncall/data.json"), org.get("oncall").toString());
      Files.writeString(repo.resolve("policies/gatehouse/services/data.json"), org.get("services").toString());
      g.add().addFilepattern(".").call();
      first = g.commit().setMessage("org").setAuthor("t", "t@example.com").setCommitter("t", "t@example.com")
          .setSign(false).call();
    }
    try (ControlPlane cp = ControlPlane.start(o)) {
      Harness h = new Harness(cp);
      assertThat(cp.policies().current().orElseThrow().revision()).isEqualTo(first.getName());
      assertThat(h.get(Harness.ENFORCER, "/bundles/policies").raw().headers().firstValue("ETag")).hasValue(first.getName());
      String id = h.file(Harness.BOB, Harness.prodWrite("1h"));
      h.post(Harness.ALICE, "/api/v1/requests/" + id + "/reviews", "{\"decision\":\"approve\"}");
      String grant = h.post(Harness.CAROL, "/api/v1/requests/" + id + "/reviews", "{\"decision\":\"approve\"}").json()
          .get("grant_id").asText();
      assertThat(h.get(Harness.BOB, "/api/v1/grants/" + grant).json().get("policy_revision").asText()).isEqualTo(first.getName());

      RevCommit second;
      try (Git g = Git.open(repo.toFile())) {
        Path cfg = repo.resolve("policies/gatehouse/config/data.json");
        Files.writeString(cfg, Files.readString(cfg).replace("\"min_justification_length\": 10", "\"min_justification_length\": 11"));
        g.add().addFilepattern(".").call();
        second = g.commit().setMessage("longer reasons").setAuthor("t", "t@example.com").setCommitter("t", "t@example.com")
            .setSign(false).call();
      }
      long deadline = System.currentTimeMillis() + 10_000;
      while (!cp.policies().current().orElseThrow().revision().equals(second.getName()) && System.currentTimeMillis() < deadline) {
        Thread.sleep(50);
      }
      assertThat(cp.policies().current().orElseThrow().revision()).isEqualTo(second.getName());
      assertThat(h.get(Harness.AUDITOR, "/api/v1/audit?limit=1000").body()).contains(second.getName());
    }
  }
}
