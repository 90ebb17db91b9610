package dev.gatehouse.impact;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.TimeZone;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * Throwaway Git repositories holding the repository's real policy library: a base commit on
 * {@code main} with {@code policies/} as it is, a {@code feature} branch with a policy change, and
 * a later commit on {@code main} (so the merge-base is not main's tip). Commits carry a fixed
 * author and time, so their ids, and so the reports, are the same on every run.
 */
final class TestRepos {
  private TestRepos() {}

  /** The Gatehouse checkout (Maven sets gatehouse.root; IDE runs fall back to ..). */
  static Path root() {
    String configured = System.getProperty("gatehouse.root");
    return Path.of(configured != null ? configured : "..").toAbsolutePath().normalize();
  }

  static Path policies() {
    return root().resolve("policies");
  }

  static Path admissionReviews() {
    return policies().resolve("gatehouse/testdata/admission");
  }

  static Path golden() {
    return root().resolve("policy-tests/src/test/resources/golden");
  }

  /** The commits of a repository made by {@link #create}. */
  record Repo(Path dir, String base, String head, String mainTip) {}

  /**
   * Creates the repository: {@code change} edits the copied policy directory for the head commit.
   * HEAD is left on {@code feature}.
   */
  static Repo create(Path dir, Change change) {
    return create(dir, policies(), change);
  }

  /** The small fixture repository of the golden reports: {@code fixture/base}, then {@code fixture/head} over it. */
  static Repo createFixture(Path dir) {
    Path fixture = Path.of("src/test/resources/fixture").toAbsolutePath();
    return create(dir, fixture.resolve("base/policies"), policies -> copy(fixture.resolve("head/policies"), policies));
  }

  /** A repository whose base commit has {@code policiesSource} as {@code policies/}. */
  static Repo create(Path dir, Path policiesSource, Change change) {
    try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
      copy(policiesSource, dir.resolve("policies"));
      Files.writeString(dir.resolve("README.md"), "policies for tests\n");
      RevCommit base = commit(git, "base: the policy library as it is", 0);
      git.branchCreate().setName("feature").call();
      git.checkout().setName("feature").call();
      change.apply(dir.resolve("policies"));
      RevCommit head = commit(git, "head: the change under review", 1);
      git.checkout().setName("main").call();
      Files.writeString(dir.resolve("README.md"), "policies for tests, later on main\n");
      RevCommit tip = commit(git, "main moves on", 2);
      git.checkout().setName("feature").call();
      return new Repo(dir, base.name(), head.name(), tip.name());
    } catch (GitAPIException | IOException e) {
      throw new IllegalStateException("cannot create the test repository: " + e.getMessage(), e);
    }
  }

  /** A policy change applied to the copied {@code policies/} directory. */
  interface Change {
    void apply(Path policies) throws IOException;
  }

  private static RevCommit commit(Git git, String message, int minute) throws GitAPIException {
    git.add().addFilepattern(".").call();
    git.add().addFilepattern(".").setUpdate(true).call();
    PersonIdent who = new PersonIdent("Test Author", "author@example.com",
        Instant.parse("2025-06-01T09:00:00Z").plusSeconds(60L * minute), TimeZone.getTimeZone("UTC").toZoneId());
    return git.commit().setMessage(message).setAuthor(who).setCommitter(who).setSign(false).call();
  }

  /** Replaces text in a file, failing when the text is not there (the fixture drifted). */
  static void edit(Path file, UnaryOperator<String> f) throws IOException {
    String before = Files.readString(file);
    String after = f.apply(before);
    if (after.equals(before)) {
      throw new IllegalStateException("edit of " + file + " changed nothing: the fixture no longer matches");
    }
    Files.writeString(file, after);
  }

  static String replaceOnce(String s, String from, String to) {
    int i = s.indexOf(from);
    if (i < 0 || s.indexOf(from, i + 1) >= 0) {
      throw new IllegalStateException("expected exactly one \"" + from + "\"");
    }
    return s.replace(from, to);
  }

  static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.sorted(Comparator.naturalOrder()).toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
