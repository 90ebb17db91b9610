package dev.gatehouse.engine.load;

import dev.gatehouse.engine.Rego;
import dev.gatehouse.engine.ast.RegoVersion;
import dev.gatehouse.engine.value.Value;
import java.util.Map;

/** Rego sources (file name → text) and the merged data document found under some paths. */
public record Loaded(Map<String, String> modules, Value data) {
  /** A builder pre-filled with these modules and data. */
  public Rego.Builder toBuilder(RegoVersion version) {
    Rego.Builder b = Rego.builder().regoVersion(version).data(data);
    modules.forEach(b::module);
    return b;
  }
}
