package dev.gatehouse.engine.builtins.crypto;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;
import java.util.List;

/**
 * PKCS #1, PKCS #8 and SEC 1 private keys, parsed with the checks and messages of Go's
 * x509.ParsePKCS1PrivateKey, ParsePKCS8PrivateKey and ParseECPrivateKey.
 */
public final class PrivateKeyParser {
  private PrivateKeyParser() {}

  public static GoPrivateKey.Rsa pkcs1(byte[] der) {
    Der.Reader top = new Der.Reader(der);
    Der.Element seq = top.read(Der.SEQUENCE);
    BigInteger[] f = seq == null ? null : integers(seq, 6);
    if (f == null) {
      if (looksLikeEc(der)) {
        throw new CryptoError("x509: failed to parse private key (use ParseECPrivateKey instead for this key format)");
      }
      if (looksLikePkcs8(der)) {
        throw new CryptoError("x509: failed to parse private key (use ParsePKCS8PrivateKey instead for this key format)");
      }
      throw new CryptoError(seq == null ? Asn1Errors.structure(der, "pkcs1PrivateKey")
          : Asn1Errors.firstBadField(seq, new int[] {Der.INTEGER, Der.INTEGER, Der.INTEGER, Der.INTEGER, Der.INTEGER,
              Der.INTEGER}, new String[] {"int", "", "int", "", "", ""}));
    }
    if (!top.empty()) {
      throw new CryptoError("asn1: syntax error: trailing data");
    }
    Der.Reader rest = seq.reader();
    for (int i = 0; i < 6; i++) {
      rest.readAny();
    }
    // the CRT values are optional in Go's struct; Go computes missing ones
    BigInteger dp = rest.peek(Der.INTEGER) ? rest.readBigInteger() : null;
    BigInteger dq = dp != null && rest.peek(Der.INTEGER) ? rest.readBigInteger() : null;
    BigInteger qinv = dq != null && rest.peek(Der.INTEGER) ? rest.readBigInteger() : null;
    if (!rest.empty()) {
      throw new CryptoError("crypto/rsa: multi-prime RSA keys are not supported");
    }
    BigInteger version = f[0];
    if (version.compareTo(BigInteger.ONE) > 0) {
      throw new CryptoError("x509: unsupported private key version");
    }
    BigInteger n = f[1];
    BigInteger e = f[2];
    BigInteger d = f[3];
    BigInteger p = f[4];
    BigInteger q = f[5];
    if (e.bitLength() > 63) {
      throw new CryptoError("asn1: structure error: integer too large");
    }
    for (BigInteger v : new BigInteger[] {n, d, p, q, dp, dq, qinv}) {
      if (v != null && v.signum() <= 0) {
        throw new CryptoError("x509: private key contains zero or negative value");
      }
    }
    if (dp == null || dq == null || qinv == null) {
      if (p.compareTo(BigInteger.ONE) <= 0 || q.compareTo(BigInteger.ONE) <= 0) {
        throw new CryptoError("crypto/rsa: invalid prime");
      }
      dp = d.mod(p.subtract(BigInteger.ONE));
      dq = d.mod(q.subtract(BigInteger.ONE));
      try {
        qinv = q.modInverse(p);
      } catch (ArithmeticException ex) {
        throw new CryptoError("crypto/rsa: invalid prime");
      }
    }
    validateRsa(n, e, d, p, q, dp, dq, qinv);
    return new GoPrivateKey.Rsa(n, e, d, List.of(p, q), dp, dq, qinv);
  }

  /** The consistency checks of Go's FIPS RSA key constructor. */
  private static void validateRsa(BigInteger n, BigInteger e, BigInteger d, BigInteger p, BigInteger q,
      BigInteger dp, BigInteger dq, BigInteger qinv) {
    if (!n.testBit(0)) {
      throw new CryptoError("crypto/rsa: public modulus is even");
    }
    if (e.compareTo(BigInteger.TWO) < 0) {
      throw new CryptoError("crypto/rsa: public exponent too small or negative");
    }
    if (!e.testBit(0)) {
      throw new CryptoError("crypto/rsa: public exponent is even");
    }
    if (e.bitLength() > 31) {
      throw new CryptoError("crypto/rsa: public exponent too large");
    }
    if (!p.testBit(0) || !q.testBit(0)) {
      throw new CryptoError("crypto/rsa: p is even");
    }
    if (p.compareTo(n) >= 0 || q.compareTo(n) >= 0) {
      throw new CryptoError("crypto/rsa: invalid prime");
    }
    if (!p.multiply(q).equals(n)) {
      throw new CryptoError("crypto/rsa: p * q != n");
    }
    BigInteger p1 = p.subtract(BigInteger.ONE);
    BigInteger q1 = q.subtract(BigInteger.ONE);
    if (dp.compareTo(p1) >= 0 || !dp.multiply(e).mod(p1).equals(BigInteger.ONE)) {
      throw new CryptoError("crypto/rsa: invalid CRT exponent");
    }
    if (dq.compareTo(q1) >= 0 || !dq.multiply(e).mod(q1).equals(BigInteger.ONE)) {
      throw new CryptoError("crypto/rsa: invalid CRT exponent");
    }
    if (qinv.compareTo(p) >= 0 || !qinv.multiply(q).mod(p).equals(BigInteger.ONE)) {
      throw new CryptoError("crypto/rsa: invalid CRT coefficient");
    }
    if (d.compareTo(n) >= 0) {
      throw new CryptoError("crypto/rsa: invalid private exponent");
    }
    if (!d.mod(p1).equals(dp)) {
      throw new CryptoError("crypto/rsa: d does not match dP");
    }
    if (!d.mod(q1).equals(dq)) {
      throw new CryptoError("crypto/rsa: d does not match dQ");
    }
    if (p.equals(q)) {
      throw new CryptoError("crypto/rsa: p == q");
    }
  }

  public static GoPrivateKey pkcs8(byte[] der) {
    Der.Element seq = new Der.Reader(der).read(Der.SEQUENCE);
    Der.Reader r = seq == null ? null : seq.reader();
    BigInteger version = r == null ? null : r.readBigInteger();
    Der.Element algo = version == null ? null : r.read(Der.SEQUENCE);
    Der.Element key = algo == null ? null : r.read(Der.OCTET_STRING);
    if (key == null) {
      if (looksLikeEc(der)) {
        throw new CryptoError("x509: failed to parse private key (use ParseECPrivateKey instead for this key format)");
      }
      if (seq != null && integers(seq, 6) != null) {
        throw new CryptoError("x509: failed to parse private key (use ParsePKCS1PrivateKey instead for this key format)");
      }
      throw new CryptoError(seq == null ? Asn1Errors.structure(der, "pkcs8")
          : Asn1Errors.firstBadField(seq, new int[] {Der.INTEGER, Der.SEQUENCE, Der.OCTET_STRING},
              new String[] {"int", "AlgorithmIdentifier", ""}));
    }
    PublicKeys.AlgorithmId alg = PublicKeys.algorithm(algo.reader());
    byte[] inner = key.content();
    if (Arrays.equals(alg.oid(), PublicKeys.RSA)) {
      try {
        return pkcs1(inner);
      } catch (CryptoError e) {
        throw new CryptoError("x509: failed to parse RSA private key embedded in PKCS#8: " + e.getMessage());
      }
    }
    if (Arrays.equals(alg.oid(), PublicKeys.ECDSA)) {
      int[] curve = new Der.Reader(alg.params()).readOid();
      try {
        return ec(curve, inner);
      } catch (CryptoError e) {
        throw new CryptoError("x509: failed to parse EC private key embedded in PKCS#8: " + e.getMessage());
      }
    }
    if (Arrays.equals(alg.oid(), PublicKeys.ED25519)) {
      if (alg.params().length != 0) {
        throw new CryptoError("x509: invalid Ed25519 private key parameters");
      }
      Der.Element seed = new Der.Reader(inner).read(Der.OCTET_STRING);
      if (seed == null) {
        throw new CryptoError("x509: invalid Ed25519 private key: " + Asn1Errors.field(inner, 0, Der.OCTET_STRING, ""));
      }
      if (seed.contentLength() != 32) {
        throw new CryptoError("x509: invalid Ed25519 private key length: " + seed.contentLength());
      }
      return ed25519(seed.content());
    }
    if (Arrays.equals(alg.oid(), PublicKeys.X25519)) {
      if (alg.params().length != 0) {
        throw new CryptoError("x509: invalid X25519 private key parameters");
      }
      Der.Element scalar = new Der.Reader(inner).read(Der.OCTET_STRING);
      if (scalar == null) {
        throw new CryptoError("x509: invalid X25519 private key: " + Asn1Errors.field(inner, 0, Der.OCTET_STRING, ""));
      }
      if (scalar.contentLength() != 32) {
        throw new CryptoError("crypto/ecdh: invalid private key size");
      }
      byte[] k = scalar.content();
      return new GoPrivateKey.X25519(k, derivedPublic("X25519", NamedParameterSpec.X25519, k));
    }
    throw new CryptoError("x509: PKCS#8 wrapping contained private key with unknown algorithm: " + Der.dotted(alg.oid()));
  }

  public static GoPrivateKey.Ecdsa sec1(byte[] der) {
    return ec(null, der);
  }

  /** Go's parseECPrivateKey; curveOid from PKCS #8 parameters overrides the embedded one. */
  private static GoPrivateKey.Ecdsa ec(int[] curveOid, byte[] der) {
    Der.Element seq = new Der.Reader(der).read(Der.SEQUENCE);
    Der.Reader r = seq == null ? null : seq.reader();
    BigInteger version = r == null ? null : r.readBigInteger();
    Der.Element priv = version == null ? null : r.read(Der.OCTET_STRING);
    if (priv == null) {
      if (looksLikePkcs8(der)) {
        throw new CryptoError("x509: failed to parse private key (use ParsePKCS8PrivateKey instead for this key format)");
      }
      if (seq != null && integers(seq, 6) != null) {
        throw new CryptoError("x509: failed to parse private key (use ParsePKCS1PrivateKey instead for this key format)");
      }
      throw new CryptoError("x509: failed to parse EC private key: " + (seq == null
          ? Asn1Errors.structure(der, "ecPrivateKey")
          : Asn1Errors.firstBadField(seq, new int[] {Der.INTEGER, Der.OCTET_STRING}, new String[] {"int", ""})));
    }
    int[] embedded = null;
    Der.Optional params = r.optional(Der.constructed(0));
    if (params.present()) {
      embedded = params.element().reader().readOid();
    }
    if (!version.equals(BigInteger.ONE)) {
      throw new CryptoError("x509: unknown EC private key version " + version);
    }
    EcCurve curve = EcCurve.byOid(curveOid != null ? curveOid : embedded == null ? new int[0] : embedded);
    if (curve == null) {
      throw new CryptoError("x509: unknown elliptic curve");
    }
    byte[] k = priv.content();
    int size = curve.byteSize();
    int start = 0;
    while (k.length - start > size) {
      if (k[start] != 0) {
        throw new CryptoError("x509: invalid private key length");
      }
      start++;
    }
    BigInteger d = new BigInteger(1, Arrays.copyOfRange(k, start, k.length));
    if (d.signum() == 0) {
      throw new CryptoError("ecdsa: private key is zero");
    }
    if (d.compareTo(curve.order()) >= 0) {
      throw new CryptoError("ecdsa: invalid private key");
    }
    BigInteger[] q = curve.multiplyBase(d);
    return new GoPrivateKey.Ecdsa(curve, d, q[0], q[1]);
  }

  /** ed25519.NewKeyFromSeed; the public half comes from the JDK's own key derivation. */
  static GoPrivateKey.Ed25519 ed25519(byte[] seed) {
    try {
      return new GoPrivateKey.Ed25519(seed.clone(), derivedPublic("Ed25519", NamedParameterSpec.ED25519, seed));
    } catch (CryptoError e) {
      throw new CryptoError("ed25519: " + e.getMessage());
    }
  }

  /** The raw public key the JDK derives from a 32-byte private key of an RFC 8032/7748 curve. */
  private static byte[] derivedPublic(String algorithm, NamedParameterSpec spec, byte[] secret) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
      g.initialize(spec, new FixedBytes(secret));
      KeyPair kp = g.generateKeyPair();
      byte[] spki = kp.getPublic().getEncoded();
      return Arrays.copyOfRange(spki, spki.length - 32, spki.length);
    } catch (GeneralSecurityException e) {
      throw new CryptoError(e.getMessage());
    }
  }

  /** A "random" source that yields the given seed, which makes the JDK derive that key pair. */
  private static final class FixedBytes extends SecureRandom {
    private static final long serialVersionUID = 1L;
    private final byte[] bytes;

    FixedBytes(byte[] bytes) {
      this.bytes = bytes.clone();
    }

    @Override
    public void nextBytes(byte[] out) {
      System.arraycopy(bytes, 0, out, 0, Math.min(bytes.length, out.length));
    }
  }

  /** The first n elements of a SEQUENCE as INTEGERs, or null. */
  private static BigInteger[] integers(Der.Element seq, int n) {
    Der.Reader r = seq.reader();
    BigInteger[] out = new BigInteger[n];
    for (int i = 0; i < n; i++) {
      out[i] = r.readBigInteger();
      if (out[i] == null) {
        return null;
      }
    }
    return out;
  }

  private static boolean looksLikeEc(byte[] der) {
    Der.Element seq = new Der.Reader(der).read(Der.SEQUENCE);
    if (seq == null) {
      return false;
    }
    Der.Reader r = seq.reader();
    return r.readBigInteger() != null && r.read(Der.OCTET_STRING) != null;
  }

  private static boolean looksLikePkcs8(byte[] der) {
    Der.Element seq = new Der.Reader(der).read(Der.SEQUENCE);
    if (seq == null) {
      return false;
    }
    Der.Reader r = seq.reader();
    return r.readBigInteger() != null && r.read(Der.SEQUENCE) != null && r.read(Der.OCTET_STRING) != null;
  }
}
