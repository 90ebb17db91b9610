package dev.gatehouse.injector.certs;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * {@code gatehouse webhook certs}: a CA and a serving certificate for
 * {@code <service>.<namespace>.svc}, as PEM. The API server verifies webhook certificates with
 * Go's crypto/x509, which ignores the common name, so every name goes into subjectAltName.
 * Keys are ECDSA P-256 (fast handshakes); private keys are written as PKCS#8.
 */
public final class ServingCertificates {
  /** The generated (or reused) CA and the serving pair, all PEM. */
  public record Bundle(String caCert, String caKey, String cert, String key, List<String> dnsNames) {
    /** What goes into the webhook configurations' {@code clientConfig.caBundle}. */
    public String caBundle() {
      return Base64.getEncoder().encodeToString(caCert.getBytes(StandardCharsets.US_ASCII));
    }

    /** Writes ca.crt, ca.key, tls.crt and tls.key (keys readable by the owner only, where supported). */
    public void write(Path dir) throws IOException {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("ca.crt"), caCert, StandardCharsets.US_ASCII);
      Files.writeString(dir.resolve("tls.crt"), cert, StandardCharsets.US_ASCII);
      writeSecret(dir.resolve("ca.key"), caKey);
      writeSecret(dir.resolve("tls.key"), key);
    }

    private static void writeSecret(Path p, String pem) throws IOException {
      Files.writeString(p, pem, StandardCharsets.US_ASCII);
      try {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException ignored) {
        // not a POSIX filesystem
      }
    }
  }

  private static final SecureRandom RANDOM = new SecureRandom();

  private ServingCertificates() {}

  /** The names the API server may use for a Service: short, namespaced, .svc and cluster-local forms. */
  public static List<String> serviceNames(String service, String namespace) {
    return List.of(service, service + "." + namespace, service + "." + namespace + ".svc",
        service + "." + namespace + ".svc.cluster.local");
  }

  /**
   * @param caCertPem and {@code caKeyPem}: an existing CA to sign with (keeps the caBundle stable
   *     across renewals), or null to create one
   * @param extraNames more DNS names or IP addresses (e.g. localhost, 127.0.0.1 for local runs)
   */
  public static Bundle generate(String service, String namespace, List<String> extraNames, Duration validity,
      String caCertPem, String caKeyPem) {
    try {
      Instant now = Instant.now();
      X509Certificate caCert;
      PrivateKey caKey;
      String caCertOut;
      String caKeyOut;
      if (caCertPem != null && caKeyPem != null) {
        caCert = readCertificate(caCertPem);
        caKey = readKey(caKeyPem);
        caCertOut = caCertPem;
        caKeyOut = caKeyPem;
      } else {
        KeyPair ca = ecKeyPair();
        X500Name caName = new X500Name("CN=gatehouse-webhook-ca");
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(caName, serial(),
            Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(validity.multipliedBy(10))), caName,
            ca.getPublic());
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(ca.getPublic()));
        caCert = sign(b.build(signer(ca.getPrivate())));
        caKey = ca.getPrivate();
        caCertOut = pem(caCert);
        caKeyOut = pkcs8(caKey);
      }

      Set<String> names = new LinkedHashSet<>(serviceNames(service, namespace));
      names.addAll(extraNames);
      List<GeneralName> sans = new ArrayList<>();
      List<String> dns = new ArrayList<>();
      for (String n : names) {
        if (isIpLiteral(n)) {
          sans.add(new GeneralName(GeneralName.iPAddress, n));
        } else {
          sans.add(new GeneralName(GeneralName.dNSName, n));
          dns.add(n);
        }
      }
      KeyPair leaf = ecKeyPair();
      JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(caCert, serial(),
          Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(validity)),
          new X500Name("CN=" + service + "." + namespace + ".svc"), leaf.getPublic());
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
      b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans.toArray(new GeneralName[0])));
      b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(leaf.getPublic()));
      b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(caCert));
      X509Certificate cert = sign(b.build(signer(caKey)));
      cert.verify(caCert.getPublicKey());
      return new Bundle(caCertOut, caKeyOut, pem(cert), pkcs8(leaf.getPrivate()), dns);
    } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
      throw new IllegalStateException("certificate generation failed: " + e.getMessage(), e);
    }
  }

  private static boolean isIpLiteral(String s) {
    if (!s.matches("[0-9.]+") && !s.contains(":")) {
      return false;
    }
    try {
      InetAddress.getByName(s); // literal only: no lookup happens for numeric forms
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static KeyPair ecKeyPair() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    return g.generateKeyPair();
  }

  private static BigInteger serial() {
    return new BigInteger(127, RANDOM).add(BigInteger.ONE);
  }

  private static ContentSigner signer(PrivateKey key) throws OperatorCreationException {
    return new JcaContentSignerBuilder(key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA")
        .build(key);
  }

  private static X509Certificate sign(X509CertificateHolder holder) throws GeneralSecurityException {
    return new JcaX509CertificateConverter().getCertificate(holder);
  }

  private static String pem(Object o) throws IOException {
    StringWriter w = new StringWriter();
    try (JcaPEMWriter pw = new JcaPEMWriter(w)) {
      pw.writeObject(o);
    }
    return w.toString();
  }

  private static String pkcs8(PrivateKey k) throws IOException {
    StringWriter w = new StringWriter();
    try (JcaPEMWriter pw = new JcaPEMWriter(w)) {
      pw.writeObject(new JcaPKCS8Generator(k, null));
    }
    return w.toString();
  }

  private static X509Certificate readCertificate(String pem) throws IOException, GeneralSecurityException {
    try (PEMParser p = new PEMParser(new StringReader(pem))) {
      Object o = p.readObject();
      if (!(o instanceof X509CertificateHolder h)) {
        throw new IOException("the CA certificate is not a PEM certificate");
      }
      return sign(h);
    }
  }

  private static PrivateKey readKey(String pem) throws IOException {
    try (PEMParser p = new PEMParser(new StringReader(pem))) {
      Object o = p.readObject();
      JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
      if (o instanceof PEMKeyPair kp) {
        return conv.getPrivateKey(kp.getPrivateKeyInfo());
      }
      if (o instanceof PrivateKeyInfo info) {
        return conv.getPrivateKey(info);
      }
      throw new IOException("the CA key is not an unencrypted PEM private key");
    }
  }
}
