package dev.gatehouse.engine.bundle;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * PEM keys with the JDK alone (no BouncyCastle): PKCS#8 and X.509 directly; PKCS#1 RSA and SEC1
 * EC keys (what {@code openssl genrsa -traditional} / {@code openssl ecparam -genkey} write) are
 * wrapped into PKCS#8 / X.509 first. Certificates yield their public key.
 */
final class PemKeys {
  private PemKeys() {}

  private static final byte[] RSA_OID = {0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01};
  private static final byte[] EC_OID = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};

  record Pem(String type, byte[] der) {}

  static Pem decode(String text) {
    int begin = text.indexOf("-----BEGIN ");
    if (begin < 0) {
      throw new BundleException("failed to parse PEM block containing the key");
    }
    int typeEnd = text.indexOf("-----", begin + 11);
    String type = text.substring(begin + 11, typeEnd);
    int end = text.indexOf("-----END " + type + "-----", typeEnd);
    if (end < 0) {
      throw new BundleException("failed to parse PEM block containing the key");
    }
    String body = text.substring(typeEnd + 5, end).replaceAll("\\s+", "");
    try {
      return new Pem(type, Base64.getDecoder().decode(body));
    } catch (IllegalArgumentException e) {
      throw new BundleException("failed to parse PEM block containing the key");
    }
  }

  static PrivateKey privateKey(String pem, String family) {
    Pem p = decode(pem);
    try {
      return switch (p.type()) {
        case "PRIVATE KEY" -> KeyFactory.getInstance(family).generatePrivate(new PKCS8EncodedKeySpec(p.der()));
        case "RSA PRIVATE KEY" -> KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(
            seq(concat(new byte[] {0x02, 0x01, 0x00}, seq(concat(RSA_OID, new byte[] {0x05, 0x00})), tlv(0x04, p.der())))));
        case "EC PRIVATE KEY" -> KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(
            seq(concat(new byte[] {0x02, 0x01, 0x00}, seq(concat(EC_OID, sec1CurveOid(p.der()))), tlv(0x04, p.der())))));
        default -> throw new BundleException("unsupported key type: " + p.type());
      };
    } catch (GeneralSecurityException e) {
      throw new BundleException("failed to parse private key: " + e.getMessage(), e);
    }
  }

  static PublicKey publicKey(String pem, String family) {
    Pem p = decode(pem);
    try {
      return switch (p.type()) {
        case "PUBLIC KEY" -> KeyFactory.getInstance(family).generatePublic(new X509EncodedKeySpec(p.der()));
        case "RSA PUBLIC KEY" -> KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(
            seq(concat(seq(concat(RSA_OID, new byte[] {0x05, 0x00})), tlv(0x03, concat(new byte[] {0}, p.der()))))));
        case "CERTIFICATE" -> CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(p.der())).getPublicKey();
        default -> throw new BundleException("failed to parse PEM block containing the key");
      };
    } catch (GeneralSecurityException e) {
      throw new BundleException("failed to parse public key: " + e.getMessage(), e);
    }
  }

  /** SEC1 ECPrivateKey ::= SEQUENCE { version, privateKey OCTET STRING, [0] parameters OID, [1] publicKey }. */
  private static byte[] sec1CurveOid(byte[] der) {
    int[] pos = {0};
    expect(der, pos, 0x30);
    readLength(der, pos);
    while (pos[0] < der.length) {
      int tag = der[pos[0]++] & 0xff;
      int len = readLength(der, pos);
      if (tag == 0xa0) {
        byte[] oid = new byte[len];
        System.arraycopy(der, pos[0], oid, 0, len);
        return oid;
      }
      pos[0] += len;
    }
    throw new BundleException("EC private key does not name its curve");
  }

  private static void expect(byte[] der, int[] pos, int tag) {
    if ((der[pos[0]++] & 0xff) != tag) {
      throw new BundleException("malformed key");
    }
  }

  private static int readLength(byte[] der, int[] pos) {
    int b = der[pos[0]++] & 0xff;
    if (b < 0x80) {
      return b;
    }
    int n = b & 0x7f;
    int len = 0;
    for (int i = 0; i < n; i++) {
      len = (len << 8) | (der[pos[0]++] & 0xff);
    }
    return len;
  }

  private static byte[] seq(byte[] content) {
    return tlv(0x30, content);
  }

  private static byte[] tlv(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int len = content.length;
    if (len < 0x80) {
      out.write(len);
    } else if (len < 0x100) {
      out.write(0x81);
      out.write(len);
    } else if (len < 0x10000) {
      out.write(0x82);
      out.write(len >> 8);
      out.write(len & 0xff);
    } else {
      out.write(0x83);
      out.write(len >> 16);
      out.write((len >> 8) & 0xff);
      out.write(len & 0xff);
    }
    out.writeBytes(content);
    return out.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  static boolean looksLikePem(String s) {
    return s.contains("-----BEGIN ");
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
