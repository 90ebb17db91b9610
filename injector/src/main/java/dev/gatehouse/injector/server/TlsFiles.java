package dev.gatehouse.injector.server;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Arrays;

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
   * Reads and sanity-checks both files.
   *
   * @throws IOException naming the file when it is missing, empty or not PEM
   */
  public Snapshot read() throws IOException {
    byte[] cert = readFile(certFile);
    byte[] key = readFile(keyFile);
    try {
      if (CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(cert)).isEmpty()) {
        throw new IOException(certFile + ": no certificate found");
      }
    } catch (CertificateException e) {
      throw new IOException(certFile + ": not a PEM certificate: " + e.getMessage(), e);
    }
    String keyText = new String(key, java.nio.charset.StandardCharsets.US_ASCII);
    if (!keyText.contains("-----BEGIN") || !keyText.contains("PRIVATE KEY-----")) {
      throw new IOException(keyFile + ": not a PEM private key");
    }
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
