package dev.gatehouse.engine.builtins.core;

import static dev.gatehouse.engine.types.Types.ANY;
import static dev.gatehouse.engine.types.Types.ANY_OBJECT;
import static dev.gatehouse.engine.types.Types.BOOLEAN;
import static dev.gatehouse.engine.types.Types.STRING;
import static dev.gatehouse.engine.types.Types.func;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.gatehouse.engine.builtins.Builtin;
import dev.gatehouse.engine.builtins.BuiltinException;
import dev.gatehouse.engine.value.ArrayValue;
import dev.gatehouse.engine.value.BooleanValue;
import dev.gatehouse.engine.value.Json;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.SetValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import dev.gatehouse.engine.value.ValueFormatException;
import dev.gatehouse.engine.value.Values;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/** base64, hex, URL query, JSON and YAML encoding. */
final class Encoding {
  /** Built on first use: an ObjectMapper costs ~100 ms of CLI start-up that most queries never need. */
  private static final class Yaml {
    static final ObjectMapper MAPPER = new ObjectMapper(new YAMLFactory()
        .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
        .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));
  }

  private Encoding() {}

  static List<Builtin> all() {
    List<Builtin> b = new ArrayList<>();
    b.add(Fn.of("encoding", "base64.encode", func(STRING, STRING),
        (c, a) -> StringValue.of(Base64.getEncoder().encodeToString(bytes(Args.str(a, 0))))));
    b.add(Fn.of("encoding", "base64.decode", func(STRING, STRING), (c, a) -> {
      try {
        return StringValue.of(new String(Base64.getDecoder().decode(Args.str(a, 0)), StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw BuiltinException.error("illegal base64 data at input byte 0");
      }
    }));
    b.add(Fn.of("encoding", "base64.is_valid", func(BOOLEAN, STRING), (c, a) -> {
      try {
        Base64.getDecoder().decode(Args.str(a, 0));
        return BooleanValue.TRUE;
      } catch (IllegalArgumentException e) {
        return BooleanValue.FALSE;
      }
    }));
    b.add(Fn.of("encoding", "base64url.encode", func(STRING, STRING),
        (c, a) -> StringValue.of(Base64.getUrlEncoder().encodeToString(bytes(Args.str(a, 0))))));
    b.add(Fn.of("encoding", "base64url.encode_no_pad", func(STRING, STRING),
        (c, a) -> StringValue.of(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(Args.str(a, 0))))));
    b.add(Fn.of("encoding", "base64url.decode", func(STRING, STRING), (c, a) -> {
      String s = Args.str(a, 0);
      try {
        return StringValue.of(new String(Base64.getUrlDecoder().decode(s), StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw BuiltinException.error("illegal base64 data at input byte 0");
      }
    }));
    b.add(Fn.of("encoding", "hex.encode", func(STRING, STRING), (c, a) -> StringValue.of(HexFormat.of().formatHex(bytes(Args.str(a, 0))))));
    b.add(Fn.of("encoding", "hex.decode", func(STRING, STRING), (c, a) -> {
      try {
        return StringValue.of(new String(HexFormat.of().parseHex(Args.str(a, 0)), StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw BuiltinException.error("encoding/hex: invalid byte");
      }
    }));
    b.add(Fn.of("encoding", "urlquery.encode", func(STRING, STRING), (c, a) -> StringValue.of(queryEscape(Args.str(a, 0)))));
    b.add(Fn.of("encoding", "urlquery.decode", func(STRING, STRING), (c, a) -> {
      try {
        return StringValue.of(URLDecoder.decode(Args.str(a, 0), StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw BuiltinException.error("invalid URL escape");
      }
    }));
    b.add(Fn.of("encoding", "urlquery.encode_object", func(STRING, ANY_OBJECT), (c, a) -> {
      ObjectValue o = Args.obj(a, 0);
      List<String> parts = new ArrayList<>();
      for (Value k : o.keys()) {
        String key = queryEscape(((StringValue) k).value());
        Value v = o.get(k);
        if (v instanceof StringValue s) {
          parts.add(key + "=" + queryEscape(s.value()));
        } else if (v instanceof ArrayValue || v instanceof SetValue) {
          Iterable<Value> it = v instanceof ArrayValue av ? av.elements() : (SetValue) v;
          for (Value e : it) {
            parts.add(key + "=" + queryEscape(((StringValue) e).value()));
          }
        } else {
          throw BuiltinException.operandType(1, v, "string", "array", "set");
        }
      }
      return StringValue.of(String.join("&", parts));
    }));
    b.add(Fn.of("encoding", "urlquery.decode_object", func(ANY_OBJECT, STRING), (c, a) -> {
      ObjectValue.Builder out = ObjectValue.builder();
      java.util.Map<String, List<Value>> m = new java.util.LinkedHashMap<>();
      for (String part : Args.str(a, 0).split("[&;]")) {
        if (part.isEmpty()) {
          continue;
        }
        int eq = part.indexOf('=');
        String k = URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
        String v = eq < 0 ? "" : URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
        m.computeIfAbsent(k, x -> new ArrayList<>()).add(StringValue.of(v));
      }
      m.forEach((k, v) -> out.put(k, ArrayValue.of(v)));
      return out.build();
    }));
    b.add(Fn.of("encoding", "json.marshal", func(STRING, ANY), (c, a) -> StringValue.of(Json.write(a[0]))));
    b.add(Fn.of("encoding", "json.marshal_with_options", func(STRING, ANY, ANY_OBJECT), (c, a) -> {
      ObjectValue opts = Args.obj(a, 1);
      boolean pretty = BooleanValue.TRUE.equals(opts.get("pretty"));
      String indent = opts.get("indent") instanceof StringValue s ? s.value() : "\t";
      String prefix = opts.get("prefix") instanceof StringValue s ? s.value() : "";
      if (opts.get("indent") != null || opts.get("prefix") != null) {
        pretty = pretty || opts.get("pretty") == null;
      }
      if (!pretty) {
        return StringValue.of(Json.write(a[0]));
      }
      String body = Json.writeIndented(a[0], indent);
      return StringValue.of(prefix.isEmpty() ? body : prefix + body.replace("\n", "\n" + prefix));
    }));
    b.add(Fn.of("encoding", "json.unmarshal", func(ANY, STRING), (c, a) -> {
      try {
        return Json.parse(Args.str(a, 0));
      } catch (ValueFormatException e) {
        throw BuiltinException.error(e.getMessage());
      }
    }));
    b.add(Fn.of("encoding", "json.is_valid", func(BOOLEAN, STRING), (c, a) -> {
      try {
        Json.parse(Args.str(a, 0));
        return BooleanValue.TRUE;
      } catch (ValueFormatException e) {
        return BooleanValue.FALSE;
      }
    }));
    b.add(Fn.of("encoding", "yaml.marshal", func(STRING, ANY), (c, a) -> {
      try {
        return StringValue.of(Yaml.MAPPER.writeValueAsString(Values.toJava(a[0])));
      } catch (java.io.IOException e) {
        throw BuiltinException.error(e.getMessage());
      }
    }));
    b.add(Fn.of("encoding", "yaml.unmarshal", func(ANY, STRING), (c, a) -> {
      try {
        return Json.parseYaml(Args.str(a, 0));
      } catch (ValueFormatException e) {
        throw BuiltinException.error(e.getMessage());
      }
    }));
    b.add(Fn.of("encoding", "yaml.is_valid", func(BOOLEAN, STRING), (c, a) -> {
      try {
        Json.parseYaml(Args.str(a, 0));
        return BooleanValue.TRUE;
      } catch (ValueFormatException e) {
        return BooleanValue.FALSE;
      }
    }));
    return b;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Go's url.QueryEscape: spaces become +, unreserved characters stay. */
  static String queryEscape(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("*", "%2A").replace("%7E", "~");
  }
}
