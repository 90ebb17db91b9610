package dev.gatehouse.impact.review;

import dev.gatehouse.engine.Rego;
import dev.gatehouse.engine.RegoError;
import dev.gatehouse.engine.RegoException;
import dev.gatehouse.engine.ast.RegoVersion;
import dev.gatehouse.engine.format.RegoFormatter;
import dev.gatehouse.impact.git.PolicyFiles;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What {@code gatehouse check --strict} and {@code gatehouse fmt --list} would say about the
 * head revision.
 *
 * @param strictErrors the errors of a strict compile ({@code file:row: code: message}); empty when clean
 * @param unformatted modules whose source is not what {@code fmt} writes (or that do not parse)
 */
public record HeadChecks(List<String> strictErrors, List<String> unformatted) {
  public static HeadChecks of(PolicyFiles files) {
    List<String> errors = new ArrayList<>();
    if (!files.errors().isEmpty()) {
      files.errors().forEach(e -> errors.add(e.toString()));
    } else {
      Rego.Builder b = Rego.builder().regoVersion(RegoVersion.V1).strict(true).data(files.data());
      files.modules().forEach(b::module);
      try {
        b.compile();
      } catch (RegoException e) {
        for (RegoError r : e.errors()) {
          errors.add(r.toString());
        }
      }
    }
    List<String> unformatted = new ArrayList<>();
    for (Map.Entry<String, String> m : files.modules().entrySet()) {
      try {
        if (!RegoFormatter.format(m.getKey(), m.getValue(), RegoFormatter.Target.V1).equals(m.getValue())) {
          unformatted.add(m.getKey());
        }
      } catch (RuntimeException e) {
        unformatted.add(m.getKey() + " (does not parse)");
      }
    }
    return new HeadChecks(errors, unformatted);
  }
}
