package dev.gatehouse.engine.conformance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds OPA's conformance suite on this machine, as scripts/find-conformance-suite does:
 * {@code ../shared/opa-conformance} beside the repository, then the Go module cache for the pinned
 * OPA version (system property {@code gatehouse.opa.version}, default below).
 */
public final class SuiteLocator {
  public static final String PINNED_OPA_VERSION = "v1.22.2";

  private SuiteLocator() {}

  /** The directory holding {@code v1/} and {@code v0/}, if present. */
  public static Optional<Path> find() {
    String version = System.getProperty("gatehouse.opa.version", PINNED_OPA_VERSION);
    List<Path> candidates = new ArrayList<>();
    Path cwd = Path.of("").toAbsolutePath();
    for (Path dir = cwd; dir != null; dir = dir.getParent()) {
      candidates.add(dir.resolve("../shared/opa-conformance").normalize());
    }
    String modcache = System.getenv("GOMODCACHE");
    if (modcache == null || modcache.isBlank()) {
      String gopath = System.getenv("GOPATH");
      modcache = (gopath == null || gopath.isBlank() ? System.getProperty("user.home") + "/go" : gopath) + "/pkg/mod";
    }
    candidates.add(Path.of(modcache, "github.com/open-policy-agent/opa@" + version, "v1/test/cases/testdata"));
    for (Path c : candidates) {
      if (Files.isDirectory(c.resolve("v1"))) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }
}
