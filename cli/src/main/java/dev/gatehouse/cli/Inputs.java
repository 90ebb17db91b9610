package dev.gatehouse.cli;

import dev.gatehouse.engine.Rego;
import dev.gatehouse.engine.RegoError;
import dev.gatehouse.engine.RegoException;
import dev.gatehouse.engine.ast.RegoVersion;
import dev.gatehouse.engine.bundle.Bundle;
import dev.gatehouse.engine.bundle.BundleException;
import dev.gatehouse.engine.load.Loaded;
import dev.gatehouse.engine.load.Loader;
import dev.gatehouse.engine.value.ObjectValue;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Loads {@code -d} paths and {@code -b} bundles into a builder, turning failures into opa-style errors. */
final class Inputs {
  private Inputs() {}

  /** What was loaded: the builder and the module sources by file (for reports that quote lines). */
  record Result(Rego.Builder builder, Map<String, String> sources) {}

  static Result load(List<Path> data, List<Path> bundlePaths, RegoVersion version) {
    return load(data, bundlePaths, version, List.of());
  }

  /** {@code ignore}: glob patterns of file and directory names to skip below the data paths. */
  static Result load(List<Path> data, List<Path> bundlePaths, RegoVersion version, List<String> ignore) {
    return load(data, bundlePaths, version, ignore, false);
  }

  /** {@code regoOnly}: read only the .rego files of the data paths (opa check). */
  static Result load(List<Path> data, List<Path> bundlePaths, RegoVersion version, List<String> ignore,
      boolean regoOnly) {
    Loaded loaded = data.isEmpty() ? new Loaded(Map.of(), ObjectValue.EMPTY) : Loader.load(data, ignore, regoOnly);
    Rego.Builder b = Rego.builder().regoVersion(version).loaded(loaded);
    Map<String, String> sources = new java.util.LinkedHashMap<>(loaded.modules());
    List<Bundle> bundles = new ArrayList<>();
    for (Path p : bundlePaths) {
      try {
        bundles.add(Bundle.read(p, Bundle.ReadOptions.SKIP_VERIFICATION.withDefaultRegoVersion(version)));
      } catch (BundleException e) {
        throw new RegoException(new RegoError("", "loading error: bundle " + p + ": " + e.getMessage(), null));
      }
    }
    try {
      b.bundles(bundles);
    } catch (BundleException e) {
      throw new RegoException(new RegoError("", e.getMessage(), null));
    }
    for (Bundle bundle : bundles) {
      for (Bundle.ModuleFile m : bundle.modules()) {
        sources.put(m.name(), m.source());
      }
    }
    return new Result(b, sources);
  }
}
