package dev.gatehouse.engine.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gatehouse.engine.RegoException;
import dev.gatehouse.engine.ast.RegoVersion;
import dev.gatehouse.engine.conformance.SuiteLocator;
import dev.gatehouse.engine.value.ArrayValue;
import dev.gatehouse.engine.value.Json;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Parses every module of OPA's conformance suite (when it is on this machine): a module must fail
 * to parse only in cases that expect a rego_parse_error.
 */
class ConformanceModulesParseTest {

  @Test
  void everyV1ModuleParsesUnlessTheCaseExpectsAParseError() throws IOException {
    check("v1", RegoVersion.V1);
  }

  @Test
  void everyV0ModuleParsesUnlessTheCaseExpectsAParseError() throws IOException {
    check("v0", RegoVersion.V0);
  }

  private void check(String folder, RegoVersion version) throws IOException {
    Path suite = SuiteLocator.find().map(p -> p.resolve(folder)).orElse(null);
    assumeTrue(suite != null && Files.isDirectory(suite), "OPA conformance suite not installed");
    List<String> unexpected = new ArrayList<>();
    int parsed = 0;
    try (Stream<Path> files = Files.walk(suite)) {
      for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".yaml"))::iterator) {
        Value doc = Json.parseYaml(Files.readString(f));
        if (!(doc instanceof ObjectValue o) || !(o.get("cases") instanceof ArrayValue cases)) {
          continue;
        }
        for (Value c : cases.elements()) {
          ObjectValue tc = (ObjectValue) c;
          boolean wantsParseError = StringValue.of("rego_parse_error").equals(tc.get("want_error_code"));
          if (!(tc.get("modules") instanceof ArrayValue mods)) {
            continue;
          }
          for (Value m : mods.elements()) {
            try {
              RegoParser.parseModule("test.rego", ((StringValue) m).value(), version);
              parsed++;
            } catch (RegoException e) {
              if (!wantsParseError) {
                unexpected.add(suite.relativize(f) + " " + tc.get("note") + ": " + e.getMessage());
              }
            }
          }
        }
      }
    }
    System.out.println(folder + ": parsed " + parsed + " modules, unexpected failures " + unexpected.size());
    unexpected.stream().limit(40).forEach(System.out::println);
    assertThat(unexpected).isEmpty();
  }
}
