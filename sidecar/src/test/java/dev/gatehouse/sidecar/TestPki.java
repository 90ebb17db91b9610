package dev.gatehouse.sidecar;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A throw-away CA issuing server and client certificates (EC P-256) for the mTLS tests. */
final class TestPki {
  private static final AtomicLong SERIAL = new AtomicLong(1);

  record Issued(KeyPair keys, X509Certificate cert) {
    Path writeCert(Path dir, String name) throws Exception {
      Path p = dir.resolve(name + ".pem");
      Files.writeString(p, pem("CERTIFICATE", cert.getEncoded()));
      return p;
    }

    Path writeKey(Path dir, String name) throws Exception {
      Path p = dir.resolve(name + "-key.pem");
      Files.writeString(p, pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
      return p;
    }
  }

  final Issued ca;

  TestPki(String name) throws Exception {
    KeyPair k = keys();
    X500Name dn = new X500Name("CN=" + name);
    JcaX509v3CertificateBuilder b = builder(dn, dn, k);
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    ca = new Issued(k, sign(b, k));
  }

  /** A leaf certificate with this CN and, when non-null, a URI SAN (SPIFFE ID) or DNS SAN. */
  Issued issue(String cn, String uriSan, String dnsSan) throws Exception {
    KeyPair k = keys();
    JcaX509v3CertificateBuilder b = builder(new X500Name(ca.cert().getSubjectX500Principal().getName()),
        new X500Name("CN=" + cn), k);
    if (uriSan != null || dnsSan != null) {
      GeneralName n = uriSan != null ? new GeneralName(GeneralName.uniformResourceIdentifier, uriSan)
          : new GeneralName(GeneralName.dNSName, dnsSan);
      b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(n));
    }
    return new Issued(k, sign(b, ca.keys()));
  }

  /** A client SSLContext presenting {@code client} (may be null) and trusting {@code trusted}'s CA. */
  static SSLContext clientContext(Issued client, TestPki trusted) throws Exception {
    return clientContext(client, trusted, false);
  }

  /**
   * {@code force}: present the certificate even when the server did not list its issuer among the
   * CAs it accepts (the JDK's client would otherwise send none), as curl or an attacker does.
   */
  static SSLContext clientContext(Issued client, TestPki trusted, boolean force) throws Exception {
    KeyStore ts = KeyStore.getInstance("PKCS12");
    ts.load(null, null);
    ts.setCertificateEntry("ca", trusted.ca.cert());
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ts);
    KeyManagerFactory kmf = null;
    if (client != null) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry("client", client.keys().getPrivate(), new char[0], new X509Certificate[] {client.cert()});
      kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, new char[0]);
    }
    SSLContext ctx = SSLContext.getInstance("TLS");
    javax.net.ssl.KeyManager[] kms = kmf == null ? null : kmf.getKeyManagers();
    if (force && kms != null) {
      javax.net.ssl.X509ExtendedKeyManager km = (javax.net.ssl.X509ExtendedKeyManager) kms[0];
      kms = new javax.net.ssl.KeyManager[] {new javax.net.ssl.X509ExtendedKeyManager() {
        @Override
        public String[] getClientAliases(String keyType, java.security.Principal[] issuers) {
          return new String[] {"client"};
        }

        @Override
        public String chooseClientAlias(String[] keyType, java.security.Principal[] issuers, java.net.Socket socket) {
          return "client";
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, java.security.Principal[] issuers,
            javax.net.ssl.SSLEngine engine) {
          return "client";
        }

        @Override
        public String[] getServerAliases(String keyType, java.security.Principal[] issuers) {
          return null;
        }

        @Override
        public String chooseServerAlias(String keyType, java.security.Principal[] issuers, java.net.Socket socket) {
          return null;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
          return km.getCertificateChain(alias);
        }

        @Override
        public java.security.PrivateKey getPrivateKey(String alias) {
          return km.getPrivateKey(alias);
        }
      }};
    }
    ctx.init(kms, tmf.getTrustManagers(), null);
    return ctx;
  }

  private static JcaX509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair k) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
        Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), subject, k.getPublic());
  }

  private static X509Certificate sign(JcaX509v3CertificateBuilder b, KeyPair signer) throws Exception {
    return new JcaX509CertificateConverter().getCertificate(
        b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
  }

  private static KeyPair keys() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }
}
