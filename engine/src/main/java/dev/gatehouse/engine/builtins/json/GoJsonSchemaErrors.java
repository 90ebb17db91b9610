package dev.gatehouse.engine.builtins.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.ValidationMessage;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.util.ArrayList;
import java.util.List;

/**
 * One validation failure in gojsonschema's words. networknt says which keyword failed where; the
 * type names, descriptions and field paths here are gojsonschema's, which is what OPA returns.
 */
final class GoJsonSchemaErrors {
  private GoJsonSchemaErrors() {}

  static Value describe(ValidationMessage m, JsonNode document) {
    JsonNodePath at = m.getInstanceLocation();
    JsonNode schema = m.getSchemaNode();
    JsonNode instance = m.getInstanceNode();
    String keyword = m.getType();
    String type;
    String desc;
    String field = JsonSchemas.field(at);
    switch (keyword) {
      case "type" -> {
        type = "invalid_type";
        desc = "Invalid type. Expected: " + expectedTypes(schema) + ", given: " + givenType(instance);
      }
      case "required" -> {
        type = "required";
        desc = property(m) + " is required";
      }
      case "additionalProperties" -> {
        type = "additional_property_not_allowed";
        String prop = property(m);
        if (at != null && at.getNameCount() > 0 && prop.equals(String.valueOf(at.getElement(at.getNameCount() - 1)))) {
          field = JsonSchemas.field(at.getParent());
        }
        desc = "Additional property " + prop + " is not allowed";
      }
      case "enum" -> {
        type = "enum";
        List<String> allowed = new ArrayList<>();
        if (schema != null) {
          schema.forEach(v -> allowed.add(v.toString()));
        }
        desc = field + " must be one of the following: " + String.join(", ", allowed);
      }
      case "const" -> {
        type = "const";
        desc = field + " does not match: " + (schema == null ? "" : schema.toString());
      }
      case "minLength" -> {
        type = "string_gte";
        desc = "String length must be greater than or equal to " + number(schema);
      }
      case "maxLength" -> {
        type = "string_lte";
        desc = "String length must be less than or equal to " + number(schema);
      }
      case "pattern" -> {
        type = "pattern";
        desc = "Does not match pattern '" + text(schema) + "'";
      }
      case "format" -> {
        type = "format";
        desc = "Does not match format '" + text(schema) + "'";
      }
      case "minimum" -> {
        type = "number_gte";
        desc = "Must be greater than or equal to " + number(schema);
      }
      case "maximum" -> {
        type = "number_lte";
        desc = "Must be less than or equal to " + number(schema);
      }
      case "exclusiveMinimum" -> {
        type = "number_gt";
        desc = "Must be greater than " + number(schema);
      }
      case "exclusiveMaximum" -> {
        type = "number_lt";
        desc = "Must be less than " + number(schema);
      }
      case "multipleOf" -> {
        type = "multiple_of";
        desc = "Must be a multiple of " + number(schema);
      }
      case "minItems" -> {
        type = "array_min_items";
        desc = "Array must have at least " + number(schema) + " items";
      }
      case "maxItems" -> {
        type = "array_max_items";
        desc = "Array must have at most " + number(schema) + " items";
      }
      case "minProperties" -> {
        type = "array_min_properties";
        desc = "Must have at least " + number(schema) + " properties";
      }
      case "maxProperties" -> {
        type = "array_max_properties";
        desc = "Must have at most " + number(schema) + " properties";
      }
      case "uniqueItems" -> {
        type = "unique";
        int[] dup = firstDuplicate(instance);
        desc = "array items[" + dup[0] + "," + dup[1] + "] must be unique";
      }
      case "anyOf" -> {
        type = "number_any_of";
        desc = "Must validate at least one schema (anyOf)";
      }
      case "oneOf" -> {
        type = "number_one_of";
        desc = "Must validate one and only one schema (oneOf)";
      }
      case "allOf" -> {
        type = "number_all_of";
        desc = "Must validate all the schemas (allOf)";
      }
      case "not" -> {
        type = "number_not";
        desc = "Must not validate the schema (not)";
      }
      case "false" -> {
        type = "false";
        desc = "False always fails validation";
      }
      case "contains" -> {
        type = "contains";
        desc = "At least one of the items must match";
      }
      case "additionalItems" -> {
        type = "array_no_additional_items";
        desc = "No additional items allowed on array";
      }
      case "dependencies", "dependentRequired" -> {
        type = "missing_dependency";
        Object[] args = m.getArguments();
        desc = "Has a dependency on " + (args != null && args.length > 0 ? String.valueOf(args[0]) : "");
      }
      case "propertyNames" -> {
        type = "invalid_property_name";
        desc = "Property name of \"" + property(m) + "\" does not match";
      }
      case "then" -> {
        type = "condition_then";
        desc = "Must validate \"then\" as \"if\" was valid";
      }
      case "else" -> {
        type = "condition_else";
        desc = "Must validate \"else\" as \"if\" was not valid";
      }
      default -> {
        // a keyword gojsonschema does not know: keep the validator's own words
        type = keyword;
        desc = m.getMessage();
      }
    }
    return ObjectValue.of("error", StringValue.of(field + ": " + desc), "type", StringValue.of(type),
        "field", StringValue.of(field), "desc", StringValue.of(desc));
  }

  static Value summary(String field, String type, String desc) {
    return ObjectValue.of("error", StringValue.of(field + ": " + desc), "type", StringValue.of(type),
        "field", StringValue.of(field), "desc", StringValue.of(desc));
  }

  /** gojsonschema's spelling of the schema's type list: {@code integer} or {@code [string,null]}. */
  private static String expectedTypes(JsonNode schema) {
    if (schema == null) {
      return "";
    }
    if (schema.isArray()) {
      List<String> ts = new ArrayList<>();
      schema.forEach(t -> ts.add(t.asText()));
      return ts.size() == 1 ? ts.get(0) : "[" + String.join(",", ts) + "]";
    }
    return schema.asText();
  }

  private static String givenType(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return "null";
    }
    if (n.isIntegralNumber()) {
      return "integer";
    }
    if (n.isNumber()) {
      return n.decimalValue().stripTrailingZeros().scale() <= 0 ? "integer" : "number";
    }
    if (n.isTextual()) {
      return "string";
    }
    if (n.isBoolean()) {
      return "boolean";
    }
    return n.isArray() ? "array" : "object";
  }

  private static String property(ValidationMessage m) {
    if (m.getProperty() != null) {
      return m.getProperty();
    }
    Object[] args = m.getArguments();
    return args != null && args.length > 0 ? String.valueOf(args[0]) : "";
  }

  private static String number(JsonNode n) {
    return n == null || !n.isNumber() ? String.valueOf(n) : JsonSchemas.goNumber(n);
  }

  private static String text(JsonNode n) {
    return n == null ? "" : n.asText();
  }

  /** The first repeated item (earlier index, later index), as gojsonschema reports it. */
  private static int[] firstDuplicate(JsonNode array) {
    if (array != null && array.isArray()) {
      for (int j = 0; j < array.size(); j++) {
        for (int i = 0; i < j; i++) {
          if (array.get(i).equals(array.get(j))) {
            return new int[] {i, j};
          }
        }
      }
    }
    return new int[] {0, 0};
  }
}
