package dev.gatehouse.policytests;

import dev.gatehouse.engine.Policy;
import dev.gatehouse.engine.Rego;
import dev.gatehouse.engine.ast.RegoVersion;
import dev.gatehouse.engine.load.Loaded;
import dev.gatehouse.engine.load.Loader;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.Value;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The policy library under test: {@code policies/} at the repository root, or the directory in the
 * {@code gatehouse.policies} system property (Maven sets it; IDE runs fall back to {@code ../policies}).
 */
final class PolicyLibrary {
  private PolicyLibrary() {}

  static Path root() {
    String configured = System.getProperty("gatehouse.policies");
    Path dir = configured != null ? Path.of(configured) : Path.of("..", "policies");
    dir = dir.toAbsolutePath().normalize();
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException("policy library not found at " + dir + " (set -Dgatehouse.policies=DIR)");
    }
    return dir;
  }

  /** The repository root, against which Rego file names are shown. */
  static Path repository() {
    return root().getParent();
  }

  static Loaded load() {
    return Loader.load(List.of(root()));
  }

  /** The library compiled with extra data merged over its own (runtime data such as grants). */
  static Policy compileWith(Value runtimeData) {
    Loaded loaded = load();
    Value merged = DataMerge.merge(loaded.data(), runtimeData == null ? ObjectValue.EMPTY : runtimeData, "data");
    return Rego.builder().regoVersion(RegoVersion.V1).loaded(new Loaded(loaded.modules(), merged)).compile();
  }

  /** A path shown relative to the repository root, as in {@code policies/gatehouse/x_test.rego}. */
  static String display(String file) {
    Path p = Path.of(file).toAbsolutePath().normalize();
    Path repo = repository();
    return p.startsWith(repo) ? repo.relativize(p).toString() : file;
  }
}
