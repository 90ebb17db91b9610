package dev.gatehouse.engine.builtins.tokens;

import dev.gatehouse.engine.builtins.BuiltinException;
import dev.gatehouse.engine.value.Json;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import dev.gatehouse.engine.value.ValueFormatException;
import java.nio.charset.StandardCharsets;

/**
 * A JWS in compact serialization split into its three base64url sections, with OPA's decoding
 * steps and error messages (RFC 7519 section 7.2).
 */
record CompactJws(String header, String payload, String signature) {

  /** OPA's decodeJWT: a string operand with exactly two periods. */
  static CompactJws split(Value v) {
    if (!(v instanceof StringValue s)) {
      throw BuiltinException.operandType(1, v, "string");
    }
    String token = s.value();
    if (token.indexOf('.') < 0) {
      throw BuiltinException.error("encoded JWT had no period separators");
    }
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      throw BuiltinException.error("encoded JWT must have 3 sections, found " + parts.length);
    }
    return new CompactJws(parts[0], parts[1], parts[2]);
  }

  /** The JOSE header object; JWE headers (with "enc") are refused. */
  ObjectValue decodeHeader() {
    byte[] raw;
    try {
      raw = Base64Url.decode(header);
    } catch (Base64Url.DecodeException e) {
      throw BuiltinException.error("JWT header had invalid encoding: " + e.getMessage());
    }
    ObjectValue h;
    try {
      h = jsonObject(raw);
    } catch (BuiltinException e) {
      throw BuiltinException.error("bad JWT header: " + e.getMessage());
    }
    if (h.get("enc") != null) {
      throw BuiltinException.error("JWT is a JWE object, which is not supported");
    }
    return h;
  }

  byte[] decodePayload() {
    try {
      return Base64Url.decode(payload);
    } catch (Base64Url.DecodeException e) {
      throw BuiltinException.error("JWT payload had invalid encoding: " + e.getMessage());
    }
  }

  /** The signature bytes; errors carry no prefix, as in OPA's verify builtins. */
  byte[] decodeSignature() {
    try {
      return Base64Url.decode(signature);
    } catch (Base64Url.DecodeException e) {
      throw BuiltinException.error(e.getMessage());
    }
  }

  byte[] signingInput() {
    return (header + "." + payload).getBytes(StandardCharsets.UTF_8);
  }

  /** OPA's extractJSONObject: JSON text that must be an object (duplicate keys: last wins). */
  static ObjectValue jsonObject(byte[] json) {
    Value v;
    try {
      v = Json.parse(new String(json, StandardCharsets.UTF_8));
    } catch (ValueFormatException e) {
      throw BuiltinException.error("invalid JSON: " + GoJsonErrors.describe(json));
    }
    if (!(v instanceof ObjectValue o)) {
      throw BuiltinException.error("decoded JSON type was not an Object");
    }
    return o;
  }
}
