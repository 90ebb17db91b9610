package dev.gatehouse.impact.git;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The files under the policy prefix at one commit, read from Git objects (nothing checked out).
 *
 * @param ref the revision as the user named it ({@code HEAD}, {@code main}, a SHA)
 * @param commit the full commit id it resolved to
 * @param prefix the policy directory inside the repository ({@code policies}), or "" for the root
 * @param files repository-relative path → bytes, sorted by path
 */
public record PolicySnapshot(String ref, String commit, String prefix, SortedMap<String, byte[]> files) {
  public PolicySnapshot {
    files = Collections.unmodifiableSortedMap(new TreeMap<>(files));
  }

  /** The first 12 characters of the commit id, as shown in reports. */
  public String shortCommit() {
    return commit.length() > 12 ? commit.substring(0, 12) : commit;
  }

  /** A path relative to the prefix ({@code gatehouse/config/data.json}). */
  public String relative(String path) {
    if (prefix.isEmpty()) {
      return path;
    }
    return path.equals(prefix) ? path.substring(path.lastIndexOf('/') + 1) : path.substring(prefix.length() + 1);
  }
}
