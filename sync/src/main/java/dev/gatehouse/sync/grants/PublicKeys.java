package dev.gatehouse.sync.grants;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** PEM public keys (SubjectPublicKeyInfo) and certificates to JDK keys. */
public final class PublicKeys {
  private static final Pattern PEM =
      Pattern.compile("-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

  private PublicKeys() {}

  /** @throws IllegalArgumentException when the text holds no usable public key */
  public static PublicKey parse(String pem) {
    Matcher m = PEM.matcher(pem);
    if (!m.find()) {
      throw new IllegalArgumentException("not a PEM public key or certificate");
    }
    byte[] der = Base64.getMimeDecoder().decode(m.group(2));
    try {
      if (m.group(1).equals("CERTIFICATE")) {
        return CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der)).getPublicKey();
      }
      if (!m.group(1).equals("PUBLIC KEY")) {
        throw new IllegalArgumentException("unsupported PEM block " + m.group(1) + " (want PUBLIC KEY or CERTIFICATE)");
      }
      for (String alg : new String[] {"EC", "RSA", "Ed25519"}) {
        try {
          return KeyFactory.getInstance(alg).generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
          // try the next family
        }
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("bad certificate: " + e.getMessage(), e);
    }
    throw new IllegalArgumentException("public key is neither EC, RSA nor Ed25519");
  }
}
