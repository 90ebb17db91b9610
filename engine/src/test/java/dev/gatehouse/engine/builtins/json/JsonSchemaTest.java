package dev.gatehouse.engine.builtins.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.engine.builtins.Eval;
import org.junit.jupiter.api.Test;

/** Outputs recorded with {@code opa eval --strict-builtin-errors} (OPA v1.22.2, gojsonschema). */
class JsonSchemaTest {
  private static final String PERSON = "{\"type\": \"object\", \"properties\": {\"id\": {\"type\": \"integer\"},"
      + " \"name\": {\"type\": \"string\", \"minLength\": 3, \"pattern\": \"^[a-z]+$\"},"
      + " \"tags\": {\"type\": \"array\", \"items\": {\"type\": \"string\"}, \"maxItems\": 2, \"uniqueItems\": true}},"
      + " \"required\": [\"id\", \"name\", \"zz\"], \"additionalProperties\": false}";

  @Test
  void reportsRequiredBeforeThePropertiesErrorsAsGojsonschemaDoes() {
    assertThat(Eval.json("json.match_schema({\"id\": 1, \"name\": \"AB\"}, " + PERSON + ")")).isEqualTo("[false,["
        + "{\"desc\":\"zz is required\",\"error\":\"(Root): zz is required\",\"field\":\"(Root)\",\"type\":\"required\"},"
        + "{\"desc\":\"String length must be greater than or equal to 3\","
        + "\"error\":\"name: String length must be greater than or equal to 3\",\"field\":\"name\",\"type\":\"string_gte\"},"
        + "{\"desc\":\"Does not match pattern '^[a-z]+$'\",\"error\":\"name: Does not match pattern '^[a-z]+$'\","
        + "\"field\":\"name\",\"type\":\"pattern\"}]]");
  }

  @Test
  void arrayItemErrorsComeBeforeTheArraysOwnLimits() {
    assertThat(Eval.json("json.match_schema({\"id\": 1, \"name\": \"abc\", \"zz\": 1, \"tags\": [\"x\", \"x\", 3]}, " + PERSON + ")"))
        .isEqualTo("[false,["
            + "{\"desc\":\"Additional property zz is not allowed\",\"error\":\"(Root): Additional property zz is not allowed\","
            + "\"field\":\"(Root)\",\"type\":\"additional_property_not_allowed\"},"
            + "{\"desc\":\"Invalid type. Expected: string, given: integer\","
            + "\"error\":\"tags.2: Invalid type. Expected: string, given: integer\",\"field\":\"tags.2\",\"type\":\"invalid_type\"},"
            + "{\"desc\":\"Array must have at most 2 items\",\"error\":\"tags: Array must have at most 2 items\","
            + "\"field\":\"tags\",\"type\":\"array_max_items\"},"
            + "{\"desc\":\"array items[0,1] must be unique\",\"error\":\"tags: array items[0,1] must be unique\","
            + "\"field\":\"tags\",\"type\":\"unique\"}]]");
  }

  @Test
  void anyOfReportsTheSummaryAndTheClosestBranch() {
    assertThat(Eval.json("json.match_schema(`\"x\"`, {\"anyOf\": [{\"type\": \"integer\"}, {\"type\": \"boolean\"}]})"))
        .isEqualTo("[false,["
            + "{\"desc\":\"Must validate at least one schema (anyOf)\","
            + "\"error\":\"(Root): Must validate at least one schema (anyOf)\",\"field\":\"(Root)\",\"type\":\"number_any_of\"},"
            + "{\"desc\":\"Invalid type. Expected: integer, given: string\","
            + "\"error\":\"(Root): Invalid type. Expected: integer, given: string\",\"field\":\"(Root)\",\"type\":\"invalid_type\"}]]");
  }

  @Test
  void aMatchingDocumentHasNoErrors() {
    assertThat(Eval.json("json.match_schema(`{\"id\": 5}`, {\"properties\": {\"id\": {\"type\": \"integer\"}}})"))
        .isEqualTo("[true,[]]");
  }

  @Test
  void verifySchemaExplainsWhatIsWrong() {
    assertThat(Eval.json("json.verify_schema({\"type\": \"unknown_type\"})")).isEqualTo("[false,\"jsonschema: has a "
        + "primitive type that is NOT VALID -- given: /unknown_type/ Expected valid values are:[array boolean integer "
        + "number null object string]\"]");
    assertThat(Eval.json("json.verify_schema({\"type\": [\"string\", \"string\"]})"))
        .isEqualTo("[false,\"jsonschema: string type is duplicated\"]");
    assertThat(Eval.json("json.verify_schema({\"minLength\": -1})"))
        .isEqualTo("[false,\"jsonschema: minLength must be greater than or equal to 0\"]");
    assertThat(Eval.json("json.verify_schema({\"pattern\": \"(?!x)\"})"))
        .isEqualTo("[false,\"jsonschema: pattern must be a valid regex\"]");
    assertThat(Eval.json("json.verify_schema(`{\"type\": \"boolean\"}`)")).isEqualTo("[true,null]");
  }

  @Test
  void matchSchemaFailsOnAnInvalidSchemaOrJsonText() {
    assertThatThrownBy(() -> Eval.strict("json.match_schema({}, {\"type\": \"unknown\"})"))
        .hasMessageContaining("json.match_schema: has a primitive type that is NOT VALID -- given: /unknown/");
    assertThatThrownBy(() -> Eval.strict("json.match_schema(`{\"a\": 1`, {})"))
        .hasMessageContaining("json.match_schema: invalid JSON string");
  }

  @Test
  void remoteReferencesAreNeverFetched() {
    assertThatThrownBy(() -> Eval.strict(
        "json.match_schema({\"a\": 1}, {\"properties\": {\"a\": {\"$ref\": \"http://127.0.0.1:9/s.json\"}}})"))
        .hasMessageContaining("is not allowed to be loaded");
  }
}
