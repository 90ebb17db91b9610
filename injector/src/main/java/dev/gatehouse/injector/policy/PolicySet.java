package dev.gatehouse.injector.policy;

import dev.gatehouse.engine.value.Value;
import dev.gatehouse.engine.ast.RegoVersion;
import java.util.Map;

/**
 * Rego sources and data as read from a directory or bundle, before compilation.
 *
 * @param modules file name → Rego text
 * @param data the base data document (grants, teams, on-call roster… loaded with the policies)
 * @param revision names this content in logs, metrics and audit annotations (a bundle's manifest
 *     revision, or a digest of a directory's files)
 */
public record PolicySet(Map<String, String> modules, Map<String, RegoVersion> versions, Value data, String revision) {
  /**
   * {@code versions} gives the Rego version of modules that are not v1 (a bundle's
   * {@code rego_version}/{@code file_rego_versions}); modules not listed are v1.
   */
  public PolicySet {
    modules = Map.copyOf(modules);
    versions = Map.copyOf(versions);
  }

  public PolicySet(Map<String, String> modules, Value data, String revision) {
    this(modules, Map.of(), data, revision);
  }
}
