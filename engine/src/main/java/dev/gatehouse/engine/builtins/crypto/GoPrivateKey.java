package dev.gatehouse.engine.builtins.crypto;

import dev.gatehouse.engine.value.ArrayValue;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.Value;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * A private key as Go's x509 parses it, with Go's JSON shape (what crypto.parse_private_keys
 * returns), the JWK that OPA's JWK library builds from it (crypto.x509.parse_rsa_private_key)
 * and the JDK key for signing.
 */
public sealed interface GoPrivateKey {
  Value toValue();

  /** The JWK object (RFC 7517) with the members jwx writes for the key type. */
  ObjectValue toJwk();

  GoPublicKey publicKey();

  PrivateKey toJava();

  /** *rsa.PrivateKey: the embedded public key's fields are flattened into it. */
  record Rsa(BigInteger n, BigInteger e, BigInteger d, List<BigInteger> primes, BigInteger dp, BigInteger dq,
      BigInteger qinv) implements GoPrivateKey {
    @Override
    public Value toValue() {
      return GoJson.object()
          .put("N", GoJson.big(n))
          .put("E", GoJson.big(e))
          .put("D", GoJson.big(d))
          .put("Primes", GoJson.list(primes, GoJson::big))
          .put("Precomputed", GoJson.object().put("Dp", GoJson.big(dp)).put("Dq", GoJson.big(dq))
              .put("Qinv", GoJson.big(qinv)).put("CRTValues", ArrayValue.EMPTY).build())
          .build();
    }

    @Override
    public ObjectValue toJwk() {
      return ObjectValue.builder()
          .put("kty", GoJson.string("RSA"))
          .put("n", b64(n))
          .put("e", b64(e))
          .put("d", b64(d))
          .put("p", b64(primes.get(0)))
          .put("q", b64(primes.get(1)))
          .put("dp", b64(dp))
          .put("dq", b64(dq))
          .put("qi", b64(qinv))
          .build();
    }

    @Override
    public GoPublicKey publicKey() {
      return new GoPublicKey.Rsa(n, e);
    }

    @Override
    public PrivateKey toJava() {
      try {
        return KeyFactory.getInstance("RSA").generatePrivate(
            new RSAPrivateCrtKeySpec(n, e, d, primes.get(0), primes.get(1), dp, dq, qinv));
      } catch (GeneralSecurityException ex) {
        throw new CryptoError("crypto/rsa: " + ex.getMessage());
      }
    }
  }

  /** *ecdsa.PrivateKey: Curve, X, Y from the public key, then D. */
  record Ecdsa(EcCurve curve, BigInteger d, BigInteger x, BigInteger y) implements GoPrivateKey {
    @Override
    public Value toValue() {
      return GoJson.object().put("Curve", ObjectValue.EMPTY).put("X", GoJson.big(x)).put("Y", GoJson.big(y))
          .put("D", GoJson.big(d)).build();
    }

    @Override
    public ObjectValue toJwk() {
      if (curve == EcCurve.P224) {
        // OPA's JWK library has no P-224; Go prints the curve object's internals at this point
        throw new CryptoError("failed to initialize *jwk.ecdsaPrivateKey from *ecdsa.PrivateKey: jwk: failed to get "
            + "algorithm for converting ECDSA private key to JWK: unknown elliptic curve: P-224");
      }
      int size = curve.byteSize();
      return ObjectValue.builder()
          .put("kty", GoJson.string("EC"))
          .put("crv", GoJson.string(curve.jwkName()))
          .put("x", b64(x, size))
          .put("y", b64(y, size))
          .put("d", b64(d, size))
          .build();
    }

    @Override
    public GoPublicKey publicKey() {
      return new GoPublicKey.Ecdsa(curve, x, y);
    }

    @Override
    public PrivateKey toJava() {
      try {
        return KeyFactory.getInstance("EC").generatePrivate(new ECPrivateKeySpec(d, curve.spec()));
      } catch (GeneralSecurityException ex) {
        throw new CryptoError("ecdsa: " + ex.getMessage());
      }
    }
  }

  /** ed25519.PrivateKey: the 32-byte seed followed by the public key. */
  record Ed25519(byte[] seed, byte[] publicKeyBytes) implements GoPrivateKey {
    private static final byte[] PKCS8_PREFIX = HexFormat.of().parseHex("302e020100300506032b657004220420");

    @Override
    public Value toValue() {
      byte[] full = Arrays.copyOf(seed, 64);
      System.arraycopy(publicKeyBytes, 0, full, 32, 32);
      return GoJson.bytes(full);
    }

    @Override
    public ObjectValue toJwk() {
      return ObjectValue.builder()
          .put("kty", GoJson.string("OKP"))
          .put("crv", GoJson.string("Ed25519"))
          .put("x", GoJson.string(GoBase64.encodeRawUrl(publicKeyBytes)))
          .put("d", GoJson.string(GoBase64.encodeRawUrl(seed)))
          .build();
    }

    @Override
    public GoPublicKey publicKey() {
      return new GoPublicKey.Ed25519(publicKeyBytes);
    }

    @Override
    public PrivateKey toJava() {
      return ed25519(seed);
    }

    /** The JDK private key for a 32-byte Ed25519 seed. */
    public static PrivateKey ed25519(byte[] seed) {
      byte[] der = Arrays.copyOf(PKCS8_PREFIX, PKCS8_PREFIX.length + 32);
      System.arraycopy(seed, 0, der, PKCS8_PREFIX.length, 32);
      try {
        return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException ex) {
        throw new CryptoError("ed25519: " + ex.getMessage());
      }
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Ed25519 k && Arrays.equals(seed, k.seed);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(seed);
    }
  }

  /** *ecdh.PrivateKey for X25519: nothing exported, only usable for key agreement. */
  record X25519(byte[] scalar, byte[] publicKeyBytes) implements GoPrivateKey {
    @Override
    public Value toValue() {
      return ObjectValue.EMPTY;
    }

    @Override
    public ObjectValue toJwk() {
      return ObjectValue.builder()
          .put("kty", GoJson.string("OKP"))
          .put("crv", GoJson.string("X25519"))
          .put("x", GoJson.string(GoBase64.encodeRawUrl(publicKeyBytes)))
          .put("d", GoJson.string(GoBase64.encodeRawUrl(scalar)))
          .build();
    }

    @Override
    public GoPublicKey publicKey() {
      return new GoPublicKey.X25519(publicKeyBytes);
    }

    @Override
    public PrivateKey toJava() {
      return null;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof X25519 k && Arrays.equals(scalar, k.scalar);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(scalar);
    }
  }

  /** Unpadded base64url of a big-endian unsigned integer, as JWKs encode them. */
  static Value b64(BigInteger v) {
    byte[] b = v.toByteArray();
    if (b.length > 1 && b[0] == 0) {
      b = Arrays.copyOfRange(b, 1, b.length);
    }
    return GoJson.string(GoBase64.encodeRawUrl(b));
  }

  /** Left-padded to size bytes, as EC coordinates are. */
  static Value b64(BigInteger v, int size) {
    byte[] b = v.toByteArray();
    byte[] out = new byte[size];
    int len = Math.min(size, b.length);
    System.arraycopy(b, b.length - len, out, size - len, len);
    return GoJson.string(GoBase64.encodeRawUrl(out));
  }
}
