package dev.gatehouse.engine.builtins.tokens;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import dev.gatehouse.engine.builtins.BuiltinContext;
import dev.gatehouse.engine.builtins.BuiltinException;
import dev.gatehouse.engine.builtins.crypto.CertificateParser;
import dev.gatehouse.engine.builtins.crypto.CryptoError;
import dev.gatehouse.engine.builtins.crypto.GoPublicKey;
import dev.gatehouse.engine.builtins.crypto.Pem;
import dev.gatehouse.engine.builtins.crypto.PublicKeys;
import dev.gatehouse.engine.value.Json;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.Value;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * OPA's parseKeysFromCertOrJWK: a PEM certificate, a PEM public key, or a JWK or JWK set (parsed
 * with Nimbus). Parsed key lists are cached per policy, as OPA caches them by default.
 */
final class VerificationKeys {
  private static final String CACHE_PREFIX = "io.jwt.keys:";

  private VerificationKeys() {}

  static List<VerificationKey> get(BuiltinContext ctx, String certificate) {
    Object cached = ctx.sharedCache().get(CACHE_PREFIX + certificate);
    if (cached instanceof KeyList list) {
      return list.keys();
    }
    List<VerificationKey> keys = parse(certificate);
    ctx.sharedCache().put(CACHE_PREFIX + certificate, new KeyList(keys));
    return keys;
  }

  /** A cache entry type of our own, so no other cache user can collide with it. */
  private record KeyList(List<VerificationKey> keys) {}

  static List<VerificationKey> parse(String certificate) {
    Pem.Decoded d = Pem.decode(certificate.getBytes(StandardCharsets.UTF_8));
    if (d.block() != null) {
      if (d.rest().length > 0) {
        throw BuiltinException.error("extra data after a PEM certificate block");
      }
      GoPublicKey key;
      if (d.block().type().equals("CERTIFICATE")) {
        try {
          key = CertificateParser.parseOne(d.block().bytes()).publicKey();
        } catch (CryptoError e) {
          throw BuiltinException.error("failed to parse a PEM certificate: " + e.getMessage());
        }
      } else if (d.block().type().equals("PUBLIC KEY")) {
        try {
          key = PublicKeys.parsePkix(d.block().bytes());
        } catch (CryptoError e) {
          throw BuiltinException.error("failed to parse a PEM public key: " + e.getMessage());
        }
      } else {
        throw BuiltinException.error("failed to extract a Key from the PEM certificate");
      }
      return List.of(fromGo(key));
    }
    return fromJwk(certificate);
  }

  private static VerificationKey fromGo(GoPublicKey key) {
    VerificationKey.Kind kind;
    if (key instanceof GoPublicKey.Rsa) {
      kind = VerificationKey.Kind.RSA;
    } else if (key instanceof GoPublicKey.Ecdsa) {
      kind = VerificationKey.Kind.EC;
    } else if (key instanceof GoPublicKey.Ed25519) {
      kind = VerificationKey.Kind.ED25519;
    } else {
      return new VerificationKey("", "", VerificationKey.Kind.UNUSABLE, null, null, false);
    }
    PublicKey jdk;
    try {
      jdk = key.toJava();
    } catch (CryptoError e) {
      return new VerificationKey("", "", VerificationKey.Kind.UNUSABLE, null, null, false);
    }
    return new VerificationKey("", "", kind, jdk, null, false);
  }

  private static List<VerificationKey> fromJwk(String text) {
    Value json;
    try {
      json = JwkErrors.check(text);
    } catch (BuiltinException e) {
      throw BuiltinException.error("failed to parse a JWK key (set): jwk.ParseString: failed to parse string: "
          + e.getMessage());
    }
    List<JWK> jwks;
    try {
      if (json instanceof ObjectValue o && o.get("keys") != null) {
        jwks = JWKSet.parse(Json.write(json)).getKeys();
      } else {
        jwks = List.of(JWK.parse(Json.write(json)));
      }
    } catch (ParseException | IllegalArgumentException e) {
      throw BuiltinException.error("failed to parse a JWK key (set): " + e.getMessage());
    }
    List<VerificationKey> keys = new ArrayList<>(jwks.size());
    for (JWK k : jwks) {
      String alg = k.getAlgorithm() == null ? "" : k.getAlgorithm().getName();
      if (!alg.isEmpty() && !JwsAlgorithm.known(alg)) {
        continue; // keys for algorithms OPA does not support are skipped
      }
      String kid = k.getKeyID() == null ? "" : k.getKeyID();
      keys.add(export(k, alg, kid));
    }
    return keys;
  }

  private static VerificationKey export(JWK k, String alg, String kid) {
    try {
      if (k instanceof RSAKey rsa) {
        return new VerificationKey(alg, kid, VerificationKey.Kind.RSA, rsa.toRSAPublicKey(), null, rsa.isPrivate());
      }
      if (k instanceof ECKey ec) {
        return new VerificationKey(alg, kid, VerificationKey.Kind.EC, ec.toECPublicKey(), null, ec.isPrivate());
      }
      if (k instanceof OctetKeyPair okp) {
        if (!Curve.Ed25519.equals(okp.getCurve())) {
          return new VerificationKey(alg, kid, VerificationKey.Kind.UNUSABLE, null, null, okp.isPrivate());
        }
        PublicKey pub = new GoPublicKey.Ed25519(okp.getDecodedX()).toJava();
        return new VerificationKey(alg, kid, VerificationKey.Kind.ED25519, pub, null, okp.isPrivate());
      }
      if (k instanceof OctetSequenceKey oct) {
        return new VerificationKey(alg, kid, VerificationKey.Kind.SECRET, null, oct.toByteArray(), false);
      }
    } catch (JOSEException | CryptoError e) {
      throw BuiltinException.error("failed to export JWK: " + e.getMessage());
    }
    return new VerificationKey(alg, kid, VerificationKey.Kind.UNUSABLE, null, null, false);
  }
}
