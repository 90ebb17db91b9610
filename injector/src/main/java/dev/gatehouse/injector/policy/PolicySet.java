package dev.gatehouse.injector.policy;

import dev.gatehouse.engine.value.Value;
import java.util.Map;

/**
 * Rego sources and data as read from a directory or bundle, before compilation.
 *
 * @param modules file name → Rego text
 * @param data the base data document (grants, teams, on-call roster… loaded with the policies)
 * @param revision names this content in logs, metrics and audit annotations (a bundle's manifest
 *     revision, or a digest of a directory's files)
 */
public record PolicySet(Map<String, String> modules, Value data, String revision) {
  public PolicySet {
    modules = Map.copyOf(modules);
  }
}
