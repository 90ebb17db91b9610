package dev.gatehouse.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** mTLS: a client certificate signed by the configured CA authenticates as its CN; others do not. */
class MtlsTest {
  @TempDir
  Path tmp;

  static KeyPair ec() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  static X509Certificate cert(String subject, KeyPair key, String issuer, KeyPair signer, boolean ca, String dns)
      throws Exception {
    JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name(issuer),
        BigInteger.valueOf(System.nanoTime()), Date.from(Instant.now().minusSeconds(60)),
        Date.from(Instant.now().plus(Duration.ofDays(1))), new X500Name(subject), key.getPublic());
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
    if (dns != null) {
      b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(GeneralName.iPAddress, dns)));
    }
    return new JcaX509CertificateConverter().getCertificate(
        b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
  }

  static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(der) + "\n-----END " + type + "-----\n";
  }

  static HttpClient client(X509Certificate serverCa, X509Certificate clientCert, KeyPair clientKey) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", serverCa);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    if (clientCert != null) {
      keys.setKeyEntry("me", clientKey.getPrivate(), new char[0], new X509Certificate[] {clientCert});
    }
    kmf.init(keys, new char[0]);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(ssl).build();
  }

  @Test
  void clientCertificatesFromTheConfiguredCaAuthenticate() throws Exception {
    KeyPair caKey = ec();
    X509Certificate ca = cert("CN=Test CA", caKey, "CN=Test CA", caKey, true, null);
    KeyPair serverKey = ec();
    X509Certificate server = cert("CN=control-plane", serverKey, "CN=Test CA", caKey, false, "127.0.0.1");
    KeyPair aliceKey = ec();
    X509Certificate alice = cert("CN=alice,OU=payments-devs", aliceKey, "CN=Test CA", caKey, false, null);
    KeyPair strangerCaKey = ec();
    KeyPair strangerKey = ec();
    X509Certificate stranger = cert("CN=mallory", strangerKey, "CN=Other CA", strangerCaKey, false, null);

    Files.writeString(tmp.resolve("server.pem"), pem("CERTIFICATE", server.getEncoded()));
    Files.writeString(tmp.resolve("server-key.pem"), pem("PRIVATE KEY", serverKey.getPrivate().getEncoded()));
    Files.writeString(tmp.resolve("ca.pem"), pem("CERTIFICATE", ca.getEncoded()));
    Files.writeString(tmp.resolve("auth.json"), "{\"tokens_file\": \"" + Harness.FIXTURE.resolve("tokens.json")
        + "\", \"mtls\": {\"client_ca\": \"ca.pem\"}, \"roles\": {\"alice\": [\"auditor\"]}}");

    try (Harness h = new Harness(tmp.resolve("data"), o -> o.authConfig(tmp.resolve("auth.json"))
        .tls(tmp.resolve("server.pem"), tmp.resolve("server-key.pem")))) {
      assertThat(h.url()).startsWith("https://");
      HttpResponse<String> me = client(ca, alice, aliceKey).send(HttpRequest.newBuilder(URI.create(h.url() + "/api/v1/whoami"))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(me.statusCode()).isEqualTo(200);
      var json = Jsons.parse(me.body());
      assertThat(json.get("user").asText()).isEqualTo("alice");
      assertThat(json.get("method").asText()).isEqualTo("mtls");
      assertThat(json.get("groups").toString()).contains("payments-devs");
      assertThat(json.get("roles").toString()).contains("auditor");

      // no certificate: 401 (a token still works over TLS)
      HttpClient anonymous = client(ca, null, null);
      assertThat(anonymous.send(HttpRequest.newBuilder(URI.create(h.url() + "/api/v1/whoami")).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
      assertThat(anonymous.send(HttpRequest.newBuilder(URI.create(h.url() + "/api/v1/whoami"))
          .header("Authorization", "Bearer " + Harness.BOB).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
          .isEqualTo(200);
      // a certificate from another CA never authenticates (the handshake fails or the call is 401)
      int status;
      try {
        status = client(ca, stranger, strangerKey).send(HttpRequest.newBuilder(URI.create(h.url() + "/api/v1/whoami")).build(),
            HttpResponse.BodyHandlers.ofString()).statusCode();
      } catch (java.io.IOException handshakeRefused) {
        status = -1;
      }
      assertThat(status).isIn(-1, 401);
    }
  }
}
