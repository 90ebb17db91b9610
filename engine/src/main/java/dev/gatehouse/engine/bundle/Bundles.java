package dev.gatehouse.engine.bundle;

import dev.gatehouse.engine.Rego;
import dev.gatehouse.engine.value.ObjectValue;
import java.util.ArrayList;
import java.util.List;

/**
 * Activating several bundles together, as OPA does when given more than one: their roots must not
 * overlap, their data documents are merged, and every module is added to the builder.
 */
public final class Bundles {
  private Bundles() {}

  /**
   * Adds the bundles' modules (each with its Rego version) and merged data to the builder, on top
   * of whatever data it already has.
   *
   * @throws BundleException when two bundles claim overlapping roots, or data clashes
   */
  public static Rego.Builder activate(Rego.Builder builder, List<Bundle> bundles) {
    checkRoots(bundles);
    ObjectValue data = builder.data() instanceof ObjectValue o ? o : ObjectValue.EMPTY;
    for (Bundle b : bundles) {
      for (Bundle.ModuleFile m : b.modules()) {
        builder.module(m.name(), m.source(), m.regoVersion());
      }
      ObjectValue merged = DataMerge.merge(data, b.data());
      if (merged == null) {
        throw new BundleException("bundle activation failed: bundle " + b.name() + ": data conflicts with other loaded data");
      }
      data = merged;
    }
    return builder.data(data);
  }

  /** OPA's check: no root may lie inside (or equal) a root of another bundle. */
  public static void checkRoots(List<Bundle> bundles) {
    for (int i = 0; i < bundles.size(); i++) {
      for (int j = i + 1; j < bundles.size(); j++) {
        for (String a : bundles.get(i).manifest().effectiveRoots()) {
          for (String b : bundles.get(j).manifest().effectiveRoots()) {
            if (Roots.overlap(a, b)) {
              String root = a.length() <= b.length() ? b : a;
              throw new BundleException("bundle activation failed: detected overlapping roots in manifests for these bundles: ["
                  + bundles.get(i).name() + ", " + bundles.get(j).name() + "] (root " + root + " is in multiple bundles)");
            }
          }
        }
      }
    }
  }

  /**
   * Merges bundles into one, as {@code opa build -b A B} does: roots are the union, data merged,
   * modules concatenated; revision and metadata are dropped (the caller sets a revision).
   */
  public static Bundle merge(List<Bundle> bundles, String revision) {
    if (bundles.size() == 1) {
      return bundles.get(0).withManifest(bundles.get(0).manifest().withRevision(revision == null ? "" : revision));
    }
    checkRoots(bundles);
    List<String> roots = new ArrayList<>();
    List<Bundle.ModuleFile> modules = new ArrayList<>();
    ObjectValue data = ObjectValue.EMPTY;
    for (Bundle b : bundles) {
      for (String r : b.manifest().effectiveRoots()) {
        if (!roots.contains(r)) {
          roots.add(r);
        }
      }
      modules.addAll(b.modules());
      ObjectValue merged = DataMerge.merge(data, b.data());
      if (merged == null) {
        throw new BundleException("bundle merge failed: data conflict in bundle " + b.name());
      }
      data = merged;
    }
    Manifest m = new Manifest(revision == null ? "" : revision, roots, 1, java.util.Map.of(), null);
    return Bundle.of(m, modules, data);
  }
}
