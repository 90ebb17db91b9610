package dev.gatehouse.engine.builtins.crypto;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Arrays;

/**
 * Signature checks and signing through the JDK, with Go's acceptance rules where they differ:
 * RSA keys under 1024 bits are refused (Go 1.24+), PSS can recover the salt length (Go's
 * PSSSaltLengthAuto, which the JDK has no mode for), and ECDSA takes (r, s) of any length.
 * Verification never throws: a malformed signature or an unusable key is simply "not valid".
 */
public final class Signatures {
  private static final int MIN_RSA_BITS = 1024;

  private Signatures() {}

  /** JDK digest names: SHA-256, SHA-384, SHA-512 (and SHA-1/MD5 for x509 checks). */
  public static byte[] digest(String hash, byte[] data) {
    try {
      return MessageDigest.getInstance(hash).digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public static boolean rsaKeyTooSmall(RSAKey key) {
    return key.getModulus().bitLength() < MIN_RSA_BITS;
  }

  /** RSASSA-PKCS1-v1_5 with a JDK algorithm name such as SHA256withRSA. */
  public static boolean verifyPkcs1(PublicKey key, String jdkAlgorithm, byte[] message, byte[] signature) {
    if (!(key instanceof RSAPublicKey rsa) || rsaKeyTooSmall(rsa)) {
      return false;
    }
    return verify(key, jdkAlgorithm, message, signature);
  }

  /**
   * RSASSA-PSS with MGF1 over the message hash; saltLength null recovers it from the encoding
   * (Go's PSSSaltLengthAuto), otherwise it must match exactly.
   */
  public static boolean verifyPss(PublicKey key, String hash, byte[] message, byte[] signature, Integer saltLength) {
    if (!(key instanceof RSAPublicKey rsa) || rsaKeyTooSmall(rsa)) {
      return false;
    }
    BigInteger n = rsa.getModulus();
    int k = (n.bitLength() + 7) / 8;
    if (signature.length != k) {
      return false;
    }
    BigInteger s = new BigInteger(1, signature);
    if (s.compareTo(n) >= 0) {
      return false;
    }
    int emBits = n.bitLength() - 1;
    int emLen = (emBits + 7) / 8;
    byte[] m = s.modPow(rsa.getPublicExponent(), n).toByteArray();
    byte[] em = new byte[emLen];
    int start = 0;
    while (start < m.length - 1 && m[start] == 0) {
      start++;
    }
    if (m.length - start > emLen) {
      return false;
    }
    System.arraycopy(m, start, em, emLen - (m.length - start), m.length - start);
    byte[] mHash = digest(hash, message);
    int hLen = mHash.length;
    if (emLen < hLen + (saltLength == null ? 0 : saltLength) + 2 || (em[emLen - 1] & 0xff) != 0xbc) {
      return false;
    }
    int dbLen = emLen - hLen - 1;
    byte[] db = Arrays.copyOf(em, dbLen);
    byte[] h = Arrays.copyOfRange(em, dbLen, dbLen + hLen);
    int topBits = 8 * emLen - emBits;
    int topMask = 0xff >> topBits;
    if ((db[0] & 0xff & ~topMask) != 0) {
      return false;
    }
    byte[] mask = mgf1(hash, h, dbLen);
    for (int i = 0; i < dbLen; i++) {
      db[i] ^= mask[i];
    }
    db[0] &= (byte) topMask;
    int sep;
    if (saltLength == null) {
      sep = 0;
      while (sep < dbLen && db[sep] == 0) {
        sep++;
      }
      if (sep == dbLen || db[sep] != 1) {
        return false;
      }
    } else {
      sep = dbLen - saltLength - 1;
      for (int i = 0; i < sep; i++) {
        if (db[i] != 0) {
          return false;
        }
      }
      if (db[sep] != 1) {
        return false;
      }
    }
    byte[] salt = Arrays.copyOfRange(db, sep + 1, dbLen);
    ByteArrayOutputStream mPrime = new ByteArrayOutputStream();
    mPrime.writeBytes(new byte[8]);
    mPrime.writeBytes(mHash);
    mPrime.writeBytes(salt);
    return MessageDigest.isEqual(h, digest(hash, mPrime.toByteArray()));
  }

  /** ECDSA over an ASN.1 DER signature, as x509 uses it; algorithm like SHA256withECDSA. */
  public static boolean verifyEcdsaDer(PublicKey key, String jdkAlgorithm, byte[] message, byte[] der) {
    return key instanceof ECPublicKey && verify(key, jdkAlgorithm, message, der);
  }

  /** ECDSA over r and s, as JWS splits them (Go's verifyES takes two equal halves of any size). */
  public static boolean verifyEcdsa(PublicKey key, String jdkAlgorithm, byte[] message, BigInteger r, BigInteger s) {
    if (!(key instanceof ECPublicKey ec)) {
      return false;
    }
    BigInteger order = ec.getParams().getOrder();
    if (r.signum() <= 0 || s.signum() <= 0 || r.compareTo(order) >= 0 || s.compareTo(order) >= 0) {
      return false;
    }
    return verify(key, jdkAlgorithm, message, derSignature(r, s));
  }

  public static boolean verifyEd25519(PublicKey key, byte[] message, byte[] signature) {
    return signature.length == 64 && verify(key, "Ed25519", message, signature);
  }

  private static boolean verify(PublicKey key, String algorithm, byte[] message, byte[] signature) {
    try {
      Signature v = Signature.getInstance(algorithm);
      v.initVerify(key);
      v.update(message);
      return v.verify(signature);
    } catch (GeneralSecurityException | IllegalArgumentException | ClassCastException e) {
      return false;
    }
  }

  /** Signs with a JDK algorithm name (RSA PKCS #1 v1.5, ECDSA in P1363 form, Ed25519). */
  public static byte[] sign(PrivateKey key, String jdkAlgorithm, byte[] message) throws GeneralSecurityException {
    Signature s = Signature.getInstance(jdkAlgorithm);
    s.initSign(key, new SecureRandom());
    s.update(message);
    return s.sign();
  }

  /** RSASSA-PSS with MGF1 and a salt as long as the hash, as JWS PS256/384/512 require. */
  public static byte[] signPss(PrivateKey key, String hash, byte[] message) throws GeneralSecurityException {
    Signature s = Signature.getInstance("RSASSA-PSS");
    int saltLen = digest(hash, new byte[0]).length;
    s.setParameter(new PSSParameterSpec(hash, "MGF1", new MGF1ParameterSpec(hash), saltLen, 1));
    s.initSign(key, new SecureRandom());
    s.update(message);
    return s.sign();
  }

  static byte[] derSignature(BigInteger r, BigInteger s) {
    byte[] rb = r.toByteArray();
    byte[] sb = s.toByteArray();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    writeTlv(body, 0x02, rb);
    writeTlv(body, 0x02, sb);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writeTlv(out, 0x30, body.toByteArray());
    return out.toByteArray();
  }

  static void writeTlv(ByteArrayOutputStream out, int tag, byte[] content) {
    out.write(tag);
    int len = content.length;
    if (len < 128) {
      out.write(len);
    } else if (len < 256) {
      out.write(0x81);
      out.write(len);
    } else if (len < 65536) {
      out.write(0x82);
      out.write(len >> 8);
      out.write(len);
    } else {
      out.write(0x83);
      out.write(len >> 16);
      out.write(len >> 8);
      out.write(len);
    }
    out.writeBytes(content);
  }

  private static byte[] mgf1(String hash, byte[] seed, int length) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int counter = 0; out.size() < length; counter++) {
      byte[] c = {(byte) (counter >>> 24), (byte) (counter >>> 16), (byte) (counter >>> 8), (byte) counter};
      byte[] in = Arrays.copyOf(seed, seed.length + 4);
      System.arraycopy(c, 0, in, seed.length, 4);
      out.writeBytes(digest(hash, in));
    }
    return Arrays.copyOf(out.toByteArray(), length);
  }
}
