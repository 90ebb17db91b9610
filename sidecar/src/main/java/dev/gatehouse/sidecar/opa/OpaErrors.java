package dev.gatehouse.sidecar.opa;

import dev.gatehouse.engine.RegoError;
import dev.gatehouse.engine.ast.Location;
import dev.gatehouse.engine.value.Json;
import java.util.List;

/**
 * OPA's error body {@code {"code","message","errors":[...]}} written as OPA writes it: always
 * indented by two spaces (Go's {@code json.MarshalIndent}), fields in OPA's struct order.
 */
final class OpaErrors {
  static final String INVALID_PARAMETER = "invalid_parameter";
  static final String RESOURCE_NOT_FOUND = "resource_not_found";
  static final String INTERNAL_ERROR = "internal_error";
  static final String UNDEFINED_DOCUMENT = "undefined_document";
  static final String RESOURCE_CONFLICT = "resource_conflict";

  static final String MSG_COMPILE = "error(s) occurred while compiling module(s)";
  static final String MSG_EVAL = "error(s) occurred while evaluating query";
  static final String MSG_PARSE_QUERY = "error(s) occurred while parsing query";

  private OpaErrors() {}

  static String body(String code, String message) {
    return body(code, message, List.of());
  }

  static String body(String code, String message, List<RegoError> errors) {
    StringBuilder sb = new StringBuilder();
    sb.append("{\n  \"code\": ");
    Json.quote(code, sb);
    sb.append(",\n  \"message\": ");
    Json.quote(message, sb);
    if (!errors.isEmpty()) {
      sb.append(",\n  \"errors\": [");
      for (int i = 0; i < errors.size(); i++) {
        RegoError e = errors.get(i);
        sb.append(i == 0 ? "\n" : ",\n").append("    {\n      \"code\": ");
        Json.quote(e.code(), sb);
        sb.append(",\n      \"message\": ");
        Json.quote(e.message(), sb);
        Location l = e.location();
        if (l != null && l != Location.NONE && l.row() > 0) {
          sb.append(",\n      \"location\": {\n        \"file\": ");
          Json.quote(l.file(), sb);
          sb.append(",\n        \"row\": ").append(l.row()).append(",\n        \"col\": ").append(l.col())
              .append("\n      }");
        }
        sb.append("\n    }");
      }
      sb.append("\n  ]");
    }
    sb.append("\n}");
    return sb.toString();
  }
}
