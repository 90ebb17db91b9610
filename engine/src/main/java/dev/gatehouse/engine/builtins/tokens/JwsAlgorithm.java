package dev.gatehouse.engine.builtins.tokens;

import dev.gatehouse.engine.builtins.crypto.Signatures;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The JWS algorithms OPA supports (its tokenAlgorithms), with the two verification behaviours
 * OPA has: the lenient one of the {@code io.jwt.verify_*} builtins and the one of the JWS
 * library behind {@code io.jwt.decode_verify}.
 */
enum JwsAlgorithm {
  HS256(Family.HMAC, "SHA-256", "HmacSHA256"),
  HS384(Family.HMAC, "SHA-384", "HmacSHA384"),
  HS512(Family.HMAC, "SHA-512", "HmacSHA512"),
  RS256(Family.RSA, "SHA-256", "SHA256withRSA"),
  RS384(Family.RSA, "SHA-384", "SHA384withRSA"),
  RS512(Family.RSA, "SHA-512", "SHA512withRSA"),
  PS256(Family.RSA_PSS, "SHA-256", null),
  PS384(Family.RSA_PSS, "SHA-384", null),
  PS512(Family.RSA_PSS, "SHA-512", null),
  ES256(Family.ECDSA, "SHA-256", "SHA256withECDSA"),
  ES384(Family.ECDSA, "SHA-384", "SHA384withECDSA"),
  ES512(Family.ECDSA, "SHA-512", "SHA512withECDSA"),
  EdDSA(Family.EDDSA, null, "Ed25519");

  enum Family { HMAC, RSA, RSA_PSS, ECDSA, EDDSA }

  private final Family family;
  private final String hash;
  private final String jdkName;

  JwsAlgorithm(Family family, String hash, String jdkName) {
    this.family = family;
    this.hash = hash;
    this.jdkName = jdkName;
  }

  Family family() {
    return family;
  }

  String hash() {
    return hash;
  }

  String jdkName() {
    return jdkName;
  }

  static boolean known(String name) {
    return of(name) != null;
  }

  static JwsAlgorithm of(String name) {
    for (JwsAlgorithm a : values()) {
      if (a.name().equals(name)) {
        return a;
      }
    }
    return null;
  }

  /**
   * The io.jwt.verify_* check: the key must be a public key of the right kind (a key from a
   * private JWK is refused), PSS salt lengths are recovered, ECDSA takes the signature's halves.
   */
  boolean verifyAsBuiltin(VerificationKey key, byte[] input, byte[] signature) {
    if (key.fromPrivateJwk()) {
      return false;
    }
    return switch (family) {
      case RSA -> key.kind() == VerificationKey.Kind.RSA
          && Signatures.verifyPkcs1(key.publicKey(), jdkName, input, signature);
      case RSA_PSS -> key.kind() == VerificationKey.Kind.RSA
          && Signatures.verifyPss(key.publicKey(), hash, input, signature, null);
      case ECDSA -> {
        if (key.kind() != VerificationKey.Kind.EC) {
          yield false;
        }
        int n = signature.length / 2;
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(signature, 0, n));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, n, signature.length));
        yield Signatures.verifyEcdsa(key.publicKey(), jdkName, input, r, s);
      }
      case EDDSA -> key.kind() == VerificationKey.Kind.ED25519
          && Signatures.verifyEd25519(key.publicKey(), input, signature);
      case HMAC -> false;
    };
  }

  /**
   * The decode_verify check (OPA's JWS library): HMAC needs a symmetric key, PSS salts must be
   * as long as the hash, ECDSA signatures must be exactly two coordinates of the key's curve.
   */
  boolean verifyAsJws(VerificationKey key, byte[] input, byte[] signature) {
    return switch (family) {
      case HMAC -> key.kind() == VerificationKey.Kind.SECRET && MessageDigest.isEqual(signature, hmac(key.secret(), input));
      case RSA -> key.kind() == VerificationKey.Kind.RSA
          && Signatures.verifyPkcs1(key.publicKey(), jdkName, input, signature);
      case RSA_PSS -> key.kind() == VerificationKey.Kind.RSA
          && Signatures.verifyPss(key.publicKey(), hash, input, signature, Signatures.digest(hash, new byte[0]).length);
      case ECDSA -> {
        if (key.kind() != VerificationKey.Kind.EC) {
          yield false;
        }
        int size = (((ECPublicKey) key.publicKey()).getParams().getCurve().getField().getFieldSize() + 7) / 8;
        if (signature.length != 2 * size) {
          yield false;
        }
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(signature, 0, size));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, size, signature.length));
        yield Signatures.verifyEcdsa(key.publicKey(), jdkName, input, r, s);
      }
      case EDDSA -> key.kind() == VerificationKey.Kind.ED25519
          && Signatures.verifyEd25519(key.publicKey(), input, signature);
    };
  }

  /** HMAC as Go computes it: an empty key is a valid key (equivalent to one zero byte). */
  byte[] hmac(byte[] secret, byte[] input) {
    try {
      Mac mac = Mac.getInstance(jdkName);
      mac.init(new SecretKeySpec(secret.length == 0 ? new byte[1] : secret, jdkName));
      return mac.doFinal(input);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
