package dev.gatehouse.sync.config;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What to keep in sync, in OPA's configuration vocabulary: the services bundles come from, the
 * bundles themselves, the verification keys and where last-good bundles are persisted (null: no
 * persistence). Read one from an OPA configuration file with {@link ConfigReader}.
 */
public record SyncConfig(Map<String, ServiceConfig> services, Map<String, BundleConfig> bundles,
    Map<String, KeyConfig> keys, Path persistenceDirectory) {
  public SyncConfig {
    // insertion order kept: status and revisions list bundles as configured
    services = Collections.unmodifiableMap(new LinkedHashMap<>(services));
    bundles = Collections.unmodifiableMap(new LinkedHashMap<>(bundles));
    keys = Collections.unmodifiableMap(new LinkedHashMap<>(keys));
  }
}
