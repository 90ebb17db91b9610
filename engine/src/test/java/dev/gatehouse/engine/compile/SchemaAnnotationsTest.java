package dev.gatehouse.engine.compile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.gatehouse.engine.Rego;
import dev.gatehouse.engine.RegoError;
import dev.gatehouse.engine.RegoException;
import dev.gatehouse.engine.value.Json;
import dev.gatehouse.engine.value.Value;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * METADATA {@code schemas} annotations type input per rule ({@code opa check -s DIR}); the CLI's
 * parity fixtures ({@code check-schema-annotations*.txtar}) hold opa's output for the same shapes.
 */
class SchemaAnnotationsTest {
  private static final Map<String, Value> SCHEMAS = Map.of(
      "schema.input", Json.parse("{\"type\": \"object\", \"properties\": {\"user\": {\"type\": \"string\"}}}"),
      "schema.k8s.pod", Json.parse("{\"type\": \"object\", \"properties\": {\"kind\": {\"type\": \"string\"}}}"));

  private static List<String> errors(String... modules) {
    Rego.Builder b = Rego.builder().schemas(SCHEMAS);
    for (int i = 0; i < modules.length; i++) {
      b.module("m" + i + ".rego", modules[i]);
    }
    RegoException e = catchThrowableOfType(RegoException.class, b::compile);
    return e == null ? List.of() : e.errors().stream().map(RegoError::toString).toList();
  }

  @Test
  void aRuleAnnotationTypesInputForThatRuleOnly() {
    assertThat(errors("""
        package p

        # METADATA
        # schemas:
        #   - input: schema.k8s.pod
        deny if input.kind == 1

        other if input.kind == 1
        """)).containsExactly("m0.rego:6: rego_type_error: match error\n\tleft  : string\n\tright : number");
  }

  @Test
  void thePackagesAnnotationAppliesToItsRulesAndTheNearestWins() {
    assertThat(errors("""
        # METADATA
        # scope: package
        # schemas:
        #   - input: schema.input
        package q

        a if input.user == 1

        # METADATA
        # schemas:
        #   - input: {"type": "object", "properties": {"user": {"type": "number"}}}
        b if input.user == 1
        """)).containsExactly("m0.rego:7: rego_type_error: match error\n\tleft  : string\n\tright : number");
  }

  @Test
  void aMissingSchemaIsAnErrorAtTheRule() {
    assertThat(errors("""
        package u

        # METADATA
        # schemas:
        #   - input: schema.nope
        r if input.a == 1
        """)).containsExactly("m0.rego:6: rego_type_error: undefined schema: schema.nope");
  }

  @Test
  void withoutSchemasAnnotationsChangeNothing() {
    Rego.builder().module("m.rego", """
        package p

        # METADATA
        # schemas:
        #   - input: schema.nope
        deny if input.kind == 1
        """).compile();
  }
}
