package dev.gatehouse.engine.builtins.tokens;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import dev.gatehouse.engine.builtins.BuiltinException;
import dev.gatehouse.engine.builtins.crypto.CryptoError;
import dev.gatehouse.engine.builtins.crypto.GoPrivateKey;
import dev.gatehouse.engine.builtins.crypto.Signatures;
import dev.gatehouse.engine.value.Json;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.Value;
import java.security.GeneralSecurityException;
import java.security.interfaces.RSAPrivateKey;
import java.text.ParseException;
import java.util.List;

/**
 * The signing side of io.jwt.encode_sign(_raw): the first key of a JWK (set), parsed with Nimbus
 * and reported with the messages of OPA's JWK library, and signing with the JDK.
 */
final class SigningKeys {
  private SigningKeys() {}

  /** jwk.Parse then Key(0). */
  static JWK first(String jwkJson) {
    Value json = JwkErrors.check(jwkJson);
    List<JWK> keys;
    try {
      if (json instanceof ObjectValue o && o.get("keys") != null) {
        keys = JWKSet.parse(Json.write(json)).getKeys();
      } else {
        keys = List.of(JWK.parse(Json.write(json)));
      }
    } catch (ParseException | IllegalArgumentException e) {
      throw BuiltinException.error("jwk.Parse: failed to parse sole key: jwk.ParseKey: " + e.getMessage());
    }
    if (keys.isEmpty()) {
      throw BuiltinException.error("no keys found in JWK set");
    }
    return keys.get(0);
  }

  /** jwsbb.Sign: the key must be of the algorithm's family and private (or symmetric). */
  static byte[] sign(JWK key, JwsAlgorithm alg, byte[] input) {
    try {
      return switch (alg.family()) {
        case HMAC -> {
          if (!(key instanceof OctetSequenceKey oct)) {
            throw wrongKey(key, "[]byte", "keyconv: failed to produce []byte");
          }
          yield alg.hmac(oct.toByteArray(), input);
        }
        case RSA, RSA_PSS -> {
          if (!(key instanceof RSAKey rsa) || !rsa.isPrivate()) {
            throw wrongKey(key, "*rsa.PrivateKey", "failed to produce rsa.PrivateKey");
          }
          RSAPrivateKey pk = rsa.toRSAPrivateKey();
          int bits = pk.getModulus().bitLength();
          if (Signatures.rsaKeyTooSmall(pk)) {
            throw BuiltinException.error("crypto/rsa: " + bits + "-bit keys are insecure "
                + "(see https://go.dev/pkg/crypto/rsa#hdr-Minimum_key_size)");
          }
          yield alg.family() == JwsAlgorithm.Family.RSA ? Signatures.sign(pk, alg.jdkName(), input)
              : Signatures.signPss(pk, alg.hash(), input);
        }
        case ECDSA -> {
          if (!(key instanceof ECKey ec) || !ec.isPrivate()) {
            throw wrongKey(key, "*ecdsa.PrivateKey", "keyconv: failed to produce ecdsa.PrivateKey");
          }
          yield Signatures.sign(ec.toECPrivateKey(), alg.jdkName() + "inP1363Format", input);
        }
        case EDDSA -> {
          if (!(key instanceof OctetKeyPair okp) || !okp.isPrivate() || !Curve.Ed25519.equals(okp.getCurve())) {
            throw wrongKey(key, "ed25519.PrivateKey", "failed to produce ed25519.PrivateKey");
          }
          yield Signatures.sign(GoPrivateKey.Ed25519.ed25519(okp.getDecodedD()), "Ed25519", input);
        }
      };
    } catch (JOSEException | GeneralSecurityException | CryptoError e) {
      throw BuiltinException.error("jwsbb.Sign: " + e.getMessage());
    }
  }

  private static BuiltinException wrongKey(JWK key, String required, String conversion) {
    String type = goType(key);
    return BuiltinException.error("jwsbb.Sign: invalid key type " + type + ". " + required + " is required: "
        + conversion + " from " + type + ": jwk.Export: no suitable exporter found for key type '" + type + "'");
  }

  /** The Go type name jwx gives the key, as it appears in its errors. */
  private static String goType(JWK key) {
    String family;
    if (key instanceof RSAKey) {
      family = "rsa";
    } else if (key instanceof ECKey) {
      family = "ecdsa";
    } else if (key instanceof OctetKeyPair) {
      family = "okp";
    } else {
      return "*jwk.symmetricKey";
    }
    return "*jwk." + family + (key.isPrivate() ? "PrivateKey" : "PublicKey");
  }
}
