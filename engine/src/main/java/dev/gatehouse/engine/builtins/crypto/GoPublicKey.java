package dev.gatehouse.engine.builtins.crypto;

import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.Value;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A public key as Go's x509 parses it, with the JSON shape Go gives the corresponding crypto
 * type and a conversion to a JDK key for signature checks.
 */
public sealed interface GoPublicKey {
  /** The value Go's encoding/json produces for the key. */
  Value toValue();

  /** The JDK key, or null for kinds no signature algorithm here uses (DSA, X25519). */
  PublicKey toJava();

  /** *rsa.PublicKey. */
  record Rsa(BigInteger n, BigInteger e) implements GoPublicKey {
    @Override
    public Value toValue() {
      return GoJson.object().put("N", GoJson.big(n)).put("E", GoJson.big(e)).build();
    }

    @Override
    public PublicKey toJava() {
      try {
        return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e));
      } catch (GeneralSecurityException ex) {
        throw new CryptoError("crypto/rsa: " + ex.getMessage());
      }
    }
  }

  /** *ecdsa.PublicKey; Curve marshals as {} because its fields are unexported. */
  record Ecdsa(EcCurve curve, BigInteger x, BigInteger y) implements GoPublicKey {
    @Override
    public Value toValue() {
      return GoJson.object().put("Curve", ObjectValue.EMPTY).put("X", GoJson.big(x)).put("Y", GoJson.big(y)).build();
    }

    @Override
    public PublicKey toJava() {
      try {
        return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(new ECPoint(x, y), curve.spec()));
      } catch (GeneralSecurityException ex) {
        throw new CryptoError("ecdsa: " + ex.getMessage());
      }
    }
  }

  /** ed25519.PublicKey, a []byte. */
  record Ed25519(byte[] raw) implements GoPublicKey {
    private static final byte[] SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    @Override
    public Value toValue() {
      return GoJson.bytes(raw);
    }

    @Override
    public PublicKey toJava() {
      byte[] spki = Arrays.copyOf(SPKI_PREFIX, SPKI_PREFIX.length + raw.length);
      System.arraycopy(raw, 0, spki, SPKI_PREFIX.length, raw.length);
      try {
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
      } catch (GeneralSecurityException ex) {
        throw new CryptoError("ed25519: " + ex.getMessage());
      }
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Ed25519 other && Arrays.equals(raw, other.raw);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(raw);
    }
  }

  /** *dsa.PublicKey (Go still parses these, it no longer verifies with them). */
  record Dsa(BigInteger p, BigInteger q, BigInteger g, BigInteger y) implements GoPublicKey {
    @Override
    public Value toValue() {
      return GoJson.object().put("P", GoJson.big(p)).put("Q", GoJson.big(q)).put("G", GoJson.big(g))
          .put("Y", GoJson.big(y)).build();
    }

    @Override
    public PublicKey toJava() {
      return null;
    }
  }

  /** *ecdh.PublicKey for X25519: no exported fields. */
  record X25519(byte[] raw) implements GoPublicKey {
    @Override
    public Value toValue() {
      return ObjectValue.EMPTY;
    }

    @Override
    public PublicKey toJava() {
      return null;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof X25519 other && Arrays.equals(raw, other.raw);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(raw);
    }
  }
}
