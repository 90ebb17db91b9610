package dev.gatehouse.engine.builtins.tokens;

import dev.gatehouse.engine.builtins.BuiltinContext;
import dev.gatehouse.engine.builtins.BuiltinException;
import dev.gatehouse.engine.value.ArrayValue;
import dev.gatehouse.engine.value.BooleanValue;
import dev.gatehouse.engine.value.Json;
import dev.gatehouse.engine.value.NumberValue;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * io.jwt.decode_verify: verifies the signature under the constraints (cert or secret, alg),
 * follows nested tokens, then checks iss, aud, exp and nbf against the constraints and the time.
 * Anything that merely fails to verify yields {@code [false, {}, {}]}; malformed input is an error.
 */
final class DecodeVerify {
  private static final Value UNVERIFIED = ArrayValue.of(BooleanValue.FALSE, ObjectValue.EMPTY, ObjectValue.EMPTY);

  private DecodeVerify() {}

  /** The constraints argument, decoded. keys is null unless a cert constraint was given. */
  private static final class Constraints {
    List<VerificationKey> keys;
    String secret = "";
    String alg = "";
    String iss = "";
    String aud = "";
    double time = -1;
  }

  static Value call(BuiltinContext ctx, Value[] args) {
    if (!(args[1] instanceof ObjectValue constraintsArg)) {
      throw BuiltinException.operandType(2, args[1], "object");
    }
    Constraints c = constraints(ctx, constraintsArg);
    int keySources = (c.keys != null ? 1 : 0) + (c.secret.isEmpty() ? 0 : 1);
    if (keySources > 1) {
      throw BuiltinException.error("duplicate key constraints");
    }
    if (keySources < 1) {
      throw BuiltinException.error("no key constraint");
    }

    Value token = args[0];
    CompactJws jws;
    ObjectValue header;
    byte[] payload;
    while (true) {
      jws = CompactJws.split(token);
      header = jws.decodeHeader();
      JoseHeader h = JoseHeader.parse(header);
      if (!h.valid()) {
        return UNVERIFIED;
      }
      if (!c.alg.isEmpty() && !c.alg.equals(h.alg())) {
        return UNVERIFIED;
      }
      byte[] signature = jws.decodeSignature();
      if (!verified(c, h, jws.signingInput(), signature)) {
        return UNVERIFIED;
      }
      payload = jws.decodePayload();
      if (h.cty().equalsIgnoreCase("JWT")) {
        token = StringValue.of(new String(payload, StandardCharsets.UTF_8));
        continue;
      }
      break;
    }
    ObjectValue claims = CompactJws.jsonObject(payload);

    if (!c.iss.isEmpty()) {
      Value iss = claims.get("iss");
      if (iss == null) {
        return UNVERIFIED;
      }
      if (!(iss instanceof StringValue s) || !c.iss.equals(s.value())) {
        return UNVERIFIED;
      }
    }
    Value aud = claims.get("aud");
    if (aud != null) {
      if (!validAudience(c.aud, aud)) {
        return UNVERIFIED;
      }
    } else if (!c.aud.isEmpty()) {
      return UNVERIFIED;
    }
    // the time constraint is in nanoseconds, exp and nbf in seconds; OPA compares the float64 quotient
    BigDecimal now = new BigDecimal(Double.toString(c.time / 1_000_000_000d));
    Value exp = claims.get("exp");
    if (exp != null) {
      if (!(exp instanceof NumberValue n)) {
        throw BuiltinException.error("exp value must be a number");
      }
      if (now.compareTo(n.bigDecimalValue()) >= 0) {
        return UNVERIFIED;
      }
    }
    Value nbf = claims.get("nbf");
    if (nbf != null) {
      if (!(nbf instanceof NumberValue n)) {
        throw BuiltinException.error("nbf value must be a number");
      }
      if (now.compareTo(n.bigDecimalValue()) < 0) {
        return UNVERIFIED;
      }
    }
    return ArrayValue.of(BooleanValue.TRUE, header, claims);
  }

  /** Constraint keys in OPA's (sorted) order; unknown ones are rejected. */
  private static Constraints constraints(BuiltinContext ctx, ObjectValue o) {
    Constraints c = new Constraints();
    for (Value k : o.keys()) {
      String name = k instanceof StringValue s ? s.value() : Json.write(k);
      Value v = o.get(k);
      switch (name) {
        case "cert" -> {
          if (!(v instanceof StringValue s)) {
            throw BuiltinException.error("cert constraint: must be a string");
          }
          c.keys = VerificationKeys.get(ctx, s.value());
        }
        case "secret" -> c.secret = string(name, v);
        case "alg" -> c.alg = string(name, v);
        case "iss" -> c.iss = string(name, v);
        case "aud" -> c.aud = string(name, v);
        case "time" -> c.time = time(v);
        default -> throw BuiltinException.error("unknown token validation constraint: " + name);
      }
    }
    if (c.time == -1) {
      c.time = time(NumberValue.of(ctx.nowNanos()));
    }
    return c;
  }

  private static String string(String name, Value v) {
    if (!(v instanceof StringValue s)) {
      throw BuiltinException.error(name + " constraint: must be a string");
    }
    return s.value();
  }

  private static double time(Value v) {
    if (!(v instanceof NumberValue n)) {
      throw BuiltinException.error("token time constraint: must be a number");
    }
    double t = n.doubleValue();
    if (Double.isInfinite(t) || Double.isNaN(t)) {
      throw BuiltinException.error("token time constraint: unvalid float64");
    }
    if (t < 0) {
      throw BuiltinException.error("token time constraint: must not be negative");
    }
    return t;
  }

  /** OPA's constraints.verify: keys (a kid match decides alone), else the secret. */
  private static boolean verified(Constraints c, JoseHeader h, byte[] input, byte[] signature) {
    JwsAlgorithm alg = JwsAlgorithm.of(h.alg());
    if (c.keys != null) {
      if (!h.kid().isEmpty()) {
        for (VerificationKey k : c.keys) {
          if (k.kid().equals(h.kid())) {
            return alg != null && alg.verifyAsJws(k, input, signature);
          }
        }
      }
      for (VerificationKey k : c.keys) {
        if (!k.alg().isEmpty() && !k.alg().equals(h.alg())) {
          continue;
        }
        if (alg != null && alg.verifyAsJws(k, input, signature)) {
          return true;
        }
      }
      return false;
    }
    VerificationKey secret = new VerificationKey("", "", VerificationKey.Kind.SECRET, null,
        c.secret.getBytes(StandardCharsets.UTF_8), false);
    return alg != null && alg.verifyAsJws(secret, input, signature);
  }

  /** aud may be one string or an array holding the required audience. */
  private static boolean validAudience(String required, Value aud) {
    if (aud instanceof StringValue s) {
      return s.value().equals(required);
    }
    if (aud instanceof ArrayValue a) {
      for (Value e : a.elements()) {
        if (e instanceof StringValue s && s.value().equals(required)) {
          return true;
        }
      }
    }
    return false;
  }
}
