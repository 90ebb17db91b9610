package dev.gatehouse.sidecar.envoy;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.gatehouse.engine.value.ArrayValue;
import dev.gatehouse.engine.value.BooleanValue;
import dev.gatehouse.engine.value.Json;
import dev.gatehouse.engine.value.NullValue;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import dev.gatehouse.engine.value.ValueFormatException;
import io.envoyproxy.envoy.service.auth.v3.AttributeContext;
import io.envoyproxy.envoy.service.auth.v3.CheckRequest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a {@code CheckRequest} into the input OPA-Envoy gives policies: the request in protojson
 * (lowerCamelCase names, int64 as strings, defaults omitted) plus {@code version},
 * {@code parsed_path} (the URL path split at {@code /}, percent-decoded), {@code parsed_query}
 * (name to list of values), {@code parsed_body} (JSON bodies only; null otherwise) and
 * {@code truncated_body} (when {@code content-length} says more was sent than Envoy buffered).
 */
public final class CheckInputs {
  private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();
  private static final ObjectValue VERSION = ObjectValue.of("encoding", StringValue.of("protojson"),
      "ext_authz", StringValue.of("v3"));

  private CheckInputs() {}

  /** A request Envoy's input cannot be built from (OPA-Envoy fails the check on these too). */
  public static final class InvalidRequest extends RuntimeException {
    InvalidRequest(String message) {
      super(message, null, false, false);
    }
  }

  public static Value toInput(CheckRequest req) {
    ObjectValue base;
    try {
      base = (ObjectValue) Json.parse(PRINTER.print(withoutTypedMetadata(req)));
    } catch (InvalidProtocolBufferException e) {
      throw new InvalidRequest("cannot encode CheckRequest: " + e.getMessage());
    }
    AttributeContext.HttpRequest http = req.getAttributes().getRequest().getHttp();
    ParsedUrl url = parseUrl(http.getPath());
    ObjectValue.Builder b = ObjectValue.builder();
    base.forEach(b::put);
    b.put("version", VERSION);
    b.put("parsed_path", url.path());
    b.put("parsed_query", url.query());
    Body body = parseBody(headers(http), http.getBody());
    b.put("parsed_body", body.parsed());
    b.put("truncated_body", BooleanValue.of(body.truncated()));
    return b.build();
  }

  /** {@code typed_filter_metadata} holds {@code Any}s of types we do not know; drop them. */
  private static CheckRequest withoutTypedMetadata(CheckRequest req) {
    AttributeContext a = req.getAttributes();
    if (a.getMetadataContext().getTypedFilterMetadataCount() == 0
        && a.getRouteMetadataContext().getTypedFilterMetadataCount() == 0) {
      return req;
    }
    AttributeContext.Builder ab = a.toBuilder();
    ab.getMetadataContextBuilder().clearTypedFilterMetadata();
    ab.getRouteMetadataContextBuilder().clearTypedFilterMetadata();
    return req.toBuilder().setAttributes(ab).build();
  }

  /**
   * The request headers: Envoy fills {@code headers}, or with {@code encode_raw_headers} only
   * {@code header_map} (values as bytes); repeated names are joined with commas as Envoy does.
   */
  public static Map<String, String> headers(AttributeContext.HttpRequest http) {
    if (http.getHeadersCount() > 0 || !http.hasHeaderMap()) {
      return http.getHeadersMap();
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (io.envoyproxy.envoy.config.core.v3.HeaderValue h : http.getHeaderMap().getHeadersList()) {
      String v = h.getRawValue().isEmpty() ? h.getValue() : h.getRawValue().toStringUtf8();
      out.merge(h.getKey().toLowerCase(java.util.Locale.ROOT), v, (a, b) -> a + "," + b);
    }
    return out;
  }

  record ParsedUrl(ArrayValue path, ObjectValue query) {}

  /** As Go's {@code url.Parse} then {@code Query()}: the path decoded, the query by name. */
  static ParsedUrl parseUrl(String raw) {
    String s = raw;
    int hash = s.indexOf('#');
    if (hash >= 0) {
      s = s.substring(0, hash);
    }
    int q = s.indexOf('?');
    String pathPart = q >= 0 ? s.substring(0, q) : s;
    String queryPart = q >= 0 ? s.substring(q + 1) : "";
    String decoded = decode(pathPart, false);
    String trimmed = decoded.replaceFirst("^/+", "");
    List<Value> segs = new ArrayList<>();
    for (String seg : trimmed.split("/", -1)) {
      segs.add(StringValue.of(seg));
    }
    Map<String, List<Value>> params = new LinkedHashMap<>();
    if (!queryPart.isEmpty()) {
      for (String pair : queryPart.split("[&;]")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String k;
        String v;
        try {
          k = decode(eq >= 0 ? pair.substring(0, eq) : pair, true);
          v = eq >= 0 ? decode(pair.substring(eq + 1), true) : "";
        } catch (InvalidRequest bad) {
          continue; // Go's Query() skips pairs it cannot decode
        }
        params.computeIfAbsent(k, x -> new ArrayList<>()).add(StringValue.of(v));
      }
    }
    ObjectValue.Builder qb = ObjectValue.builder();
    params.forEach((k, v) -> qb.put(k, ArrayValue.of(v)));
    return new ParsedUrl(ArrayValue.of(segs), qb.build());
  }

  /** Percent-decoding (and {@code +} as space in queries); a bad escape is an error, as in Go. */
  static String decode(String s, boolean query) {
    if (s.indexOf('%') < 0 && !(query && s.indexOf('+') >= 0)) {
      return s;
    }
    byte[] in = s.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
    for (int i = 0; i < in.length; i++) {
      byte c = in[i];
      if (c == '%') {
        if (i + 2 >= in.length || Character.digit(in[i + 1], 16) < 0 || Character.digit(in[i + 2], 16) < 0) {
          String bad = new String(in, i, Math.min(3, in.length - i), StandardCharsets.UTF_8);
          throw new InvalidRequest("parse \"" + s + "\": invalid URL escape \"" + bad + "\"");
        }
        out.write(Character.digit(in[i + 1], 16) * 16 + Character.digit(in[i + 2], 16));
        i += 2;
      } else if (c == '+' && query) {
        out.write(' ');
      } else {
        out.write(c);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  record Body(Value parsed, boolean truncated) {}

  static Body parseBody(Map<String, String> headers, String body) {
    String ctype = headers.get("content-type");
    if (ctype == null || !ctype.contains("application/json") || body.isEmpty()) {
      return new Body(NullValue.INSTANCE, false);
    }
    String cl = headers.get("content-length");
    if (cl != null) {
      long n;
      try {
        n = Long.parseLong(cl.trim());
      } catch (NumberFormatException e) {
        throw new InvalidRequest("strconv.ParseInt: parsing \"" + cl + "\": invalid syntax");
      }
      if (n != -1 && n > body.getBytes(StandardCharsets.UTF_8).length) {
        return new Body(NullValue.INSTANCE, true);
      }
    }
    try {
      return new Body(Json.parse(body), false);
    } catch (ValueFormatException | IllegalArgumentException e) {
      throw new InvalidRequest("invalid JSON body: " + e.getMessage());
    }
  }
}
