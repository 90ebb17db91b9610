package dev.gatehouse.engine.builtins.core;

import static dev.gatehouse.engine.builtins.core.Def.def;
import static dev.gatehouse.engine.types.Types.ANY;
import static dev.gatehouse.engine.types.Types.BOOLEAN;
import static dev.gatehouse.engine.types.Types.STRING;
import static dev.gatehouse.engine.types.Types.any;
import static dev.gatehouse.engine.types.Types.arrayOf;
import static dev.gatehouse.engine.types.Types.object;
import static dev.gatehouse.engine.types.Types.objectOf;
import static dev.gatehouse.engine.types.Types.prop;
import static dev.gatehouse.engine.types.Types.setOf;

import dev.gatehouse.engine.builtins.Builtin;
import dev.gatehouse.engine.builtins.BuiltinContext;
import dev.gatehouse.engine.builtins.BuiltinException;
import dev.gatehouse.engine.value.ArrayValue;
import dev.gatehouse.engine.value.BooleanValue;
import dev.gatehouse.engine.value.Json;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.SetValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** base64, hex, URL query, JSON and YAML encoding, with Go's byte-level behaviour and errors. */
final class Encoding {
  private Encoding() {}

  static List<Builtin> all() {
    return List.of(
        def("base64.encode", "Serializes the input string into base64 encoding.")
            .categories("encoding")
            .arg("x", "string to encode", STRING)
            .returns("y", "base64 serialization of `x`", STRING)
            .impl((c, a) -> StringValue.of(Base64.getEncoder().encodeToString(GoBytes.utf8(Args.str(a, 0))))),
        def("base64.decode", "Deserializes the base64 encoded input string.")
            .categories("encoding")
            .arg("x", "string to decode", STRING)
            .returns("y", "base64 deserialization of `x`", STRING)
            .impl((c, a) -> StringValue.of(GoBytes.string(GoBase64.decode(Args.str(a, 0), false, true)))),
        def("base64.is_valid", "Verifies the input string is base64 encoded.")
            .categories("encoding")
            .arg("x", "string to check", STRING)
            .returns("result", "`true` if `x` is valid base64 encoded value, `false` otherwise", BOOLEAN)
            .impl(Encoding::base64IsValid),
        def("base64url.encode", "Serializes the input string into base64url encoding.")
            .categories("encoding")
            .arg("x", "string to encode", STRING)
            .returns("y", "base64url serialization of `x`", STRING)
            .impl((c, a) -> StringValue.of(Base64.getUrlEncoder().encodeToString(GoBytes.utf8(Args.str(a, 0))))),
        def("base64url.encode_no_pad", "Serializes the input string into base64url encoding without padding.")
            .categories("encoding")
            .arg("x", "string to encode", STRING)
            .returns("y", "base64url serialization of `x`", STRING)
            .impl((c, a) -> StringValue.of(Base64.getUrlEncoder().withoutPadding().encodeToString(GoBytes.utf8(Args.str(a, 0))))),
        def("base64url.decode", "Deserializes the base64url encoded input string.")
            .categories("encoding")
            .arg("x", "string to decode", STRING)
            .returns("y", "base64url deserialization of `x`", STRING)
            .impl(Encoding::base64UrlDecode),
        def("hex.encode", "Serializes the input string using hex-encoding.")
            .categories("encoding")
            .arg("x", "string to encode", STRING)
            .returns("y", "serialization of `x` using hex-encoding", STRING)
            .impl((c, a) -> StringValue.of(HexFormat.of().formatHex(GoBytes.utf8(Args.str(a, 0))))),
        def("hex.decode", "Deserializes the hex-encoded input string.")
            .categories("encoding")
            .arg("x", "a hex-encoded string", STRING)
            .returns("y", "deserialized from `x`", STRING)
            .impl(Encoding::hexDecode),
        def("urlquery.encode", "Encodes the input string into a URL-encoded string.")
            .categories("encoding")
            .arg("x", "the string to encode", STRING)
            .returns("y", "URL-encoding serialization of `x`", STRING)
            .impl((c, a) -> StringValue.of(queryEscape(Args.str(a, 0)))),
        def("urlquery.decode", "Decodes a URL-encoded input string.")
            .categories("encoding")
            .arg("x", "the URL-encoded string", STRING)
            .returns("y", "URL-encoding deserialization of `x`", STRING)
            .impl((c, a) -> StringValue.of(queryUnescape(Args.str(a, 0)))),
        def("urlquery.encode_object", "Encodes the given object into a URL encoded query string.")
            .categories("encoding")
            .arg("object", "the object to encode", objectOf(STRING, any(STRING, arrayOf(STRING), setOf(STRING))))
            .returns("y", "the URL-encoded serialization of `object`", STRING)
            .impl(Encoding::encodeObject),
        def("urlquery.decode_object", "Decodes the given URL query string into an object.")
            .categories("encoding")
            .arg("x", "the query string", STRING)
            .returns("object", "the resulting object", objectOf(STRING, arrayOf(STRING)))
            .impl(Encoding::decodeObject),
        def("json.marshal", "Serializes the input term to JSON.")
            .categories("encoding")
            .arg("x", "the term to serialize", ANY)
            .returns("y", "the JSON string representation of `x`", STRING)
            .impl((c, a) -> StringValue.of(Json.write(a[0]))),
        def("json.marshal_with_options", "Serializes the input term JSON, with additional formatting options via the `opts` "
                + "parameter. `opts` accepts keys `pretty` (enable multi-line/formatted JSON), `prefix` "
                + "(string to prefix lines with, default empty string) and `indent` (string to indent with, "
                + "default `\\t`).")
            .categories("encoding")
            .arg("x", "the term to serialize", ANY)
            .arg("opts", "encoding options", object(List.of(prop("indent", STRING), prop("prefix", STRING), prop("pretty", BOOLEAN)), STRING, ANY))
            .returns("y", "the JSON string representation of `x`, with configured prefix/indent string(s) as "
                + "appropriate", STRING)
            .impl(Encoding::marshalWithOptions),
        def("json.unmarshal", "Deserializes the input string.")
            .categories("encoding")
            .arg("x", "a JSON string", STRING)
            .returns("y", "the term deserialized from `x`", ANY)
            .impl(Encoding::jsonUnmarshal),
        def("json.is_valid", "Verifies the input string is a valid JSON document.")
            .categories("encoding")
            .arg("x", "a JSON string", STRING)
            .returns("result", "`true` if `x` is valid JSON, `false` otherwise", BOOLEAN)
            .impl((c, a) -> BooleanValue.of(a[0] instanceof StringValue s && GoJson.isValid(s.value()))),
        def("yaml.marshal", "Serializes the input term to YAML.")
            .categories("encoding")
            .arg("x", "the term to serialize", ANY)
            .returns("y", "the YAML string representation of `x`", STRING)
            .impl((c, a) -> StringValue.of(GoYaml.marshal(a[0]))),
        def("yaml.unmarshal", "Deserializes the input string.")
            .categories("encoding")
            .arg("x", "a YAML string", STRING)
            .returns("y", "the term deserialized from `x`", ANY)
            .impl((c, a) -> GoYaml.unmarshal(Args.str(a, 0))),
        def("yaml.is_valid", "Verifies the input string is a valid YAML document.")
            .categories("encoding")
            .arg("x", "a YAML string", STRING)
            .returns("result", "`true` if `x` is valid YAML, `false` otherwise", BOOLEAN)
            .impl((c, a) -> BooleanValue.of(a[0] instanceof StringValue s && GoYaml.isValid(s.value()))));
  }

  private static Value base64IsValid(BuiltinContext c, Value[] a) {
    if (!(a[0] instanceof StringValue s)) {
      return BooleanValue.FALSE;
    }
    try {
      GoBase64.decode(s.value(), false, true);
      return BooleanValue.TRUE;
    } catch (BuiltinException e) {
      return BooleanValue.FALSE;
    }
  }

  private static Value base64UrlDecode(BuiltinContext c, Value[] a) {
    String s = Args.str(a, 0);
    if (!s.endsWith("=")) {
      switch (GoBytes.utf8(s).length % 4) {
        case 0 -> { }
        case 2 -> s += "==";
        case 3 -> s += "=";
        default -> throw BuiltinException.error("illegal base64url string: " + s);
      }
    }
    return StringValue.of(GoBytes.string(GoBase64.decode(s, true, true)));
  }

  private static Value hexDecode(BuiltinContext c, Value[] a) {
    byte[] src = GoBytes.utf8(Args.str(a, 0));
    byte[] out = new byte[src.length / 2];
    int j = 1;
    for (; j < src.length; j += 2) {
      int hi = hexValue(src[j - 1]);
      int lo = hexValue(src[j]);
      if (hi < 0) {
        throw invalidHexByte(src[j - 1]);
      }
      if (lo < 0) {
        throw invalidHexByte(src[j]);
      }
      out[j / 2] = (byte) (hi << 4 | lo);
    }
    if (src.length % 2 == 1) {
      if (hexValue(src[j - 1]) < 0) {
        throw invalidHexByte(src[j - 1]);
      }
      throw BuiltinException.error("encoding/hex: odd length hex string");
    }
    return StringValue.of(GoBytes.string(out));
  }

  private static int hexValue(byte b) {
    int c = b & 0xFF;
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  /** Go's InvalidByteError: {@code %#U} of the byte taken as a rune. */
  private static BuiltinException invalidHexByte(byte b) {
    int c = b & 0xFF;
    String u = String.format("U+%04X", c);
    if (GoFmt.isPrint(c)) {
      u += " '" + (char) c + "'";
    }
    return BuiltinException.error("encoding/hex: invalid byte: " + u);
  }

  /** Go's url.QueryEscape: unreserved characters stay, space becomes '+', everything else %XX. */
  static String queryEscape(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 8);
    for (byte b : GoBytes.utf8(s)) {
      int c = b & 0xFF;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.'
          || c == '~') {
        sb.append((char) c);
      } else if (c == ' ') {
        sb.append('+');
      } else {
        sb.append('%').append("0123456789ABCDEF".charAt(c >> 4)).append("0123456789ABCDEF".charAt(c & 15));
      }
    }
    return sb.toString();
  }

  /** Go's url.QueryUnescape. */
  static String queryUnescape(String s) {
    byte[] src = GoBytes.utf8(s);
    for (int i = 0; i < src.length; i++) {
      if (src[i] == '%' && (i + 2 >= src.length || hexValue(src[i + 1]) < 0 || hexValue(src[i + 2]) < 0)) {
        String bad = GoBytes.string(src, i, Math.min(src.length, i + 3));
        throw BuiltinException.error("invalid URL escape " + GoFmt.goQuote(bad));
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(src.length);
    for (int i = 0; i < src.length; i++) {
      byte b = src[i];
      if (b == '%') {
        out.write(hexValue(src[i + 1]) << 4 | hexValue(src[i + 2]));
        i += 2;
      } else if (b == '+') {
        out.write(' ');
      } else {
        out.write(b);
      }
    }
    return GoBytes.string(out.toByteArray());
  }

  private static Value encodeObject(BuiltinContext c, Value[] a) {
    ObjectValue o = Args.obj(a, 0);
    TreeMap<String, List<String>> query = new TreeMap<>();
    for (Value k : o.keys()) {
      String key = k instanceof StringValue ks ? ks.value() : Json.write(k);
      Value v = o.get(k);
      List<String> values = new ArrayList<>();
      if (v instanceof StringValue s) {
        values.add(s.value());
      } else if (v instanceof ArrayValue || v instanceof SetValue) {
        for (Value e : v instanceof ArrayValue av ? av.elements() : (SetValue) v) {
          if (!(e instanceof StringValue es)) {
            throw encodeObjectError();
          }
          values.add(es.value());
        }
        if (values.isEmpty()) {
          continue;
        }
      } else {
        throw encodeObjectError();
      }
      query.put(key, values);
    }
    StringBuilder sb = new StringBuilder();
    query.forEach((k, vs) -> {
      for (String v : vs) {
        if (sb.length() > 0) {
          sb.append('&');
        }
        sb.append(queryEscape(k)).append('=').append(queryEscape(v));
      }
    });
    return StringValue.of(sb.toString());
  }

  private static BuiltinException encodeObjectError() {
    return BuiltinException.typeError("operand 1 values must be string, array[string], or set[string]");
  }

  /** Go's url.ParseQuery: pairs split on '&'; a ';' is an error; the first error wins. */
  private static Value decodeObject(BuiltinContext c, Value[] a) {
    String q = Args.str(a, 0);
    Map<String, List<Value>> m = new LinkedHashMap<>();
    BuiltinException first = null;
    for (String pair : q.split("&", -1)) {
      if (pair.contains(";")) {
        if (first == null) {
          first = BuiltinException.error("invalid semicolon separator in query");
        }
        continue;
      }
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key;
      String value;
      try {
        key = queryUnescape(eq < 0 ? pair : pair.substring(0, eq));
        value = queryUnescape(eq < 0 ? "" : pair.substring(eq + 1));
      } catch (BuiltinException e) {
        if (first == null) {
          first = e;
        }
        continue;
      }
      m.computeIfAbsent(key, k -> new ArrayList<>()).add(StringValue.of(value));
    }
    if (first != null) {
      throw first;
    }
    ObjectValue.Builder out = ObjectValue.builder();
    m.forEach((k, v) -> out.put(k, ArrayValue.of(v)));
    return out.build();
  }

  private static Value marshalWithOptions(BuiltinContext c, Value[] a) {
    ObjectValue opts = Args.obj(a, 1);
    String indent = "\t";
    String prefix = "";
    boolean implicitPretty = false;
    Boolean explicitPretty = null;
    int idx = 0;
    for (Value k : opts.keys()) {
      Value v = opts.get(k);
      if (!(k instanceof StringValue ks)) {
        throw BuiltinException.typeError("operand 2 failed to stringify key " + RegoText.of(k) + " at index " + idx
            + ": operand " + idx + " must be string but got " + k.typeName());
      }
      String quoted = GoFmt.goQuote(ks.value());
      switch (ks.value()) {
        case "prefix" -> {
          if (!(v instanceof StringValue s)) {
            throw BuiltinException.typeError("operand 2 key " + quoted + " failed cast to string: operand " + idx
                + " must be string but got " + v.typeName());
          }
          prefix = s.value();
          implicitPretty = true;
        }
        case "indent" -> {
          if (!(v instanceof StringValue s)) {
            throw BuiltinException.typeError("operand 2 key " + quoted + " failed cast to string: operand " + idx
                + " must be string but got " + v.typeName());
          }
          indent = s.value();
          implicitPretty = true;
        }
        case "pretty" -> {
          if (!(v instanceof BooleanValue b)) {
            throw BuiltinException.typeError("operand 2 key " + quoted + " failed cast to bool");
          }
          explicitPretty = b.value();
        }
        default -> throw BuiltinException.typeError("operand 2 object contained unknown key " + quoted);
      }
      idx++;
    }
    boolean pretty = explicitPretty != null ? explicitPretty : implicitPretty;
    if (!pretty) {
      return StringValue.of(Json.write(a[0]));
    }
    String body = Json.writeIndented(a[0], indent);
    return StringValue.of(prefix + (prefix.isEmpty() ? body : body.replace("\n", "\n" + prefix)));
  }

  private static Value jsonUnmarshal(BuiltinContext c, Value[] a) {
    return GoJson.unmarshal(Args.str(a, 0));
  }
}
