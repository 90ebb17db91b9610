package dev.gatehouse.sync.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.value.Json;
import dev.gatehouse.sync.ActivePolicy;
import dev.gatehouse.sync.BundleSync;
import dev.gatehouse.sync.SyncEvents;
import dev.gatehouse.sync.config.ConfigReader;
import dev.gatehouse.sync.config.SyncConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitSourceTest {
  @Test
  void followsARefWithTheCommitShaAsRevision(@TempDir Path dir) throws Exception {
    Path repo = dir.resolve("repo");
    Files.createDirectories(repo.resolve("policies/demo"));
    Files.writeString(repo.resolve("README.md"), "not policy");
    Files.writeString(repo.resolve("policies/demo/p.rego"), "package demo\n\nallow if input.user == \"alice\"\n");
    Files.writeString(repo.resolve("policies/demo/data.json"), "{\"level\": 1}");
    try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
      git.add().addFilepattern(".").call();
      RevCommit c1 = git.commit().setMessage("first").setAuthor("t", "t@example.com").setCommitter("t", "t@example.com")
          .setSign(false).call();
      SyncConfig config = new ConfigReader(n -> null, dir).parse("""
          bundles:
            policies:
              git: {repository: "%s", ref: main, path: policies, interval_seconds: 0}
          persistence_directory: cache
          """.formatted(repo.toUri()));
      List<String> failures = new CopyOnWriteArrayList<>();
      try (BundleSync sync = new BundleSync(config, Clock.systemUTC(), new SyncEvents() {
        @Override
        public void bundleFailed(String bundle, String stage, String error) {
          failures.add(error);
        }
      })) {
        List<ActivePolicy> seen = new CopyOnWriteArrayList<>();
        sync.onActivation(seen::add);
        sync.start();
        assertThat(sync.awaitFirstActivation(10_000)).as(failures.toString()).isTrue();
        assertThat(sync.current().orElseThrow().revisions()).containsEntry("policies", c1.name());
        assertThat(eval(sync, "data.demo.allow", "alice")).isEqualTo("true");
        assertThat(eval(sync, "data.demo.level", "x")).isEqualTo("1");
        assertThat(Files.isDirectory(dir.resolve("cache/git/policies"))).as("bare mirror in the persistence dir").isTrue();

        Files.writeString(repo.resolve("policies/demo/p.rego"), "package demo\n\nallow if input.user == \"bob\"\n");
        git.add().addFilepattern(".").call();
        RevCommit c2 = git.commit().setMessage("second").setAuthor("t", "t@example.com")
            .setCommitter("t", "t@example.com").setSign(false).call();
        long deadline = System.currentTimeMillis() + 10_000;
        while (!c2.name().equals(sync.current().orElseThrow().revisions().get("policies"))) {
          assertThat(System.currentTimeMillis()).as("new commit activated").isLessThan(deadline);
          Thread.sleep(50);
        }
        assertThat(eval(sync, "data.demo.allow", "bob")).isEqualTo("true");
      }
    }
  }

  private static String eval(BundleSync sync, String query, String user) {
    return sync.current().orElseThrow().policy().prepare(query).evalValue(Json.parse("{\"user\":\"" + user + "\"}"))
        .map(Object::toString).orElse("undefined");
  }
}
