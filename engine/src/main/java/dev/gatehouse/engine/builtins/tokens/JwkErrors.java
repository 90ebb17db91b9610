package dev.gatehouse.engine.builtins.tokens;

import dev.gatehouse.engine.builtins.BuiltinException;
import dev.gatehouse.engine.value.ArrayValue;
import dev.gatehouse.engine.value.Json;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import dev.gatehouse.engine.value.ValueFormatException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The checks OPA's JWK library (jwx) makes before a key is usable, with its messages, run
 * ahead of Nimbus so that malformed keys fail the way they fail in OPA (jwx rejects a whole set
 * for one bad key, where Nimbus skips unknown key types).
 */
final class JwkErrors {
  private static final String PROBE_TYPE =
      "struct { Kty string \"json:\\\"kty\\\"\"; D json.RawMessage \"json:\\\"d,omitempty\\\"\" }";
  private static final Map<String, Integer> CURVE_SIZES = Map.of("P-256", 32, "P-384", 48, "P-521", 66);

  private JwkErrors() {}

  /**
   * The first JSON value of the text, checked as jwx checks JWKs; the message prefix of each
   * failure is jwx's ("jwk.Parse: ..."), to which callers add their own.
   */
  static Value check(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    GoJsonErrors.FirstValue first = GoJsonErrors.firstValue(bytes);
    if (first.error() != null) {
      throw fail("jwk.Parse: failed to parse sole key: jwk.ParseKey: jwk.Parse: failed to probe data: probe: "
          + "failed to unmarshal data: " + first.error());
    }
    Value v;
    try {
      v = Json.parse(new String(bytes, 0, first.end(), StandardCharsets.UTF_8));
    } catch (ValueFormatException e) {
      throw fail("jwk.Parse: failed to parse sole key: jwk.ParseKey: jwk.Parse: failed to probe data: probe: "
          + "failed to unmarshal data: " + e.getMessage());
    }
    if (v instanceof ObjectValue o && o.get("keys") != null) {
      if (!(o.get("keys") instanceof ArrayValue keys)) {
        Value k = o.get("keys");
        throw fail("jwk.Parse: failed to unmarshal JWK set: failed to decode \"keys\": expected '[' but got "
            + (k instanceof StringValue ks ? ks.value() : Json.write(k)));
      }
      List<Value> list = keys.elements();
      for (int i = 0; i < list.size(); i++) {
        String m = key(list.get(i));
        if (m != null) {
          throw fail("jwk.Parse: failed to unmarshal JWK set: failed to decode key #" + i + " in \"keys\": "
              + "jwk.ParseKey: " + m);
        }
      }
      return v;
    }
    String m = key(v);
    if (m != null) {
      throw fail("jwk.Parse: failed to parse sole key: jwk.ParseKey: " + m);
    }
    return v;
  }

  /** The message for one key, or null when jwx would accept its shape. */
  private static String key(Value v) {
    if (!(v instanceof ObjectValue o)) {
      String type = v.typeName().equals("boolean") ? "bool" : v.typeName();
      if (type.equals("null")) {
        return "invalid key type from JSON ()";
      }
      return "jwk.Parse: failed to probe data: probe: failed to unmarshal data: json: cannot unmarshal " + type
          + " into Go value of type " + PROBE_TYPE;
    }
    Value ktyValue = o.get("kty");
    if (ktyValue != null && !(ktyValue instanceof StringValue)) {
      String type = ktyValue.typeName().equals("boolean") ? "bool" : ktyValue.typeName();
      return "jwk.Parse: failed to probe data: probe: failed to unmarshal data: json: cannot unmarshal " + type
          + " into Go struct field .kty of type string";
    }
    String kty = ktyValue == null ? "" : ((StringValue) ktyValue).value();
    boolean priv = o.get("d") != null;
    String type;
    List<String> required;
    switch (kty) {
      case "RSA" -> {
        type = priv ? "*jwk.rsaPrivateKey" : "*jwk.rsaPublicKey";
        required = List.of("e", "n");
      }
      case "EC" -> {
        type = priv ? "*jwk.ecdsaPrivateKey" : "*jwk.ecdsaPublicKey";
        required = List.of("crv", "x", "y");
      }
      case "OKP" -> {
        type = priv ? "*jwk.okpPrivateKey" : "*jwk.okpPublicKey";
        required = List.of("crv", "x");
      }
      case "oct" -> {
        type = "*jwk.symmetricKey";
        required = List.of("k");
      }
      default -> {
        return "invalid key type from JSON (" + kty + ")";
      }
    }
    String prefix = "failed to unmarshal JSON into key (" + type + "): failed to unmarshal JSON into key (" + type + "): ";
    for (String field : List.of("n", "e", "d", "p", "q", "dp", "dq", "qi", "x", "y", "k")) {
      Value f = o.get(field);
      if (f != null && !(f instanceof StringValue)) {
        String t = f.typeName().equals("boolean") ? "bool" : f.typeName();
        return prefix + "failed to decode value for key " + field + ": error reading next value: json: cannot "
            + "unmarshal " + t + " into Go value of type string";
      }
      if (f instanceof StringValue s && !base64url(s.value())) {
        return prefix + "failed to decode value for key " + field + ": expected base64 encoded []byte (string)";
      }
    }
    for (String field : required) {
      if (o.get(field) == null) {
        return prefix + "required field " + field + " is missing";
      }
    }
    if (kty.equals("EC")) {
      String crv = o.get("crv") instanceof StringValue s ? s.value() : Json.write(o.get("crv"));
      Integer size = CURVE_SIZES.get(crv);
      if (size == null) {
        return prefix + "failed to decode value for key crv: unknown EllipticCurveAlgorithm: \"" + crv + "\"";
      }
      for (String coord : List.of("x", "y")) {
        int len = decodedLength(((StringValue) o.get(coord)).value());
        if (len != size) {
          return "jwk.Parse: key validation failed: key validation failed: jwk.ECDSAPublicKey: invalid \"" + coord
              + "\" length (" + len + ") for curve \"" + crv + "\"";
        }
      }
    }
    if (kty.equals("oct") && ((StringValue) o.get("k")).value().isEmpty()) {
      return "jwk.Parse: key validation failed: key validation failed: jwk.SymmetricKey: missing \"k\" field";
    }
    return null;
  }

  /** jwx accepts base64url with or without padding (and standard base64). */
  private static boolean base64url(String s) {
    return decodedLength(s) >= 0;
  }

  private static int decodedLength(String s) {
    String t = s.replace('+', '-').replace('/', '_');
    while (t.endsWith("=")) {
      t = t.substring(0, t.length() - 1);
    }
    try {
      return Base64.getUrlDecoder().decode(t).length;
    } catch (IllegalArgumentException e) {
      return -1;
    }
  }

  private static BuiltinException fail(String message) {
    return BuiltinException.error(message);
  }
}
