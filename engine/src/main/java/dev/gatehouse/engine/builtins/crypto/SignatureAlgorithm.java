package dev.gatehouse.engine.builtins.crypto;

import java.util.Arrays;

/** Go's x509.SignatureAlgorithm values, with what checking such a signature takes. */
enum SignatureAlgorithm {
  UNKNOWN(0, null, null, Kind.NONE),
  MD2_WITH_RSA(1, new int[] {1, 2, 840, 113549, 1, 1, 2}, null, Kind.RSA),
  MD5_WITH_RSA(2, new int[] {1, 2, 840, 113549, 1, 1, 4}, "MD5withRSA", Kind.RSA),
  SHA1_WITH_RSA(3, new int[] {1, 2, 840, 113549, 1, 1, 5}, "SHA1withRSA", Kind.RSA),
  SHA256_WITH_RSA(4, new int[] {1, 2, 840, 113549, 1, 1, 11}, "SHA256withRSA", Kind.RSA),
  SHA384_WITH_RSA(5, new int[] {1, 2, 840, 113549, 1, 1, 12}, "SHA384withRSA", Kind.RSA),
  SHA512_WITH_RSA(6, new int[] {1, 2, 840, 113549, 1, 1, 13}, "SHA512withRSA", Kind.RSA),
  DSA_WITH_SHA1(7, new int[] {1, 2, 840, 10040, 4, 3}, null, Kind.DSA),
  DSA_WITH_SHA256(8, new int[] {2, 16, 840, 1, 101, 3, 4, 3, 2}, null, Kind.DSA),
  ECDSA_WITH_SHA1(9, new int[] {1, 2, 840, 10045, 4, 1}, "SHA1withECDSA", Kind.ECDSA),
  ECDSA_WITH_SHA256(10, new int[] {1, 2, 840, 10045, 4, 3, 2}, "SHA256withECDSA", Kind.ECDSA),
  ECDSA_WITH_SHA384(11, new int[] {1, 2, 840, 10045, 4, 3, 3}, "SHA384withECDSA", Kind.ECDSA),
  ECDSA_WITH_SHA512(12, new int[] {1, 2, 840, 10045, 4, 3, 4}, "SHA512withECDSA", Kind.ECDSA),
  SHA256_WITH_RSA_PSS(13, null, "SHA-256", Kind.RSA_PSS),
  SHA384_WITH_RSA_PSS(14, null, "SHA-384", Kind.RSA_PSS),
  SHA512_WITH_RSA_PSS(15, null, "SHA-512", Kind.RSA_PSS),
  PURE_ED25519(16, new int[] {1, 3, 101, 112}, "Ed25519", Kind.ED25519);

  enum Kind { NONE, RSA, RSA_PSS, DSA, ECDSA, ED25519 }

  private static final int[] ISO_SHA1_WITH_RSA = {1, 3, 14, 3, 2, 29};
  private static final int[] RSA_PSS = {1, 2, 840, 113549, 1, 1, 10};
  private static final int[] MGF1 = {1, 2, 840, 113549, 1, 1, 8};
  private static final int[] SHA256 = {2, 16, 840, 1, 101, 3, 4, 2, 1};
  private static final int[] SHA384 = {2, 16, 840, 1, 101, 3, 4, 2, 2};
  private static final int[] SHA512 = {2, 16, 840, 1, 101, 3, 4, 2, 3};

  private final int number;
  private final int[] oid;
  private final String jdkName;
  private final Kind kind;

  SignatureAlgorithm(int number, int[] oid, String jdkName, Kind kind) {
    this.number = number;
    this.oid = oid;
    this.jdkName = jdkName;
    this.kind = kind;
  }

  int number() {
    return number;
  }

  /** The JDK Signature name (for PSS, the digest name). */
  String jdkName() {
    return jdkName;
  }

  Kind kind() {
    return kind;
  }

  /** Go refuses these for certificate signatures. */
  boolean insecureForCertificates() {
    return this == MD5_WITH_RSA || this == SHA1_WITH_RSA || this == ECDSA_WITH_SHA1;
  }

  /** Go's getSignatureAlgorithmFromAI. */
  static SignatureAlgorithm fromAlgorithmId(PublicKeys.AlgorithmId ai) {
    int[] o = ai.oid();
    if (Arrays.equals(o, PURE_ED25519.oid) && ai.params().length != 0) {
      return UNKNOWN;
    }
    if (!Arrays.equals(o, RSA_PSS)) {
      if (Arrays.equals(o, ISO_SHA1_WITH_RSA)) {
        return SHA1_WITH_RSA;
      }
      for (SignatureAlgorithm s : values()) {
        if (s.oid != null && Arrays.equals(s.oid, o)) {
          return s;
        }
      }
      return UNKNOWN;
    }
    return pss(ai.params());
  }

  /**
   * RSASSA-PSS parameters: Go accepts only MGF1 with the message hash, salt length equal to the
   * hash length and the default trailer.
   */
  private static SignatureAlgorithm pss(byte[] params) {
    try {
      Der.Element seq = new Der.Reader(params).read(Der.SEQUENCE);
      if (seq == null) {
        return UNKNOWN;
      }
      Der.Reader r = seq.reader();
      int[] hash = {1, 3, 14, 3, 2, 26};
      byte[] hashParams = new byte[0];
      int[] mgf = MGF1;
      int[] mgfHash = {1, 3, 14, 3, 2, 26};
      byte[] mgfHashParams = new byte[0];
      long salt = 20;
      long trailer = 1;
      Der.Optional o = r.optional(Der.constructed(0));
      if (o.malformed()) {
        return UNKNOWN;
      }
      if (o.present()) {
        Der.Element ai = o.element().reader().read(Der.SEQUENCE);
        if (ai == null) {
          return UNKNOWN;
        }
        PublicKeys.AlgorithmId h = PublicKeys.algorithm(ai.reader());
        hash = h.oid();
        hashParams = h.params();
      }
      o = r.optional(Der.constructed(1));
      if (o.malformed()) {
        return UNKNOWN;
      }
      if (o.present()) {
        Der.Element ai = o.element().reader().read(Der.SEQUENCE);
        if (ai == null) {
          return UNKNOWN;
        }
        PublicKeys.AlgorithmId m = PublicKeys.algorithm(ai.reader());
        mgf = m.oid();
        Der.Element inner = new Der.Reader(m.params()).read(Der.SEQUENCE);
        if (inner == null) {
          return UNKNOWN;
        }
        PublicKeys.AlgorithmId mh = PublicKeys.algorithm(inner.reader());
        mgfHash = mh.oid();
        mgfHashParams = mh.params();
      }
      o = r.optional(Der.constructed(2));
      if (o.malformed()) {
        return UNKNOWN;
      }
      if (o.present()) {
        Long v = o.element().reader().readInt64(Der.INTEGER);
        if (v == null) {
          return UNKNOWN;
        }
        salt = v;
      }
      o = r.optional(Der.constructed(3));
      if (o.malformed()) {
        return UNKNOWN;
      }
      if (o.present()) {
        Long v = o.element().reader().readInt64(Der.INTEGER);
        if (v == null) {
          return UNKNOWN;
        }
        trailer = v;
      }
      boolean nullOrAbsent = hashParams.length == 0 || Arrays.equals(hashParams, Der.NULL_BYTES);
      boolean mgfNullOrAbsent = mgfHashParams.length == 0 || Arrays.equals(mgfHashParams, Der.NULL_BYTES);
      if (!nullOrAbsent || !Arrays.equals(mgf, MGF1) || !Arrays.equals(mgfHash, hash) || !mgfNullOrAbsent || trailer != 1) {
        return UNKNOWN;
      }
      if (Arrays.equals(hash, SHA256) && salt == 32) {
        return SHA256_WITH_RSA_PSS;
      }
      if (Arrays.equals(hash, SHA384) && salt == 48) {
        return SHA384_WITH_RSA_PSS;
      }
      if (Arrays.equals(hash, SHA512) && salt == 64) {
        return SHA512_WITH_RSA_PSS;
      }
      return UNKNOWN;
    } catch (CryptoError e) {
      return UNKNOWN;
    }
  }
}
