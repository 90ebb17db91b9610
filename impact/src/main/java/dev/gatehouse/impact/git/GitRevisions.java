package dev.gatehouse.impact.git;

import dev.gatehouse.impact.ImpactException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.revwalk.filter.RevFilter;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.PathFilter;

/**
 * Reads the policy directory of a repository at two revisions straight from the object database
 * (TreeWalk over each commit's tree): the working tree, index and HEAD are never touched, so the
 * command is safe to run in a developer's checkout with uncommitted changes.
 */
public final class GitRevisions implements AutoCloseable {
  /** Where the default branch is looked for, in order, when no base is given. */
  static final List<String> DEFAULT_BRANCHES = List.of("refs/remotes/origin/HEAD", "refs/heads/main",
      "refs/remotes/origin/main", "refs/heads/master", "refs/remotes/origin/master");

  private final Repository repo;
  private final Path dir;

  private GitRevisions(Repository repo, Path dir) {
    this.repo = repo;
    this.dir = dir;
  }

  /** Opens the repository containing {@code dir} (searching upwards, as git does). */
  public static GitRevisions open(Path dir) {
    Path abs = dir.toAbsolutePath().normalize();
    if (!Files.isDirectory(abs)) {
      throw new ImpactException("--repo " + dir + ": no such directory");
    }
    FileRepositoryBuilder b = new FileRepositoryBuilder().readEnvironment().findGitDir(abs.toFile());
    if (b.getGitDir() == null) {
      throw new ImpactException(dir + " is not inside a Git repository (use --repo DIR)");
    }
    try {
      return new GitRevisions(b.setMustExist(true).build(), abs);
    } catch (IOException e) {
      throw new ImpactException("cannot open the Git repository at " + abs + ": " + e.getMessage(), e);
    }
  }

  /** Wraps an already open repository (tests, embedders); the caller keeps ownership. */
  public static GitRevisions of(Repository repo) {
    return new GitRevisions(repo, repo.isBare() ? repo.getDirectory().toPath() : repo.getWorkTree().toPath());
  }

  public Repository repository() {
    return repo;
  }

  /** The commit a revision names, or an error that says which name failed. */
  public ObjectId resolve(String ref) {
    try {
      ObjectId id = repo.resolve(ref + "^{commit}");
      if (id == null) {
        throw new ImpactException("unknown revision '" + ref + "' in " + dir
            + " (not a branch, tag or commit here; in CI, fetch it first, e.g. actions/checkout with fetch-depth: 0)");
      }
      return id;
    } catch (IOException | RuntimeException e) {
      if (e instanceof ImpactException ie) {
        throw ie;
      }
      throw new ImpactException("bad revision '" + ref + "': " + e.getMessage(), e);
    }
  }

  /** The default branch's ref name: origin/HEAD, else main, else master (local or origin's). */
  public String defaultBranch() {
    try {
      for (String name : DEFAULT_BRANCHES) {
        if (repo.exactRef(name) != null) {
          return Repository.shortenRefName(name);
        }
      }
    } catch (IOException e) {
      throw new ImpactException("cannot read the refs of " + dir + ": " + e.getMessage(), e);
    }
    throw new ImpactException("no default branch found in " + dir
        + " (looked for origin/HEAD, main and master); pass --base REF");
  }

  /** The merge-base of two commits: the point the head branched from. */
  public ObjectId mergeBase(ObjectId a, ObjectId b, String describe) {
    try (RevWalk walk = new RevWalk(repo)) {
      walk.setRevFilter(RevFilter.MERGE_BASE);
      walk.markStart(walk.parseCommit(a));
      walk.markStart(walk.parseCommit(b));
      RevCommit base = walk.next();
      if (base == null) {
        throw new ImpactException("no merge-base between " + describe + " (unrelated histories); pass --base REF");
      }
      return base.getId();
    } catch (IOException e) {
      throw new ImpactException("cannot compute the merge-base of " + describe + ": " + e.getMessage(), e);
    }
  }

  /**
   * Every file under {@code prefix} at {@code commit}. Symbolic links and submodules are skipped:
   * their targets are not part of the revision's policies.
   */
  public PolicySnapshot read(String ref, ObjectId commit, String prefix) {
    String p = normalizePrefix(prefix);
    TreeMap<String, byte[]> files = new TreeMap<>();
    try (RevWalk walk = new RevWalk(repo); ObjectReader reader = repo.newObjectReader()) {
      RevCommit c = walk.parseCommit(commit);
      try (TreeWalk tw = new TreeWalk(repo, reader)) {
        tw.addTree(c.getTree());
        tw.setRecursive(true);
        if (!p.isEmpty()) {
          tw.setFilter(PathFilter.create(p));
        }
        while (tw.next()) {
          if (tw.getFileMode(0) != FileMode.REGULAR_FILE && tw.getFileMode(0) != FileMode.EXECUTABLE_FILE) {
            continue;
          }
          files.put(tw.getPathString(), reader.open(tw.getObjectId(0), Constants.OBJ_BLOB).getBytes());
        }
      }
    } catch (IOException e) {
      throw new ImpactException("cannot read " + (p.isEmpty() ? "the tree" : p) + " at " + ref + ": "
          + e.getMessage(), e);
    }
    if (files.isEmpty()) {
      throw new ImpactException("no files under '" + (p.isEmpty() ? "." : p) + "' at " + ref + " ("
          + commit.abbreviate(12).name() + "); check --policies");
    }
    return new PolicySnapshot(ref, commit.name(), p, files);
  }

  /**
   * The prefix for a {@code --policies} value: an absolute path inside the working tree is made
   * relative to it; anything else is taken relative to the repository root.
   */
  public String prefixOf(String policies) {
    if (policies != null && !repo.isBare()) {
      Path p = Path.of(policies);
      if (p.isAbsolute()) {
        Path root = repo.getWorkTree().toPath().toAbsolutePath().normalize();
        Path abs = p.normalize();
        if (!abs.startsWith(root)) {
          throw new ImpactException("--policies " + policies + ": not inside the repository at " + root);
        }
        return root.relativize(abs).toString().replace('\\', '/');
      }
    }
    return policies;
  }

  /** {@code ./policies/} → {@code policies}; {@code .} → "" (the whole tree). */
  static String normalizePrefix(String prefix) {
    String p = prefix == null ? "" : prefix.replace('\\', '/').trim();
    while (p.startsWith("./")) {
      p = p.substring(2);
    }
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    if (p.equals(".")) {
      p = "";
    }
    if (p.startsWith("/") || p.contains("/../") || p.startsWith("../") || p.equals("..")) {
      throw new ImpactException("--policies " + prefix + ": must be a path inside the repository");
    }
    return p;
  }

  @Override
  public void close() {
    repo.close();
  }
}
