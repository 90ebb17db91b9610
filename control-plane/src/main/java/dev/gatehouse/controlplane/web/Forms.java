package dev.gatehouse.controlplane.web;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.controlplane.Jsons;
import io.vertx.core.MultiMap;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * The request form as the API's request body, so filing from the UI is filing through the API's
 * own reading of a body ({@code Bodies}): the same strictness, the same errors. Only the fields of
 * the chosen kind are sent; blank fields are left out.
 */
final class Forms {
  private Forms() {}

  static ObjectNode request(MultiMap f) {
    ObjectNode body = Jsons.object();
    ObjectNode target = body.putObject("target");
    String kind = text(f, "kind");
    target.put("kind", kind == null ? "service" : kind);
    switch (kind == null ? "service" : kind) {
      case "namespace" -> {
        put(target, "namespace", text(f, "namespace"));
        put(target, "role", text(f, "role"));
      }
      case "pod-exec" -> {
        put(target, "namespace", text(f, "namespace"));
        put(target, "pod", text(f, "pod"));
        put(target, "container", text(f, "container"));
      }
      default -> {
        put(target, "service", text(f, "service"));
        put(target, "namespace", text(f, "namespace"));
        ArrayNode actions = target.putArray("actions");
        f.getAll("actions").stream().map(String::strip).filter(a -> !a.isEmpty()).distinct().forEach(actions::add);
      }
    }
    put(body, "duration", text(f, "duration"));
    put(body, "reason", text(f, "reason"));
    put(body, "ticket", text(f, "ticket"));
    String start = text(f, "start_at");
    if (start != null) {
      body.put("start_at", startAt(start));
    }
    if ("on".equals(f.get("break_glass")) || "true".equals(f.get("break_glass"))) {
      body.put("break_glass", true);
    }
    return body;
  }

  /**
   * {@code <input type=datetime-local>} sends {@code 2026-12-08T09:30} with no zone: the form says
   * it is UTC. Anything else goes to the API as typed, which names the field if it is not a time.
   */
  static String startAt(String v) {
    try {
      return LocalDateTime.parse(v).toInstant(ZoneOffset.UTC).toString();
    } catch (DateTimeParseException e) {
      return v;
    }
  }

  static String text(MultiMap f, String name) {
    String v = f.get(name);
    if (v == null) {
      return null;
    }
    v = v.strip();
    return v.isEmpty() ? null : v;
  }

  private static void put(ObjectNode o, String k, String v) {
    if (v != null) {
      o.put(k, v);
    }
  }
}
