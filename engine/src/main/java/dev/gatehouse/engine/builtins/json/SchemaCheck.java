package dev.gatehouse.engine.builtins.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Checks that a schema is well formed the way OPA's gojsonschema does while compiling it, with
 * its messages: keyword values of the wrong type, unknown primitive types, negative lengths,
 * invalid {@code pattern} regexes (RE2, as Go compiles them). Validation proper is left to the
 * validator library; this only decides whether a schema is accepted and why not.
 */
final class SchemaCheck {
  private SchemaCheck() {}

  static final List<String> TYPES = List.of("array", "boolean", "integer", "number", "null", "object", "string");

  /** Thrown with gojsonschema's message for the first problem found. */
  static final class InvalidSchema extends RuntimeException {
    InvalidSchema(String message) {
      super(message, null, false, false);
    }
  }

  static void check(JsonNode schema) {
    if (schema.isBoolean()) {
      return;
    }
    if (!schema.isObject()) {
      throw new InvalidSchema("Expected: Valid Schema, given: Invalid JSON");
    }
    JsonNode defs = schema.get("definitions");
    if (defs != null) {
      if (!defs.isObject()) {
        throw invalidType("Array Of Schemas", "definitions");
      }
      for (JsonNode d : iterable(defs.elements())) {
        if (!d.isObject() && !d.isBoolean()) {
          throw invalidType("Array Of Schemas", "definitions");
        }
        check(d);
      }
    }
    stringKeyword(schema, "title");
    stringKeyword(schema, "description");
    stringKeyword(schema, "$ref");
    JsonNode type = schema.get("type");
    if (type != null) {
      List<String> seen = new ArrayList<>();
      if (type.isTextual()) {
        addType(seen, type.asText());
      } else if (type.isArray()) {
        for (JsonNode t : iterable(type.elements())) {
          if (!t.isTextual()) {
            throw invalidType("type", "string/Array Of Strings");
          }
          addType(seen, t.asText());
        }
      } else {
        throw invalidType("type", "string/Array Of Strings");
      }
    }
    JsonNode props = schema.get("properties");
    if (props != null) {
      if (!props.isObject()) {
        throw invalidType("Properties", "properties");
      }
      for (Map.Entry<String, JsonNode> e : iterable(props.fields())) {
        if (!e.getValue().isObject() && !e.getValue().isBoolean()) {
          throw invalidType("Valid Schema", "Property");
        }
        check(e.getValue());
      }
    }
    schemaOrBool(schema, "additionalProperties");
    JsonNode pp = schema.get("patternProperties");
    if (pp != null) {
      if (!pp.isObject()) {
        throw new InvalidSchema("patternProperties must be of an object");
      }
      for (Map.Entry<String, JsonNode> e : iterable(pp.fields())) {
        if (!compiles(e.getKey())) {
          throw new InvalidSchema("Invalid regex pattern '" + e.getKey() + "'");
        }
        check(e.getValue());
      }
    }
    JsonNode items = schema.get("items");
    if (items != null) {
      if (items.isArray()) {
        for (JsonNode i : iterable(items.elements())) {
          if (!i.isObject() && !i.isBoolean()) {
            throw invalidType("Valid Schema/Array Of Schemas", "items");
          }
          check(i);
        }
      } else if (items.isObject() || items.isBoolean()) {
        check(items);
      } else {
        throw invalidType("Valid Schema/Array Of Schemas", "items");
      }
    }
    schemaOrBool(schema, "additionalItems");
    JsonNode multipleOf = schema.get("multipleOf");
    if (multipleOf != null) {
      if (!multipleOf.isNumber()) {
        throw invalidType("Number", "multipleOf");
      }
      if (multipleOf.decimalValue().signum() <= 0) {
        throw new InvalidSchema("multipleOf must be strictly greater than 0");
      }
    }
    for (String k : List.of("minimum", "maximum")) {
      JsonNode n = schema.get(k);
      if (n != null && !n.isNumber()) {
        throw new InvalidSchema(k + " must be of a Number");
      }
    }
    for (String k : List.of("exclusiveMinimum", "exclusiveMaximum")) {
      JsonNode n = schema.get(k);
      if (n != null && !n.isNumber() && !n.isBoolean()) {
        throw invalidType("boolean/number", k);
      }
    }
    Long minLength = nonNegative(schema, "minLength");
    Long maxLength = nonNegative(schema, "maxLength");
    if (minLength != null && maxLength != null && minLength > maxLength) {
      throw new InvalidSchema("minLength cannot be greater than maxLength");
    }
    JsonNode pattern = schema.get("pattern");
    if (pattern != null) {
      if (!pattern.isTextual()) {
        throw new InvalidSchema("pattern must be of type string");
      }
      if (!compiles(pattern.asText())) {
        throw new InvalidSchema("pattern must be a valid regex");
      }
    }
    stringKeyword(schema, "format");
    Long minProps = nonNegative(schema, "minProperties");
    Long maxProps = nonNegative(schema, "maxProperties");
    if (minProps != null && maxProps != null && minProps > maxProps) {
      throw new InvalidSchema("minProperties cannot be greater than maxProperties");
    }
    JsonNode required = schema.get("required");
    if (required != null) {
      if (!required.isArray()) {
        throw new InvalidSchema("required must be of an array");
      }
      List<String> names = new ArrayList<>();
      for (JsonNode r : iterable(required.elements())) {
        if (!r.isTextual()) {
          throw invalidType("string", "required");
        }
        if (names.contains(r.asText())) {
          throw new InvalidSchema("required items must be unique");
        }
        names.add(r.asText());
      }
    }
    Long minItems = nonNegative(schema, "minItems");
    Long maxItems = nonNegative(schema, "maxItems");
    if (minItems != null && maxItems != null && minItems > maxItems) {
      throw new InvalidSchema("minItems cannot be greater than maxItems");
    }
    JsonNode unique = schema.get("uniqueItems");
    if (unique != null && !unique.isBoolean()) {
      throw new InvalidSchema("uniqueItems must be of a boolean");
    }
    JsonNode enumNode = schema.get("enum");
    if (enumNode != null) {
      if (!enumNode.isArray()) {
        throw new InvalidSchema("enum must be of an array");
      }
      List<JsonNode> seen = new ArrayList<>();
      for (JsonNode e : iterable(enumNode.elements())) {
        if (seen.contains(e)) {
          throw new InvalidSchema("enum items must be unique");
        }
        seen.add(e);
      }
    }
    for (String k : List.of("anyOf", "allOf", "oneOf")) {
      JsonNode n = schema.get(k);
      if (n != null) {
        if (!n.isArray()) {
          throw new InvalidSchema(k + " must be of an array");
        }
        for (JsonNode s : iterable(n.elements())) {
          if (!s.isObject() && !s.isBoolean()) {
            throw new InvalidSchema(k + " items must be object or boolean");
          }
          check(s);
        }
      }
    }
    for (String k : List.of("not", "if", "then", "else", "contains", "propertyNames")) {
      JsonNode n = schema.get(k);
      if (n != null) {
        if (!n.isObject() && !n.isBoolean()) {
          throw new InvalidSchema(k + " must be of an object");
        }
        check(n);
      }
    }
  }

  private static void addType(List<String> seen, String t) {
    if (!TYPES.contains(t)) {
      throw new InvalidSchema("has a primitive type that is NOT VALID -- given: /" + t
          + "/ Expected valid values are:[" + String.join(" ", TYPES) + "]");
    }
    if (seen.contains(t)) {
      throw new InvalidSchema(t + " type is duplicated");
    }
    seen.add(t);
  }

  private static void stringKeyword(JsonNode schema, String key) {
    JsonNode n = schema.get(key);
    if (n != null && !n.isTextual()) {
      throw new InvalidSchema(key + " must be of type string");
    }
  }

  private static void schemaOrBool(JsonNode schema, String key) {
    JsonNode n = schema.get(key);
    if (n == null) {
      return;
    }
    if (n.isObject()) {
      check(n);
    } else if (!n.isBoolean()) {
      throw invalidType("boolean/Valid Schema", key);
    }
  }

  private static Long nonNegative(JsonNode schema, String key) {
    JsonNode n = schema.get(key);
    if (n == null) {
      return null;
    }
    if (!n.isIntegralNumber() && !(n.isNumber() && n.decimalValue().stripTrailingZeros().scale() <= 0)) {
      throw new InvalidSchema(key + " must be of an integer");
    }
    long v = n.longValue();
    if (v < 0) {
      throw new InvalidSchema(key + " must be greater than or equal to 0");
    }
    return v;
  }

  static boolean compiles(String regex) {
    try {
      Pattern.compile(regex);
      return true;
    } catch (PatternSyntaxException e) {
      return false;
    }
  }

  private static InvalidSchema invalidType(String expected, String given) {
    return new InvalidSchema("Invalid type. Expected: " + expected + ", given: " + given);
  }

  private static <T> Iterable<T> iterable(Iterator<T> it) {
    return () -> it;
  }
}
