package dev.gatehouse.controlplane.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.controlplane.Jsons;
import dev.gatehouse.engine.builtins.core.GoDuration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Set;

/**
 * Strict reading of request bodies: only the documented fields, each of the documented type, with
 * length limits. Everything wrong is a 400 naming the field; nothing is coerced.
 */
public final class Bodies {
  static final int MAX_STRING = 2048;
  static final int MAX_LIST = 32;

  private Bodies() {}

  public static ObjectNode object(String body) {
    if (body == null || body.isBlank()) {
      throw Refusal.badRequest("bad_body", "the request needs a JSON object body");
    }
    JsonNode n;
    try {
      n = Jsons.parse(body);
    } catch (IllegalArgumentException e) {
      throw Refusal.badRequest("malformed_json", "the body is not valid JSON: " + e.getMessage());
    }
    if (!(n instanceof ObjectNode o)) {
      throw Refusal.badRequest("bad_body", "the body must be a JSON object");
    }
    return o;
  }

  public static void onlyFields(ObjectNode o, String where, Set<String> allowed) {
    Iterator<String> it = o.fieldNames();
    while (it.hasNext()) {
      String f = it.next();
      if (!allowed.contains(f)) {
        throw Refusal.badRequest("unknown_field", "unknown field " + where + f + "; allowed: "
            + String.join(", ", allowed.stream().sorted().toList()));
      }
    }
  }

  /** The string at {@code field}, or null when absent or null; 400 when of another type or too long. */
  public static String string(ObjectNode o, String where, String field) {
    JsonNode v = o.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw Refusal.badRequest("wrong_type", where + field + " must be a string, not " + type(v));
    }
    if (v.asText().length() > MAX_STRING) {
      throw Refusal.badRequest("too_long", where + field + " is longer than " + MAX_STRING + " characters");
    }
    return v.asText();
  }

  public static Boolean bool(ObjectNode o, String where, String field) {
    JsonNode v = o.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isBoolean()) {
      throw Refusal.badRequest("wrong_type", where + field + " must be true or false, not " + type(v));
    }
    return v.asBoolean();
  }

  public static ArrayNode strings(ObjectNode o, String where, String field) {
    JsonNode v = o.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isArray()) {
      throw Refusal.badRequest("wrong_type", where + field + " must be an array of strings, not " + type(v));
    }
    if (v.size() > MAX_LIST) {
      throw Refusal.badRequest("too_long", where + field + " has more than " + MAX_LIST + " entries");
    }
    for (JsonNode x : v) {
      if (!x.isTextual() || x.asText().length() > MAX_STRING) {
        throw Refusal.badRequest("wrong_type", where + field + " must hold only strings");
      }
    }
    return (ArrayNode) v;
  }

  public static ObjectNode obj(ObjectNode o, String where, String field) {
    JsonNode v = o.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!(v instanceof ObjectNode x)) {
      throw Refusal.badRequest("wrong_type", where + field + " must be an object, not " + type(v));
    }
    return x;
  }

  /**
   * A Go duration that is positive and representable ({@code 90m}, {@code 2h}); how long a
   * duration may be is the policy's business, not this check's.
   */
  public static long durationNanos(String field, String d) {
    long ns;
    try {
      ns = GoDuration.parse(d.trim());
    } catch (RuntimeException e) {
      throw Refusal.badRequest("invalid_duration", field + " " + Jsons.write(d) + " is not a duration such as \"30m\" or \"2h\"");
    }
    if (ns <= 0) {
      throw Refusal.badRequest("invalid_duration", field + " " + Jsons.write(d) + " must be longer than zero");
    }
    return ns;
  }

  public static Instant time(String field, String t) {
    try {
      return OffsetDateTime.parse(t.trim()).toInstant();
    } catch (DateTimeParseException e) {
      throw Refusal.badRequest("invalid_time", field + " " + Jsons.write(t)
          + " is not an RFC 3339 time such as 2026-12-07T20:00:00Z");
    }
  }

  static String type(JsonNode v) {
    return switch (v.getNodeType()) {
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      default -> "null";
    };
  }
}
