package dev.gatehouse.engine.bundle;

import dev.gatehouse.engine.ast.RegoVersion;
import dev.gatehouse.engine.compile.PolicyCompiler;
import dev.gatehouse.engine.load.Loaded;
import dev.gatehouse.engine.load.Loader;
import dev.gatehouse.engine.value.ObjectValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What {@code opa build} does for the {@code rego} target: collect policies and data (as
 * {@code -d} would, or from bundle directories and tarballs in bundle mode), check that the
 * modules compile, stamp a manifest and optionally sign.
 */
public final class BundleBuilder {
  private BundleBuilder() {}

  /**
   * {@code bundleMode} reads each path as a bundle (its {@code .manifest} counts); otherwise
   * paths are loaded like {@code opa eval -d} and any {@code .manifest} is ignored with a warning.
   * {@code verification} checks signed input bundles; {@code signing} signs the output.
   */
  public record Options(boolean bundleMode, String revision, RegoVersion regoVersion, SigningConfig signing,
      VerificationConfig verification) {
    public static Options defaults() {
      return new Options(false, null, RegoVersion.V1, null, null);
    }
  }

  /** Builds the bundle; {@code warnings} receives notes such as an ignored manifest. */
  public static Bundle build(List<Path> paths, Options o, Consumer<String> warnings) {
    if (paths.isEmpty()) {
      throw new BundleException("expected at least one path");
    }
    Bundle out;
    if (!o.bundleMode()) {
      if (o.signing() != null || o.verification() != null) {
        throw new BundleException("enable bundle mode (ie. --bundle) to verify or sign bundle files or directories");
      }
      for (Path p : paths) {
        if (Files.isDirectory(p) && Files.exists(p.resolve(".manifest"))) {
          warnings.accept("Warning: .manifest file found in \"" + p + "\" but -b flag not specified. Manifest will be ignored.");
        }
      }
      Loaded loaded = Loader.load(paths.stream().filter(p -> !p.toString().endsWith(".tar.gz")).toList());
      List<Bundle.ModuleFile> modules = new ArrayList<>();
      loaded.modules().forEach((file, src) -> modules.add(new Bundle.ModuleFile(Bundle.normalize(file), file, src,
          o.regoVersion())));
      ObjectValue data = loaded.data() instanceof ObjectValue d ? d : ObjectValue.EMPTY;
      out = Bundle.of(new Manifest(o.revision(), List.of(""), versionInt(o.regoVersion()), Map.of(), null), modules, data);
    } else {
      Bundle.ReadOptions ro = o.verification() != null
          ? Bundle.ReadOptions.verifying(o.verification()).withDefaultRegoVersion(o.regoVersion())
          : Bundle.ReadOptions.SKIP_VERIFICATION.withDefaultRegoVersion(o.regoVersion());
      List<Bundle> inputs = new ArrayList<>();
      for (Path p : paths) {
        Bundle b = Bundle.read(p, ro);
        if (Files.isDirectory(p)) {
          b = rebase(b, p);
        }
        inputs.add(b);
      }
      Bundle merged = Bundles.merge(inputs, o.revision());
      Manifest m = merged.manifest();
      out = merged.withManifest(new Manifest(o.revision(), m.roots() == null ? List.of("") : m.roots(),
          versionInt(o.regoVersion()), fileVersions(merged, o.regoVersion()), m.metadata()));
    }
    // opa build refuses modules that do not compile (base data plays no part in that)
    Map<String, String> sources = new java.util.LinkedHashMap<>();
    Map<String, RegoVersion> versions = new java.util.LinkedHashMap<>();
    for (Bundle.ModuleFile m : out.modules()) {
      sources.put(m.name(), m.source());
      versions.put(m.name(), m.regoVersion());
    }
    PolicyCompiler.compile(PolicyCompiler.Sources.of(sources, versions, o.regoVersion()));
    return o.signing() != null ? out.signed(o.signing()) : out;
  }

  /** Module paths of a directory input keep the directory as given ({@code src/authz/x.rego}), as opa does. */
  private static Bundle rebase(Bundle b, Path dir) {
    String prefix = Bundle.normalize(dir.normalize().toString());
    List<Bundle.ModuleFile> modules = new ArrayList<>();
    for (Bundle.ModuleFile m : b.modules()) {
      String path = prefix.isEmpty() || prefix.equals(".") ? m.path() : prefix + "/" + m.path();
      modules.add(new Bundle.ModuleFile(path, m.name(), m.source(), m.regoVersion()));
    }
    return new Bundle(b.name(), b.manifest(), modules, b.data(), b.signatures(), "");
  }

  /** Files whose version differs from the bundle's are listed individually, as opa build does. */
  private static Map<String, Integer> fileVersions(Bundle b, RegoVersion def) {
    Map<String, Integer> out = new java.util.TreeMap<>();
    for (Bundle.ModuleFile m : b.modules()) {
      if (m.regoVersion() != def) {
        out.put("/" + m.path(), versionInt(m.regoVersion()));
      }
    }
    return out;
  }

  private static int versionInt(RegoVersion v) {
    return v == RegoVersion.V0 ? 0 : 1;
  }
}
