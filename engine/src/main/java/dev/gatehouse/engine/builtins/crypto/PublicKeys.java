package dev.gatehouse.engine.builtins.crypto;

import java.math.BigInteger;
import java.util.Arrays;

/** SubjectPublicKeyInfo parsing with Go's x509 rules and messages. */
public final class PublicKeys {
  static final int[] RSA = {1, 2, 840, 113549, 1, 1, 1};
  static final int[] DSA = {1, 2, 840, 10040, 4, 1};
  static final int[] ECDSA = {1, 2, 840, 10045, 2, 1};
  static final int[] X25519 = {1, 3, 101, 110};
  static final int[] ED25519 = {1, 3, 101, 112};

  private PublicKeys() {}

  /** Go's x509.PublicKeyAlgorithm numbering (X25519 has none and counts as unknown). */
  static int algorithmNumber(int[] oid) {
    if (Arrays.equals(oid, RSA)) {
      return 1;
    }
    if (Arrays.equals(oid, DSA)) {
      return 2;
    }
    if (Arrays.equals(oid, ECDSA)) {
      return 3;
    }
    if (Arrays.equals(oid, ED25519)) {
      return 4;
    }
    return 0;
  }

  /** An AlgorithmIdentifier: the OID and the parameters' full encoding (empty when absent). */
  record AlgorithmId(int[] oid, byte[] params) {}

  /** Go's parseAI over the contents of an AlgorithmIdentifier SEQUENCE. */
  static AlgorithmId algorithm(Der.Reader r) {
    int[] oid = r.readOid();
    if (oid == null) {
      throw new CryptoError("x509: malformed OID");
    }
    if (r.empty()) {
      return new AlgorithmId(oid, new byte[0]);
    }
    Der.Element params = r.readAny();
    if (params == null) {
      throw new CryptoError("x509: malformed parameters");
    }
    return new AlgorithmId(oid, params.encoded());
  }

  /** x509.ParsePKIXPublicKey, for PEM "PUBLIC KEY" blocks. */
  public static GoPublicKey parsePkix(byte[] der) {
    Der.Reader top = new Der.Reader(der);
    Der.Element spki = top.read(Der.SEQUENCE);
    if (spki == null) {
      throw new CryptoError(Asn1Errors.structure(der, "publicKeyInfo"));
    }
    if (!top.empty()) {
      throw new CryptoError("x509: trailing data after ASN.1 of public-key");
    }
    Der.Reader r = spki.reader();
    Der.Element ai = r.read(Der.SEQUENCE);
    Der.BitString key = ai == null ? null : r.readBitString();
    if (key == null) {
      throw new CryptoError(Asn1Errors.firstBadField(spki, new int[] {Der.SEQUENCE, Der.BIT_STRING},
          new String[] {"AlgorithmIdentifier", "BitString"}));
    }
    AlgorithmId alg = algorithm(ai.reader());
    if (Arrays.equals(alg.oid(), X25519)) {
      return parse(alg, key, true);
    }
    return parse(alg, key, false);
  }

  /** Go's parsePublicKey. */
  static GoPublicKey parse(AlgorithmId alg, Der.BitString bits, boolean allowX25519) {
    byte[] data = bits.rightAlign();
    int[] oid = alg.oid();
    if (Arrays.equals(oid, RSA)) {
      if (!Arrays.equals(alg.params(), Der.NULL_BYTES)) {
        throw new CryptoError("x509: RSA key missing NULL parameters");
      }
      Der.Element seq = new Der.Reader(data).read(Der.SEQUENCE);
      if (seq == null) {
        throw new CryptoError("x509: invalid RSA public key");
      }
      Der.Reader r = seq.reader();
      BigInteger n = r.readBigInteger();
      if (n == null) {
        throw new CryptoError("x509: invalid RSA modulus");
      }
      Long e = r.readInt64(Der.INTEGER);
      if (e == null) {
        throw new CryptoError("x509: invalid RSA public exponent");
      }
      if (n.signum() <= 0) {
        throw new CryptoError("x509: RSA modulus is not a positive number");
      }
      if (e <= 0) {
        throw new CryptoError("x509: RSA public exponent is not a positive number");
      }
      return new GoPublicKey.Rsa(n, BigInteger.valueOf(e));
    }
    if (Arrays.equals(oid, ECDSA)) {
      int[] curveOid = new Der.Reader(alg.params()).readOid();
      if (curveOid == null) {
        throw new CryptoError("x509: invalid ECDSA parameters");
      }
      EcCurve curve = EcCurve.byOid(curveOid);
      if (curve == null) {
        throw new CryptoError("x509: unsupported elliptic curve");
      }
      return uncompressedPoint(curve, data);
    }
    if (Arrays.equals(oid, ED25519)) {
      if (alg.params().length != 0) {
        throw new CryptoError("x509: Ed25519 key encoded with illegal parameters");
      }
      if (data.length != 32) {
        throw new CryptoError("x509: wrong Ed25519 public key size");
      }
      return new GoPublicKey.Ed25519(data);
    }
    if (allowX25519 && Arrays.equals(oid, X25519)) {
      if (alg.params().length != 0) {
        throw new CryptoError("x509: X25519 key encoded with illegal parameters");
      }
      if (data.length != 32) {
        throw new CryptoError("crypto/ecdh: invalid public key");
      }
      return new GoPublicKey.X25519(data);
    }
    if (Arrays.equals(oid, DSA)) {
      BigInteger y = new Der.Reader(data).readBigInteger();
      if (y == null) {
        throw new CryptoError("x509: invalid DSA public key");
      }
      Der.Element params = new Der.Reader(alg.params()).read(Der.SEQUENCE);
      Der.Reader pr = params == null ? null : params.reader();
      BigInteger p = pr == null ? null : pr.readBigInteger();
      BigInteger q = p == null ? null : pr.readBigInteger();
      BigInteger g = q == null ? null : pr.readBigInteger();
      if (g == null) {
        throw new CryptoError("x509: invalid DSA parameters");
      }
      if (y.signum() <= 0 || p.signum() <= 0 || q.signum() <= 0 || g.signum() <= 0) {
        throw new CryptoError("x509: zero or negative DSA parameter");
      }
      return new GoPublicKey.Dsa(p, q, g, y);
    }
    throw new CryptoError("x509: unknown public key algorithm");
  }

  /** ecdsa.ParseUncompressedPublicKey. */
  static GoPublicKey.Ecdsa uncompressedPoint(EcCurve curve, byte[] data) {
    if (data.length < 1 || data[0] != 4) {
      throw new CryptoError("ecdsa: invalid uncompressed public key");
    }
    int size = curve.byteSize();
    if (data.length != 1 + 2 * size) {
      throw new CryptoError("invalid " + curve.goName() + " point encoding");
    }
    BigInteger x = new BigInteger(1, Arrays.copyOfRange(data, 1, 1 + size));
    BigInteger y = new BigInteger(1, Arrays.copyOfRange(data, 1 + size, data.length));
    if (!curve.onCurve(x, y)) {
      throw new CryptoError(curve.goName() + " point not on curve");
    }
    return new GoPublicKey.Ecdsa(curve, x, y);
  }
}
