package dev.gatehouse.engine.builtins.tokens;

import static dev.gatehouse.engine.builtins.core.Def.def;
import static dev.gatehouse.engine.types.Types.ANY;
import static dev.gatehouse.engine.types.Types.ANY_OBJECT;
import static dev.gatehouse.engine.types.Types.BOOLEAN;
import static dev.gatehouse.engine.types.Types.STRING;
import static dev.gatehouse.engine.types.Types.objectOf;
import static dev.gatehouse.engine.types.Types.tuple;

import com.nimbusds.jose.jwk.JWK;
import dev.gatehouse.engine.builtins.Builtin;
import dev.gatehouse.engine.builtins.BuiltinContext;
import dev.gatehouse.engine.builtins.BuiltinException;
import dev.gatehouse.engine.builtins.BuiltinProvider;
import dev.gatehouse.engine.builtins.core.Args;
import dev.gatehouse.engine.builtins.core.Def;
import dev.gatehouse.engine.builtins.crypto.GoBase64;
import dev.gatehouse.engine.types.Type;
import dev.gatehouse.engine.value.ArrayValue;
import dev.gatehouse.engine.value.BooleanValue;
import dev.gatehouse.engine.value.Json;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * OPA's token builtins: {@code io.jwt.decode}, the {@code io.jwt.verify_*} family,
 * {@code io.jwt.decode_verify} and {@code io.jwt.encode_sign(_raw)}.
 */
public final class TokenBuiltins implements BuiltinProvider {
  private static final String TOKENS = "tokens";
  private static final String TOKEN_SIGN = "tokensign";

  @Override
  public List<Builtin> builtins() {
    List<Builtin> b = new ArrayList<>();
    b.add(def("io.jwt.decode", "Decodes a JSON Web Token and outputs it as an object.")
        .categories(TOKENS)
        .arg("jwt", "JWT token to decode", STRING)
        .returns("output", "`[header, payload, sig]`, where `header` and `payload` are objects; `sig` is the "
            + "hexadecimal representation of the signature on the token.", tuple(ANY_OBJECT, ANY_OBJECT, STRING))
        .impl((c, a) -> decode(a[0])));
    for (JwsAlgorithm alg : JwsAlgorithm.values()) {
      String name = "io.jwt.verify_" + alg.name().toLowerCase(java.util.Locale.ROOT);
      boolean hmac = alg.family() == JwsAlgorithm.Family.HMAC;
      String title = alg == JwsAlgorithm.EdDSA ? "an EdDSA" : "a " + alg.name() + (hmac ? " (secret)" : "");
      Def d = def(name, "Verifies if " + title + " JWT signature is valid.")
          .categories(TOKENS)
          .arg("jwt", "JWT token whose signature is to be verified", STRING);
      d = hmac ? d.arg("secret", "plain text secret used to verify the signature", STRING)
          : d.arg("certificate", "PEM encoded certificate, PEM encoded public key, or the JWK key (set) used to verify "
              + "the signature", STRING);
      d = d.returns("result", "`true` if the signature is valid, `false` otherwise", BOOLEAN);
      b.add(hmac ? d.impl((c, a) -> verifyHmac(alg, a)) : d.impl((c, a) -> verifyAsymmetric(c, alg, a)));
    }
    b.add(def("io.jwt.decode_verify", "Verifies a JWT signature under parameterized constraints and decodes the "
        + "claims if it is valid.\nSupports the following algorithms: HS256, HS384, HS512, RS256, RS384, RS512, ES256, "
        + "ES384, ES512, PS256, PS384, PS512, and EdDSA.")
        .categories(TOKENS)
        .arg("jwt", "JWT token whose signature is to be verified and whose claims are to be checked", STRING)
        .arg("constraints", "claim verification constraints", objectOf(STRING, ANY))
        .returns("output", "`[valid, header, payload]`:  if the input token is verified and meets the requirements of "
            + "`constraints` then `valid` is `true`; `header` and `payload` are objects containing the JOSE header and "
            + "the JWT claim set; otherwise, `valid` is `false`, `header` and `payload` are `{}`",
            tuple(BOOLEAN, ANY_OBJECT, ANY_OBJECT))
        .nondeterministic()
        .impl(DecodeVerify::call));
    Type stringObject = objectOf(STRING, ANY);
    b.add(def("io.jwt.encode_sign", "Encodes and optionally signs a JSON Web Token. Inputs are taken as objects, "
        + "not encoded strings (see `io.jwt.encode_sign_raw`).")
        .categories(TOKEN_SIGN)
        .arg("headers", "JWS Protected Header", stringObject)
        .arg("payload", "JWS Payload", stringObject)
        .arg("key", "JSON Web Key (RFC7517)", stringObject)
        .returns("output", "signed JWT", STRING)
        .nondeterministic()
        .impl((c, a) -> {
          // OPA marshals whatever it is given; non-objects fail later, at the header or key
          return encodeSign(Json.write(a[0]).getBytes(StandardCharsets.UTF_8),
              Json.write(a[1]).getBytes(StandardCharsets.UTF_8), Json.write(a[2]));
        }));
    b.add(def("io.jwt.encode_sign_raw", "Encodes and optionally signs a JSON Web Token.")
        .categories(TOKEN_SIGN)
        .arg("headers", "JWS Protected Header", STRING)
        .arg("payload", "JWS Payload", STRING)
        .arg("key", "JSON Web Key (RFC7517)", STRING)
        .returns("output", "signed JWT", STRING)
        .nondeterministic()
        .impl((c, a) -> {
          String key = Args.str(a, 2);
          String headers = Args.str(a, 0);
          String payload = Args.str(a, 1);
          return encodeSign(headers.getBytes(StandardCharsets.UTF_8), payload.getBytes(StandardCharsets.UTF_8), key);
        }));
    return b;
  }

  /** io.jwt.decode: [header, payload, hex signature]; a "cty": "JWT" payload is decoded in turn. */
  static Value decode(Value token) {
    CompactJws jws = CompactJws.split(token);
    ObjectValue header = jws.decodeHeader();
    byte[] payload = jws.decodePayload();
    Value ctyValue = header.get("cty");
    if (ctyValue != null && !(ctyValue instanceof StringValue)) {
      // OPA v1.22.2 crashes here; a clear error is the safe equivalent
      throw BuiltinException.error("cty: must be a string");
    }
    if (ctyValue instanceof StringValue cty && cty.value().equals("JWT")) {
      // a nested token arrives quoted, as jwt.io produces it
      return decode(StringValue.of(trim(new String(payload, StandardCharsets.UTF_8), "\"'")));
    }
    ObjectValue claims = CompactJws.jsonObject(payload);
    byte[] signature;
    try {
      signature = Base64Url.decode(jws.signature());
    } catch (Base64Url.DecodeException e) {
      throw BuiltinException.error("JWT signature had invalid encoding: " + e.getMessage());
    }
    return ArrayValue.of(header, claims, StringValue.of(HexFormat.of().formatHex(signature)));
  }

  private static String trim(String s, String cut) {
    int start = 0;
    int end = s.length();
    while (start < end && cut.indexOf(s.charAt(start)) >= 0) {
      start++;
    }
    while (end > start && cut.indexOf(s.charAt(end - 1)) >= 0) {
      end--;
    }
    return s.substring(start, end);
  }

  private static Value verifyHmac(JwsAlgorithm alg, Value[] a) {
    Args.str(a, 0);
    String secret = Args.str(a, 1);
    CompactJws jws = CompactJws.split(a[0]);
    byte[] expected = alg.hmac(secret.getBytes(StandardCharsets.UTF_8), jws.signingInput());
    byte[] signature = jws.decodeSignature();
    return BooleanValue.of(MessageDigest.isEqual(signature, expected));
  }

  /** OPA's builtinJWTVerify: a key whose kid matches decides alone; otherwise any fitting key. */
  private static Value verifyAsymmetric(BuiltinContext ctx, JwsAlgorithm alg, Value[] a) {
    CompactJws jws = CompactJws.split(a[0]);
    String certificate = Args.str(a, 1);
    List<VerificationKey> keys = VerificationKeys.get(ctx, certificate);
    byte[] signature = jws.decodeSignature();
    JoseHeader header = JoseHeader.parse(jws.decodeHeader());
    byte[] input = jws.signingInput();
    if (!header.kid().isEmpty()) {
      for (VerificationKey k : keys) {
        if (k.kid().equals(header.kid())) {
          return BooleanValue.of(alg.verifyAsBuiltin(k, input, signature));
        }
      }
    }
    for (VerificationKey k : keys) {
      if (!k.alg().isEmpty() && !k.alg().equals(header.alg())) {
        continue;
      }
      if (alg.verifyAsBuiltin(k, input, signature)) {
        return BooleanValue.TRUE;
      }
    }
    return BooleanValue.FALSE;
  }

  /** OPA's commonBuiltinJWTEncodeSign. */
  private static Value encodeSign(byte[] headers, byte[] payload, String jwk) {
    JWK key = SigningKeys.first(jwk);
    HeaderProbe probe = HeaderProbe.parse(new String(headers, StandardCharsets.UTF_8));
    HeaderProbe.Result alg = probe.string("alg");
    if (alg.error() != null) {
      throw BuiltinException.error("missing or invalid 'alg' header: " + alg.error());
    }
    JwsAlgorithm algorithm = JwsAlgorithm.of(alg.value());
    if (algorithm == null) {
      throw BuiltinException.error("unknown JWS algorithm: " + alg.value());
    }
    HeaderProbe.Result typ = probe.string("typ");
    if ((typ.error() != null || "JWT".equals(typ.value())) && !validJson(payload)) {
      throw BuiltinException.error("type is JWT but payload is not JSON");
    }
    String signingInput = GoBase64.encodeRawUrl(headers) + "." + GoBase64.encodeRawUrl(payload);
    byte[] signature = SigningKeys.sign(key, algorithm, signingInput.getBytes(StandardCharsets.US_ASCII));
    return StringValue.of(signingInput + "." + GoBase64.encodeRawUrl(signature));
  }

  private static boolean validJson(byte[] payload) {
    try {
      Json.parse(new String(payload, StandardCharsets.UTF_8));
      return true;
    } catch (dev.gatehouse.engine.value.ValueFormatException e) {
      return false;
    }
  }
}
