package dev.gatehouse.engine.builtins.crypto;

import java.math.BigInteger;
import java.security.spec.ECFieldFp;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.EllipticCurve;

/**
 * The NIST prime curves Go's x509 knows (SEC 2 / FIPS 186 parameters). Point arithmetic is here
 * because the JDK has no public API to derive an EC public key from its private scalar, which Go
 * does when it parses SEC 1 and PKCS #8 keys.
 */
public enum EcCurve {
  P224("P-224", new int[] {1, 3, 132, 0, 33}, 224,
      "ffffffffffffffffffffffffffffffff000000000000000000000001",
      "b4050a850c04b3abf54132565044b0b7d7bfd8ba270b39432355ffb4",
      "b70e0cbd6bb4bf7f321390b94a03c1d356c21122343280d6115c1d21",
      "bd376388b5f723fb4c22dfe6cd4375a05a07476444d5819985007e34",
      "ffffffffffffffffffffffffffff16a2e0b8f03e13dd29455c5c2a3d"),
  P256("P-256", new int[] {1, 2, 840, 10045, 3, 1, 7}, 256,
      "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff",
      "5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b",
      "6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296",
      "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5",
      "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551"),
  P384("P-384", new int[] {1, 3, 132, 0, 34}, 384,
      "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffff",
      "b3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aef",
      "aa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e3872760ab7",
      "3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90ea0e5f",
      "ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973"),
  P521("P-521", new int[] {1, 3, 132, 0, 35}, 521,
      "01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
      "0051953eb9618e1c9a1f929a21a0b68540eea2da725b99b315f3b8b489918ef109e156193951ec7e937b1652c0bd3bb1bf073573df883d2c34f1ef451fd46b503f00",
      "00c6858e06b70404e9cd9e3ecb662395b4429c648139053fb521f828af606b4d3dbaa14b5e77efe75928fe1dc127a2ffa8de3348b3c1856a429bf97e7e31c2e5bd66",
      "011839296a789a3bc0045c8a5fb42c7d1bd998f54449579b446817afbd17273e662c97ee72995ef42640c550b9013fad0761353c7086a272c24088be94769fd16650",
      "01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409");

  private final String jwkName;
  private final int[] oid;
  private final int bitSize;
  private final BigInteger p;
  private final BigInteger a;
  private final BigInteger b;
  private final BigInteger gx;
  private final BigInteger gy;
  private final BigInteger n;
  private final ECParameterSpec spec;

  EcCurve(String jwkName, int[] oid, int bitSize, String p, String b, String gx, String gy, String n) {
    this.jwkName = jwkName;
    this.oid = oid;
    this.bitSize = bitSize;
    this.p = new BigInteger(p, 16);
    this.a = this.p.subtract(BigInteger.valueOf(3));
    this.b = new BigInteger(b, 16);
    this.gx = new BigInteger(gx, 16);
    this.gy = new BigInteger(gy, 16);
    this.n = new BigInteger(n, 16);
    this.spec = new ECParameterSpec(new EllipticCurve(new ECFieldFp(this.p), a, this.b),
        new ECPoint(this.gx, this.gy), this.n, 1);
  }

  /** The curve name in JWKs and Go's CurveParams, e.g. {@code P-256}. */
  public String jwkName() {
    return jwkName;
  }

  /** Go's short name used in its point errors, e.g. {@code P256}. */
  String goName() {
    return name();
  }

  int bitSize() {
    return bitSize;
  }

  /** Bytes of a field element or scalar. */
  public int byteSize() {
    return (bitSize + 7) / 8;
  }

  BigInteger order() {
    return n;
  }

  public ECParameterSpec spec() {
    return spec;
  }

  static EcCurve byOid(int[] oid) {
    for (EcCurve c : values()) {
      if (java.util.Arrays.equals(c.oid, oid)) {
        return c;
      }
    }
    return null;
  }

  public static EcCurve byJwkName(String name) {
    for (EcCurve c : values()) {
      if (c.jwkName.equals(name)) {
        return c;
      }
    }
    return null;
  }

  /** The curve with this field size, for JDK keys that carry parameters but no name. */
  public static EcCurve byFieldSize(int bits) {
    for (EcCurve c : values()) {
      if (c.bitSize == bits) {
        return c;
      }
    }
    return null;
  }

  boolean onCurve(BigInteger x, BigInteger y) {
    if (x.signum() < 0 || y.signum() < 0 || x.compareTo(p) >= 0 || y.compareTo(p) >= 0) {
      return false;
    }
    BigInteger lhs = y.multiply(y).mod(p);
    BigInteger rhs = x.multiply(x).multiply(x).add(a.multiply(x)).add(b).mod(p);
    return lhs.equals(rhs);
  }

  /** k·G in affine coordinates; null for the point at infinity. */
  BigInteger[] multiplyBase(BigInteger k) {
    BigInteger[] result = null;
    BigInteger[] addend = {gx, gy};
    for (int i = 0; i < k.bitLength(); i++) {
      if (k.testBit(i)) {
        result = add(result, addend);
      }
      addend = add(addend, addend);
    }
    return result;
  }

  private BigInteger[] add(BigInteger[] q, BigInteger[] r) {
    if (q == null) {
      return r;
    }
    if (r == null) {
      return q;
    }
    BigInteger lambda;
    if (q[0].equals(r[0])) {
      if (!q[1].equals(r[1]) || q[1].signum() == 0) {
        return null;
      }
      BigInteger three = BigInteger.valueOf(3);
      lambda = three.multiply(q[0].pow(2)).add(a).multiply(q[1].shiftLeft(1).modInverse(p)).mod(p);
    } else {
      lambda = r[1].subtract(q[1]).multiply(r[0].subtract(q[0]).modInverse(p)).mod(p);
    }
    BigInteger x = lambda.pow(2).subtract(q[0]).subtract(r[0]).mod(p);
    BigInteger y = lambda.multiply(q[0].subtract(x)).subtract(q[1]).mod(p);
    return new BigInteger[] {x, y};
  }
}
