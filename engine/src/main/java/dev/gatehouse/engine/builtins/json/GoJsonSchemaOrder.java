package dev.gatehouse.engine.builtins.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.ValidationMessage;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;

/**
 * Orders validation messages as gojsonschema reports them: it walks the schema depth first and,
 * at each schema, checks composites (anyOf, oneOf, allOf, not, dependencies, if), then the
 * keywords of the instance's type (array items before the array's own limits), then const, enum
 * and format, then string limits, and the object's properties last, in the schema's order.
 */
final class GoJsonSchemaOrder implements Comparator<ValidationMessage> {
  private final JsonNode root;

  GoJsonSchemaOrder(JsonNode root) {
    this.root = root;
  }

  private static int rank(String keyword) {
    return switch (keyword) {
      case "$ref" -> -1;
      case "anyOf" -> 0;
      case "oneOf" -> 1;
      case "allOf" -> 2;
      case "not" -> 3;
      case "dependencies", "dependentRequired", "dependentSchemas" -> 4;
      case "if", "then", "else" -> 5;
      case "minProperties" -> 10;
      case "maxProperties" -> 11;
      case "required" -> 12;
      case "additionalProperties", "patternProperties" -> 13;
      case "propertyNames" -> 14;
      case "items", "prefixItems" -> 19;
      case "additionalItems" -> 20;
      case "minItems" -> 21;
      case "maxItems" -> 22;
      case "uniqueItems" -> 23;
      case "contains" -> 24;
      case "multipleOf" -> 30;
      case "maximum" -> 31;
      case "exclusiveMaximum" -> 32;
      case "minimum" -> 33;
      case "exclusiveMinimum" -> 34;
      case "const" -> 40;
      case "enum" -> 41;
      case "format" -> 42;
      case "minLength" -> 50;
      case "maxLength" -> 51;
      case "pattern" -> 52;
      case "properties" -> 60;
      default -> 45;
    };
  }

  @Override
  public int compare(ValidationMessage a, ValidationMessage b) {
    JsonNodePath pa = a.getEvaluationPath();
    JsonNodePath pb = b.getEvaluationPath();
    JsonNode schema = root;
    int i = 0;
    int n = Math.min(pa.getNameCount(), pb.getNameCount());
    while (i < n) {
      String ka = pa.getName(i);
      String kb = pb.getName(i);
      if (!ka.equals(kb)) {
        int c = Integer.compare(rank(ka), rank(kb));
        return c != 0 ? c : ka.compareTo(kb);
      }
      JsonNode container = schema == null ? null : schema.get(ka);
      boolean named = ka.equals("properties") || ka.equals("patternProperties") || ka.equals("definitions")
          || ka.equals("$defs") || ka.equals("dependencies") || ka.equals("dependentSchemas");
      boolean indexed = (ka.equals("anyOf") || ka.equals("oneOf") || ka.equals("allOf") || ka.equals("prefixItems")
          || ka.equals("items") && container != null && container.isArray());
      if ((named || indexed) && i + 1 < n) {
        String na = pa.getName(i + 1);
        String nb = pb.getName(i + 1);
        if (!na.equals(nb)) {
          return named ? Integer.compare(fieldIndex(container, na), fieldIndex(container, nb))
              : Integer.compare(parse(na), parse(nb));
        }
        schema = container == null ? null : container.isArray() ? container.get(parse(na)) : container.get(na);
        i += 2;
        continue;
      }
      if (named || indexed) {
        break;
      }
      schema = container;
      i++;
    }
    if (pa.getNameCount() != pb.getNameCount()) {
      // the shorter path stops at a keyword of this schema; the longer one goes into a subschema
      String next = pa.getNameCount() > pb.getNameCount() ? pa.getName(i) : pb.getName(i);
      String other = pa.getNameCount() > pb.getNameCount() ? pb.getName(Math.max(0, i - 1)) : pa.getName(Math.max(0, i - 1));
      int c = Integer.compare(rank(next), rank(other));
      if (c != 0) {
        return pa.getNameCount() > pb.getNameCount() ? c : -c;
      }
    }
    return compareInstance(a.getInstanceLocation(), b.getInstanceLocation());
  }

  private static int compareInstance(JsonNodePath a, JsonNodePath b) {
    int n = Math.min(a.getNameCount(), b.getNameCount());
    for (int i = 0; i < n; i++) {
      Object x = a.getElement(i);
      Object y = b.getElement(i);
      int c = x instanceof Integer xi && y instanceof Integer yi ? Integer.compare(xi, yi)
          : String.valueOf(x).compareTo(String.valueOf(y));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.getNameCount(), b.getNameCount());
  }

  private static int fieldIndex(JsonNode container, String name) {
    if (container == null || !container.isObject()) {
      return Integer.MAX_VALUE;
    }
    int i = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = container.fields(); it.hasNext(); i++) {
      if (it.next().getKey().equals(name)) {
        return i;
      }
    }
    return Integer.MAX_VALUE;
  }

  private static int parse(String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return Integer.MAX_VALUE;
    }
  }
}
