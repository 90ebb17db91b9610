package dev.gatehouse.impact.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.impact.ImpactException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitRevisionsTest {
  @TempDir
  Path tmp;

  static RevCommit commit(Git git, String msg) throws Exception {
    git.add().addFilepattern(".").call();
    PersonIdent who = new PersonIdent("t", "t@example.com", Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC);
    return git.commit().setMessage(msg).setAuthor(who).setCommitter(who).setSign(false).call();
  }

  @Test
  void readsTheTreeOfEachRevisionWithoutTouchingTheWorkingTree() throws Exception {
    Path dir = tmp.resolve("r");
    try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("trunk").call()) {
      Files.createDirectories(dir.resolve("policies/a"));
      Files.writeString(dir.resolve("policies/a/p.rego"), "package a\n\nallow := true\n");
      Files.writeString(dir.resolve("policies/a/data.json"), "{\"x\": 1}");
      Files.writeString(dir.resolve("other.txt"), "not a policy");
      RevCommit first = commit(git, "one");
      Files.writeString(dir.resolve("policies/a/data.json"), "{\"x\": 2}");
      RevCommit second = commit(git, "two");
      Files.writeString(dir.resolve("policies/a/data.json"), "{\"x\": \"uncommitted\"}");

      try (GitRevisions g = GitRevisions.open(dir.resolve("policies"))) {
        PolicySnapshot s1 = g.read("HEAD~1", g.resolve("HEAD~1"), "./policies/");
        assertThat(s1.commit()).isEqualTo(first.name());
        assertThat(s1.files()).containsOnlyKeys("policies/a/data.json", "policies/a/p.rego");
        assertThat(dev.gatehouse.engine.value.Json.write(PolicyFiles.of(s1).data())).isEqualTo("{\"a\":{\"x\":1}}");
        PolicySnapshot s2 = g.read("HEAD", g.resolve("HEAD"), g.prefixOf(dir.resolve("policies").toString()));
        assertThat(dev.gatehouse.engine.value.Json.write(PolicyFiles.of(s2).data())).isEqualTo("{\"a\":{\"x\":2}}");
        assertThat(s2.commit()).isEqualTo(second.name());
        // No main, master or origin/HEAD here.
        assertThatThrownBy(g::defaultBranch).isInstanceOf(ImpactException.class)
            .hasMessageContaining("no default branch found").hasMessageEndingWith("pass --base REF");
        // origin/HEAD wins once it exists.
        RefUpdate u = git.getRepository().updateRef("refs/remotes/origin/HEAD");
        u.setNewObjectId(first);
        u.forceUpdate();
        assertThat(g.defaultBranch()).isEqualTo("origin/HEAD");
        assertThat(g.mergeBase(second, first, "x").name()).isEqualTo(first.name());
      }
      assertThat(Files.readString(dir.resolve("policies/a/data.json"))).isEqualTo("{\"x\": \"uncommitted\"}");
    }
  }

  @Test
  void prefixesMustStayInsideTheRepository() {
    assertThat(GitRevisions.normalizePrefix(".")).isEmpty();
    assertThat(GitRevisions.normalizePrefix("./a/b/")).isEqualTo("a/b");
    assertThatThrownBy(() -> GitRevisions.normalizePrefix("../x")).hasMessage("--policies ../x: must be a path inside the repository");
    assertThatThrownBy(() -> GitRevisions.normalizePrefix("/etc")).isInstanceOf(ImpactException.class);
  }

  @Test
  void badDataIsALoadErrorWithItsPosition() throws Exception {
    Path dir = tmp.resolve("bad");
    try (Git git = Git.init().setDirectory(dir.toFile()).call()) {
      Files.createDirectories(dir.resolve("p"));
      Files.writeString(dir.resolve("p/data.json"), "{\n  \"x\": [1,\n}");
      Files.writeString(dir.resolve("p/a.yaml"), "k: 1\n");
      commit(git, "bad");
      try (GitRevisions g = GitRevisions.open(dir)) {
        PolicyFiles f = PolicyFiles.of(g.read("HEAD", g.resolve("HEAD"), "p"));
        assertThat(f.errors()).hasSize(1);
        assertThat(f.errors().get(0).message()).startsWith("p/data.json:3:");
        assertThat(f.errors().get(0).code()).isEqualTo("load_error");
      }
    }
  }
}
