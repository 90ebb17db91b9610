package dev.gatehouse.injector.server;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Collection;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * The serving certificate and key as PEM files, read as bytes so that what is checked for change is
 * exactly what is handed to the TLS stack. Works with Secret volumes (whose files are swapped
 * through symlinks) and with cert-manager's in-place renewals alike, since only content counts.
 */
public final class TlsFiles {
  /** One read of the pair. */
  public record Snapshot(byte[] cert, byte[] key, byte[] digest) {
    public PemKeyCertOptions options() {
      return new PemKeyCertOptions().setCertValue(Buffer.buffer(cert)).setKeyValue(Buffer.buffer(key));
    }

    public boolean sameAs(Snapshot other) {
      return other != null && Arrays.equals(digest, other.digest);
    }
  }

  private final Path certFile;
  private final Path keyFile;

  public TlsFiles(Path certFile, Path keyFile) {
    this.certFile = certFile;
    this.keyFile = keyFile;
  }

  public Path certFile() {
    return certFile;
  }

  /**
   * Reads and checks both files: PEM, and the key belongs to the (first) certificate.
   *
   * @throws IOException naming the file when it is missing, empty, not PEM, or when the certificate
   *     and key do not match
   */
  public Snapshot read() throws IOException {
    byte[] cert = readFile(certFile);
    byte[] key = readFile(keyFile);
    X509Certificate leaf;
    try {
      Collection<? extends Certificate> chain = CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(cert));
      if (chain.isEmpty()) {
        throw new IOException(certFile + ": no certificate found");
      }
      leaf = (X509Certificate) chain.iterator().next();
    } catch (CertificateException e) {
      throw new IOException(certFile + ": not a PEM certificate: " + e.getMessage(), e);
    }
    String keyText = new String(key, java.nio.charset.StandardCharsets.US_ASCII);
    if (!keyText.contains("-----BEGIN") || !keyText.contains("PRIVATE KEY-----")) {
      throw new IOException(keyFile + ": not a PEM private key");
    }
    checkPair(leaf, privateKey(keyText));
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    md.update(cert);
    md.update((byte) 0);
    md.update(key);
    return new Snapshot(cert, key, md.digest());
  }

  private PrivateKey privateKey(String pem) throws IOException {
    Object parsed;
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      parsed = parser.readObject();
    } catch (IOException | RuntimeException e) {
      throw new IOException(keyFile + ": not a readable PEM private key: " + e.getMessage(), e);
    }
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    try {
      if (parsed instanceof PEMKeyPair pair) {
        return converter.getPrivateKey(pair.getPrivateKeyInfo());
      }
      if (parsed instanceof PrivateKeyInfo info) {
        return converter.getPrivateKey(info);
      }
    } catch (IOException e) {
      throw new IOException(keyFile + ": unsupported private key: " + e.getMessage(), e);
    }
    throw new IOException(keyFile + ": not an unencrypted PEM private key"
        + (parsed == null ? "" : " (found " + parsed.getClass().getSimpleName() + ")"));
  }

  /**
   * The key must be the certificate's: a mismatched pair loads fine but fails every handshake,
   * which with failurePolicy Fail blocks every admission in the cluster. Proven by signing a
   * challenge with the key and verifying it with the certificate's public key (any key type).
   */
  private void checkPair(X509Certificate leaf, PrivateKey key) throws IOException {
    PublicKey pub = leaf.getPublicKey();
    if (!pub.getAlgorithm().equals(key.getAlgorithm())
        && !(pub.getAlgorithm().equals("EC") && key.getAlgorithm().equals("ECDSA"))) {
      throw mismatch();
    }
    String alg = switch (pub.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC", "ECDSA" -> "SHA256withECDSA";
      case "Ed25519", "EdDSA" -> "Ed25519";
      case "Ed448" -> "Ed448";
      default -> throw new IOException(certFile + ": unsupported key type " + pub.getAlgorithm());
    };
    byte[] challenge = new byte[32];
    new SecureRandom().nextBytes(challenge);
    try {
      Signature signer = Signature.getInstance(alg);
      signer.initSign(key);
      signer.update(challenge);
      byte[] sig = signer.sign();
      Signature verifier = Signature.getInstance(alg);
      verifier.initVerify(pub);
      verifier.update(challenge);
      if (!verifier.verify(sig)) {
        throw mismatch();
      }
    } catch (GeneralSecurityException e) {
      throw new IOException(certFile + ": the certificate does not match the private key in " + keyFile + " ("
          + e.getMessage() + ")", e);
    }
  }

  private IOException mismatch() {
    return new IOException(certFile + ": the certificate does not match the private key in " + keyFile);
  }

  private static byte[] readFile(Path p) throws IOException {
    if (!Files.isRegularFile(p)) {
      throw new IOException(p + ": no such file");
    }
    byte[] b = Files.readAllBytes(p);
    if (b.length == 0) {
      throw new IOException(p + ": empty file");
    }
    return b;
  }
}
