package dev.gatehouse.injector.config;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How the sidecar is injected.
 *
 * @param sidecar the container to inject (a Kubernetes Container: image, ports, resources, probes…)
 * @param volumes pod volumes added alongside the sidecar
 * @param bundleServiceUrl where the sidecar fetches policy bundles; exported as {@code GATEHOUSE_BUNDLE_URL}
 * @param nativeSidecar inject as an init container with {@code restartPolicy: Always} (Kubernetes ≥ 1.29)
 *     instead of a regular container
 * @param position first or last in the chosen container list
 * @param excludeNamespaces never injected, whatever the labels say
 * @param webhookNamespace Gatehouse's own namespace: never injected
 * @param selfLabels pods carrying all of these labels are the webhook's own and never injected
 * @param overrides which per-pod overrides are honoured, for whom and where
 */
public record InjectionConfig(Container sidecar, List<Volume> volumes, String bundleServiceUrl,
    boolean nativeSidecar, SidecarPosition position, Set<String> excludeNamespaces, String webhookNamespace,
    Map<String, String> selfLabels, OverridePolicy overrides) {

  public InjectionConfig {
    volumes = List.copyOf(volumes);
    excludeNamespaces = Set.copyOf(excludeNamespaces);
    selfLabels = Map.copyOf(selfLabels);
  }
}
