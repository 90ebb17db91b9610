package dev.gatehouse.engine.bundle;

import dev.gatehouse.engine.value.ObjectValue;
import java.util.ArrayList;
import java.util.List;

/**
 * What activating several bundles together takes, as OPA does it when given more than one: their
 * roots must not overlap and their data documents are merged ({@code Rego.Builder.bundles} adds
 * them to a policy).
 */
public final class Bundles {
  private Bundles() {}

  /**
   * The bundles' data documents merged onto {@code base}, in order.
   *
   * @throws BundleException when a bundle's data clashes with what is already there
   */
  public static ObjectValue mergeData(ObjectValue base, List<Bundle> bundles) {
    ObjectValue data = base;
    for (Bundle b : bundles) {
      ObjectValue merged = DataMerge.merge(data, b.data());
      if (merged == null) {
        throw new BundleException("bundle activation failed: bundle " + b.name() + ": data conflicts with other loaded data");
      }
      data = merged;
    }
    return data;
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
