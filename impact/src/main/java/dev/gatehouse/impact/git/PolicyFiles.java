package dev.gatehouse.impact.git;

import dev.gatehouse.engine.RegoError;
import dev.gatehouse.engine.ast.Location;
import dev.gatehouse.engine.load.Loader;
import dev.gatehouse.engine.value.Json;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.Value;
import dev.gatehouse.engine.value.ValueFormatException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a snapshot into modules and data by the rules {@code gatehouse eval -d DIR} (and
 * {@code opa eval -d}) loads a directory with: every {@code .rego} file is a module; every
 * {@code .json}, {@code .yaml} or {@code .yml} file is data placed at its directory's path below
 * the loaded root ({@code policies/a/b/data.json} → {@code data.a.b}); overlapping keys are errors.
 *
 * @param modules repository-relative file name → source, in path order
 * @param data the merged base document
 * @param errors load errors (bad JSON/YAML, conflicting data), with file:row:col where known
 */
public record PolicyFiles(Map<String, String> modules, ObjectValue data, List<RegoError> errors) {
  public static PolicyFiles of(PolicySnapshot snap) {
    Map<String, String> modules = new LinkedHashMap<>();
    ObjectValue data = ObjectValue.EMPTY;
    List<RegoError> errors = new ArrayList<>();
    for (Map.Entry<String, byte[]> f : snap.files().entrySet()) {
      String path = f.getKey();
      String name = path.substring(path.lastIndexOf('/') + 1);
      String text = new String(f.getValue(), StandardCharsets.UTF_8);
      if (name.endsWith(".rego")) {
        modules.put(path, text);
      } else if (name.endsWith(".json") || name.endsWith(".yaml") || name.endsWith(".yml")) {
        try {
          Value v = name.endsWith(".json") ? Json.parse(text) : Json.parseYaml(text);
          data = Loader.mergeAt(data, dirSegments(snap.relative(path)), v, path, errors);
        } catch (ValueFormatException e) {
          errors.add(new RegoError("load_error", path + ":" + e.line() + ":" + e.column() + ": " + e.getMessage(),
              new Location(path, e.line(), e.column(), 0)));
        }
      }
    }
    return new PolicyFiles(modules, data, errors);
  }

  private static List<String> dirSegments(String relative) {
    List<String> out = new ArrayList<>(List.of(relative.split("/")));
    out.remove(out.size() - 1);
    return out;
  }
}
