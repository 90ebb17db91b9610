package dev.gatehouse.sidecar.envoy;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.util.JsonFormat;
import dev.gatehouse.engine.value.ArrayValue;
import dev.gatehouse.engine.value.BooleanValue;
import dev.gatehouse.engine.value.Json;
import dev.gatehouse.engine.value.NumberValue;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.SetValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A policy's answer read the way OPA-Envoy reads it: {@code true}/{@code false}, or an object
 * with {@code allowed} and optionally {@code headers}, {@code response_headers_to_add},
 * {@code request_headers_to_remove}, {@code query_parameters_to_set},
 * {@code query_parameters_to_remove}, {@code body}, {@code http_status} and
 * {@code dynamic_metadata}. Malformed answers throw {@link IllegalArgumentException} with
 * OPA-Envoy's messages; the check then fails (and Envoy denies).
 */
public record EnvoyDecision(boolean allowed, List<Map.Entry<String, String>> headers,
    List<Map.Entry<String, String>> responseHeadersToAdd, List<String> requestHeadersToRemove,
    List<Map.Entry<String, String>> queryParametersToSet, List<String> queryParametersToRemove, String body,
    boolean hasBody, int httpStatus, Struct dynamicMetadata) {

  public static EnvoyDecision of(Value decision) {
    if (decision instanceof BooleanValue b) {
      return new EnvoyDecision(b.value(), List.of(), List.of(), List.of(), List.of(), List.of(), "", false, 403, null);
    }
    if (!(decision instanceof ObjectValue o)) {
      throw new IllegalArgumentException("illegal value for policy evaluation result: " + goType(decision));
    }
    Value allowedV = o.get("allowed");
    if (allowedV == null) {
      throw new IllegalArgumentException("unable to determine evaluation result due to missing \"allowed\" key");
    }
    if (!(allowedV instanceof BooleanValue allowed)) {
      throw new IllegalArgumentException(
          "type assertion error, expected allowed to be of type 'boolean' but got '" + goType(allowedV) + "'");
    }
    String body = "";
    Value bodyV = o.get("body");
    if (bodyV != null) {
      if (!(bodyV instanceof StringValue s)) {
        throw new IllegalArgumentException(
            "type assertion error, expected body to be of type 'string' but got '" + goType(bodyV) + "'");
      }
      body = s.value();
    }
    int status = 403;
    Value st = o.get("http_status");
    if (st != null) {
      if (!(st instanceof NumberValue n)) {
        throw new IllegalArgumentException(
            "type assertion error, expected http_status to be of type 'number' but got '" + goType(st) + "'");
      }
      long code;
      try {
        code = n.bigDecimalValue().longValueExact();
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException("error converting JSON number to int: " + Json.write(n));
      }
      if (code < 100 || code > 599) {
        throw new IllegalArgumentException("invalid HTTP status code " + code);
      }
      status = (int) code;
    }
    Struct meta = null;
    Value dm = o.get("dynamic_metadata");
    if (dm != null) {
      if (!(dm instanceof ObjectValue)) {
        throw new IllegalArgumentException(
            "type assertion error, expected dynamic_metadata to be of type 'object' but got '" + goType(dm) + "'");
      }
      Struct.Builder sb = Struct.newBuilder();
      try {
        JsonFormat.parser().merge(Json.write(dm), sb);
      } catch (InvalidProtocolBufferException e) {
        throw new IllegalArgumentException("dynamic_metadata: " + e.getMessage());
      }
      meta = sb.build();
    }
    return new EnvoyDecision(allowed.value(), headers(o.get("headers")), headers(o.get("response_headers_to_add")),
        strings(o, "request_headers_to_remove"), queryParams(o.get("query_parameters_to_set")),
        strings(o, "query_parameters_to_remove"), body, bodyV != null, status, meta);
  }

  /** Headers as an object (value a string or a list of strings) or a list of such objects. */
  private static List<Map.Entry<String, String>> headers(Value v) {
    List<Map.Entry<String, String>> out = new ArrayList<>();
    if (v == null) {
      return out;
    }
    if (v instanceof ArrayValue a) {
      for (Value e : a.elements()) {
        if (!(e instanceof ObjectValue)) {
          throw new IllegalArgumentException(
              "type assertion error, expected headers to be of type 'object' but got '" + goType(e) + "'");
        }
        addHeaders((ObjectValue) e, out);
      }
      return out;
    }
    if (v instanceof ObjectValue o) {
      addHeaders(o, out);
      return out;
    }
    throw new IllegalArgumentException(
        "type assertion error, expected headers to be of type 'object' but got '" + goType(v) + "'");
  }

  private static void addHeaders(ObjectValue o, List<Map.Entry<String, String>> out) {
    for (Value k : o.keys()) {
      String key = k instanceof StringValue s ? s.value() : Json.write(k);
      Value val = o.get(k);
      if (val instanceof StringValue s) {
        out.add(Map.entry(key, s.value()));
      } else if (val instanceof ArrayValue arr) {
        for (Value e : arr.elements()) {
          if (!(e instanceof StringValue s)) {
            throw new IllegalArgumentException("invalid value type " + goType(e) + " for header '" + key + "'");
          }
          out.add(Map.entry(key, s.value()));
        }
      } else {
        throw new IllegalArgumentException("type assertion error for header '" + key + "'");
      }
    }
  }

  private static List<String> strings(ObjectValue o, String field) {
    Value v = o.get(field);
    List<String> out = new ArrayList<>();
    if (v == null) {
      return out;
    }
    Iterable<Value> items;
    if (v instanceof ArrayValue a) {
      items = a.elements();
    } else if (v instanceof SetValue s) {
      items = s;
    } else {
      throw new IllegalArgumentException("type assertion error, expected " + field
          + " to be of type '[]string' but got '" + goType(v) + "'");
    }
    for (Value e : items) {
      if (!(e instanceof StringValue s)) {
        throw new IllegalArgumentException("type assertion error, expected " + field
            + " value to be of type 'string' but got '" + goType(e) + "'");
      }
      out.add(s.value());
    }
    return out;
  }

  private static List<Map.Entry<String, String>> queryParams(Value v) {
    List<Map.Entry<String, String>> out = new ArrayList<>();
    if (v == null) {
      return out;
    }
    if (!(v instanceof ObjectValue o)) {
      throw new IllegalArgumentException(
          "type assertion error, expected query_parameters_to_set to be a map but got '" + goType(v) + "'");
    }
    for (Value k : o.keys()) {
      String key = k instanceof StringValue s ? s.value() : Json.write(k);
      Value val = o.get(k);
      if (val instanceof StringValue s) {
        out.add(Map.entry(key, s.value()));
      } else if (val instanceof ArrayValue arr) {
        for (Value e : arr.elements()) {
          if (!(e instanceof StringValue s)) {
            throw new IllegalArgumentException(
                "type assertion error: expected array element to be string but got '" + goType(e) + "'");
          }
          out.add(Map.entry(key, s.value()));
        }
      } else {
        throw new IllegalArgumentException(
            "type assertion error, expected value to be string or array but got '" + goType(val) + "'");
      }
    }
    return out;
  }

  /** Go's %T of the decoded JSON value, as OPA-Envoy's messages print it. */
  static String goType(Value v) {
    return switch (v.typeName()) {
      case "null" -> "<nil>";
      case "boolean" -> "bool";
      case "number" -> "json.Number";
      case "string" -> "string";
      case "array", "set" -> "[]interface {}";
      default -> "map[string]interface {}";
    };
  }
}
