package dev.gatehouse.sync.source;

import dev.gatehouse.engine.ast.RegoVersion;
import dev.gatehouse.engine.bundle.Bundle;
import dev.gatehouse.engine.bundle.BundleBuilder;
import dev.gatehouse.sync.BundleSync;
import dev.gatehouse.sync.PolicyRoots;
import dev.gatehouse.sync.config.BundleConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.PathFilter;

/**
 * Policies from a Git repository (JGit): a bare mirror is fetched every {@code interval_seconds};
 * when the ref resolves to a new commit, the policy files under {@code path} at that commit are
 * read straight from the object database (no checkout) and built into a bundle whose revision is
 * the commit SHA and whose roots are computed from its content, as for a directory.
 */
public final class GitSource implements BundleSource {
  private final BundleConfig config;
  private final Path mirror;
  private final UnaryOperator<Bundle> verify;
  private final BundleSync.FailureSink failures;
  private final BiConsumer<String, String> downloadMetric;
  private volatile boolean stopped;

  /** {@code mirror}: where the bare clone lives (persistence directory or a temporary one). */
  public GitSource(BundleConfig config, Path mirror, UnaryOperator<Bundle> verify, BundleSync.FailureSink failures,
      BiConsumer<String, String> downloadMetric) {
    this.config = config;
    this.mirror = mirror;
    this.verify = verify;
    this.failures = failures;
    this.downloadMetric = downloadMetric;
  }

  @Override
  public void stop() {
    stopped = true;
  }

  @Override
  public void run(BundleSync.Sink sink) {
    String last = null;
    int failed = 0;
    while (!stopped && !Thread.currentThread().isInterrupted()) {
      try (Git git = open()) {
        git.fetch().setRemote("origin").setRefSpecs("+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*")
            .setRemoveDeletedRefs(true).call();
        ObjectId commit = git.getRepository().resolve(config.git().ref() + "^{commit}");
        if (commit == null) {
          throw new IOException("ref " + config.git().ref() + " not found in " + config.git().repository());
        }
        String sha = commit.name();
        if (!sha.equals(last)) {
          Bundle b = load(git.getRepository(), commit);
          downloadMetric.accept(config.name(), "ok");
          sink.offer(config.name(), verify.apply(b));
          last = sha; // a commit that does not compile is reported once, retried when the ref moves
        } else {
          downloadMetric.accept(config.name(), "not_modified");
        }
        failed = 0;
      } catch (IOException | GitAPIException | RuntimeException e) {
        failed++;
        downloadMetric.accept(config.name(), "error");
        failures.fail(config.name(), "git", String.valueOf(e.getMessage()));
      }
      long delay = failed > 0 ? Delays.backoff(failed, Math.max(1, config.git().intervalSeconds()))
          : Math.max(200, config.git().intervalSeconds() * 1000);
      try {
        Thread.sleep(delay);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private Git open() throws IOException, GitAPIException {
    if (Files.isDirectory(mirror.resolve("objects"))) {
      return Git.open(mirror.toFile());
    }
    Files.createDirectories(mirror);
    return Git.cloneRepository().setURI(config.git().repository()).setDirectory(mirror.toFile()).setBare(true)
        .setCloneAllBranches(true).call();
  }

  /** The policy files under {@code path} at {@code commit}, as a bundle with the commit SHA as revision. */
  Bundle load(Repository repo, ObjectId commit) throws IOException {
    Path tmp = Files.createTempDirectory("gatehouse-git-");
    try {
      try (RevWalk rw = new RevWalk(repo); TreeWalk tw = new TreeWalk(repo)) {
        RevCommit c = rw.parseCommit(commit);
        tw.addTree(c.getTree());
        tw.setRecursive(true);
        String sub = config.git().path() == null ? "" : config.git().path().replaceAll("^/+|/+$", "");
        if (!sub.isEmpty()) {
          tw.setFilter(PathFilter.create(sub));
        }
        while (tw.next()) {
          String p = tw.getPathString();
          String rel = sub.isEmpty() ? p : p.substring(sub.length() + 1);
          if (!isPolicyFile(rel) || rel.contains("..")) {
            continue;
          }
          Path out = tmp.resolve(rel).normalize();
          if (!out.startsWith(tmp)) {
            continue;
          }
          Files.createDirectories(out.getParent());
          try (InputStream in = repo.open(tw.getObjectId(0)).openStream()) {
            Files.copy(in, out);
          }
        }
      }
      Bundle b = BundleBuilder.build(List.of(tmp), new BundleBuilder.Options(false, commit.name(), RegoVersion.V1, null,
          null), w -> { });
      return b.withManifest(b.manifest().withRoots(PolicyRoots.compute(b))).withName(config.name());
    } finally {
      try (Stream<Path> s = Files.walk(tmp)) {
        s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  private static boolean isPolicyFile(String n) {
    return n.endsWith(".rego") || n.endsWith(".json") || n.endsWith(".yaml") || n.endsWith(".yml");
  }
}
