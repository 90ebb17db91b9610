package dev.gatehouse.sync.config;

import java.nio.file.Path;
import java.util.List;

/**
 * One OPA {@code bundles} entry. {@code service} + {@code resource} for HTTP; Gatehouse adds two
 * other sources: {@code directory} (a local policy directory, watched) and {@code git}.
 * {@code signing} null means signatures are not required (a signed bundle is still refused
 * without a key, as OPA does).
 */
public record BundleConfig(String name, String service, String resource, Polling polling, Signing signing,
    boolean persist, Path directory, GitConfig git) {

  /** OPA's {@code polling}: delays between polls (seconds) and the long-polling timeout (null: off). */
  public record Polling(long minDelaySeconds, long maxDelaySeconds, Long longPollingTimeoutSeconds) {
    public static final Polling DEFAULT = new Polling(60, 120, null);

    public Polling {
      if (minDelaySeconds < 0 || maxDelaySeconds < minDelaySeconds) {
        throw new ConfigException("polling: min_delay_seconds must be >= 0 and <= max_delay_seconds");
      }
    }
  }

  /** OPA's {@code signing}: the key to verify with (null: the JWS kid), the scope, excluded files. */
  public record Signing(String keyId, String scope, List<String> excludeFiles) {
    public Signing {
      excludeFiles = excludeFiles == null ? List.of() : List.copyOf(excludeFiles);
    }
  }

  /** A Git source: repository URL or path, ref (branch, tag or commit), sub-directory, fetch interval. */
  public record GitConfig(String repository, String ref, String path, long intervalSeconds) {}

  /** An HTTP bundle. */
  public static BundleConfig http(String name, String service, String resource, Polling polling, Signing signing,
      boolean persist) {
    return new BundleConfig(name, service, resource, polling, signing, persist, null, null);
  }

  /** A watched local directory, polled every {@code polling.minDelaySeconds} (at least 1 s). */
  public static BundleConfig directory(String name, Path dir, Polling polling) {
    return new BundleConfig(name, null, null, polling, null, false, dir, null);
  }
}
