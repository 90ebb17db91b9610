package dev.gatehouse.engine.load;

import dev.gatehouse.engine.value.Value;
import java.util.Map;

/**
 * Rego sources (file name → text) and the merged data document found under some paths
 * ({@code Rego.Builder.loaded} adds them to a policy).
 */
public record Loaded(Map<String, String> modules, Value data) {}
