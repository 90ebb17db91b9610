package dev.gatehouse.injector.config;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which per-pod overrides the injector honours ({@code injection.overrides}). A pod author must not
 * be able to switch the sidecar off or point it elsewhere where the sidecar is the enforcement
 * point, so by default the image and bundle URL are pinned everywhere and opting out is refused in
 * the required namespaces.
 *
 * @param requiredNamespaces glob patterns ({@code *} any run of characters) of namespaces where a
 *     pod may not opt out with {@code gatehouse.dev/inject: "false"}
 * @param optOutUsers users (exact names) who may still opt a pod out there
 * @param optOutGroups groups whose members may
 * @param allowedImages images a pod may choose with {@code sidecar.gatehouse.dev/image}, exactly;
 *     empty: only the configured sidecar image
 * @param allowedBundleServiceUrls URLs a pod may choose with
 *     {@code sidecar.gatehouse.dev/bundle-service-url}, exactly; empty: only the configured one
 */
public record OverridePolicy(List<String> requiredNamespaces, Set<String> optOutUsers, Set<String> optOutGroups,
    Set<String> allowedImages, Set<String> allowedBundleServiceUrls) {

  public OverridePolicy {
    requiredNamespaces = List.copyOf(requiredNamespaces);
    optOutUsers = Set.copyOf(optOutUsers);
    optOutGroups = Set.copyOf(optOutGroups);
    allowedImages = Set.copyOf(allowedImages);
    allowedBundleServiceUrls = Set.copyOf(allowedBundleServiceUrls);
  }

  /** Nothing required, nothing allowed beyond the configuration. */
  public static final OverridePolicy PINNED = new OverridePolicy(List.of(), Set.of(), Set.of(), Set.of(), Set.of());

  public boolean sidecarRequired(String namespace) {
    if (namespace == null) {
      return false;
    }
    for (String p : requiredNamespaces) {
      if (glob(p).matcher(namespace).matches()) {
        return true;
      }
    }
    return false;
  }

  /** May this user (exact name) or one of these groups opt a pod out in a required namespace? */
  public boolean mayOptOut(String user, List<String> groups) {
    return (user != null && optOutUsers.contains(user))
        || (groups != null && groups.stream().anyMatch(g -> g != null && optOutGroups.contains(g)));
  }

  static Pattern glob(String pattern) {
    String[] parts = pattern.split("\\*", -1);
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) {
        re.append(".*");
      }
      re.append(Pattern.quote(parts[i]));
    }
    return Pattern.compile(re.toString());
  }
}
