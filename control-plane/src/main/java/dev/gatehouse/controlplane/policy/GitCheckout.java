package dev.gatehouse.controlplane.policy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;

/**
 * Policies from a Git repository (URL or path, and a ref), read with JGit: cloned once into the
 * data directory, fetched at most every {@code poll}, and checked out (detached) at the commit the
 * ref names. The commit SHA is the policy revision, so each grant's {@code policy_revision} names
 * the commit that approved it.
 */
public final class GitCheckout {
  private final String url;
  private final String ref;
  private final Path workDir;
  private final Duration poll;
  private long lastFetch;
  private String commit;

  public GitCheckout(String url, String ref, Path workDir, Duration poll) {
    this.url = url;
    this.ref = ref == null || ref.isBlank() ? "HEAD" : ref;
    this.workDir = workDir;
    this.poll = poll;
  }

  public Path workDir() {
    return workDir;
  }

  public String describe() {
    return "git " + url + " @ " + ref;
  }

  /** Fetches when due, checks out the ref's commit, and returns its SHA. */
  public synchronized String sync() throws IOException {
    long now = System.currentTimeMillis();
    if (commit != null && now - lastFetch < poll.toMillis()) {
      return commit;
    }
    try {
      if (!Files.isDirectory(workDir.resolve(".git"))) {
        Files.createDirectories(workDir);
        try (Git g = Git.cloneRepository().setURI(url).setDirectory(workDir.toFile()).setNoCheckout(true).call()) {
          checkout(g);
        }
      } else {
        try (Git g = Git.open(workDir.toFile())) {
          g.fetch().setRemote("origin").call();
          checkout(g);
        }
      }
      lastFetch = now;
      return commit;
    } catch (GitAPIException e) {
      throw new IOException(describe() + ": " + e.getMessage(), e);
    }
  }

  private void checkout(Git g) throws IOException, GitAPIException {
    Repository repo = g.getRepository();
    ObjectId id = null;
    for (String candidate : new String[] {"refs/remotes/origin/" + ref, "refs/tags/" + ref, ref}) {
      id = repo.resolve(candidate + "^{commit}");
      if (id != null) {
        break;
      }
    }
    if (id == null) {
      throw new IOException(describe() + ": the ref does not name a commit");
    }
    String sha = id.getName();
    if (!sha.equals(commit)) {
      g.checkout().setName(sha).setForced(true).call();
      commit = sha;
    }
  }
}
