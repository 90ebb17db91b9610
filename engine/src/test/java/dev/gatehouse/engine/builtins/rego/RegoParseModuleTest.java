package dev.gatehouse.engine.builtins.rego;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.engine.ast.RegoVersion;
import dev.gatehouse.engine.parse.RegoParser;
import dev.gatehouse.engine.builtins.Eval;
import dev.gatehouse.engine.value.Json;
import dev.gatehouse.engine.value.Value;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The fixtures' {@code .opa-1.22.2.json} files are what OPA v1.22.2's
 * {@code rego.parse_module("<name>.rego", src)} returned for the {@code .rego} beside them.
 */
class RegoParseModuleTest {

  @ParameterizedTest
  @ValueSource(strings = {"m2", "m4"})
  void serializesModulesExactlyAsOpaDoes(String name) throws IOException {
    String source = resource(name + ".rego");
    Value expected = Json.parse(resource(name + ".opa-1.22.2.json"));
    Value actual = AstJson.module(RegoParser.parseModule(name + ".rego", source, RegoVersion.V1));
    assertThat(Json.writeIndented(actual, " ")).isEqualTo(Json.writeIndented(expected, " "));
  }

  @Test
  void aParseErrorIsReportedWithTheOffendingLine() {
    assertThatThrownBy(() -> Eval.strict("rego.parse_module(\"x.rego\", \"package foo.\")"))
        .hasMessageContaining("rego.parse_module: 1 error occurred: x.rego:1: rego_parse_error: "
            + "unexpected eof token: expected identifier\n\tpackage foo.");
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = RegoParseModuleTest.class.getResourceAsStream("/rego-parse-module/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
