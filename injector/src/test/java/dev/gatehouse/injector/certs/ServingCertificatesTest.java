package dev.gatehouse.injector.certs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServingCertificatesTest {
  private static X509Certificate cert(String pem) throws Exception {
    return (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
  }

  private static List<String> sans(X509Certificate c) throws Exception {
    List<String> out = new ArrayList<>();
    for (List<?> san : c.getSubjectAlternativeNames()) {
      out.add(String.valueOf(san.get(1)));
    }
    return out;
  }

  @Test
  void theServingCertificateNamesTheServiceInEveryFormAndChainsToTheCa() throws Exception {
    ServingCertificates.Bundle b = ServingCertificates.generate("gatehouse-webhook", "gatehouse-system",
        List.of("127.0.0.1"), Duration.ofDays(30), null, null);
    X509Certificate ca = cert(b.caCert());
    X509Certificate leaf = cert(b.cert());
    leaf.verify(ca.getPublicKey());
    assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
    assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
    assertThat(leaf.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
    assertThat(sans(leaf)).containsExactly("gatehouse-webhook", "gatehouse-webhook.gatehouse-system",
        "gatehouse-webhook.gatehouse-system.svc", "gatehouse-webhook.gatehouse-system.svc.cluster.local", "127.0.0.1");
    assertThat(leaf.getNotAfter().getTime() - leaf.getNotBefore().getTime())
        .isBetween(Duration.ofDays(30).toMillis(), Duration.ofDays(30).plusMinutes(10).toMillis());
    assertThat(new String(Base64.getDecoder().decode(b.caBundle()), StandardCharsets.US_ASCII)).isEqualTo(b.caCert());
    assertThat(b.key()).startsWith("-----BEGIN PRIVATE KEY-----");
  }

  @Test
  void renewingUnderTheSameCaKeepsTheCaBundle(@TempDir Path dir) throws Exception {
    ServingCertificates.Bundle first = ServingCertificates.generate("w", "ns", List.of(), Duration.ofDays(1), null, null);
    first.write(dir);
    ServingCertificates.Bundle renewed = ServingCertificates.generate("w", "ns", List.of(), Duration.ofDays(1),
        Files.readString(dir.resolve("ca.crt")), Files.readString(dir.resolve("ca.key")));
    assertThat(renewed.caBundle()).isEqualTo(first.caBundle());
    assertThat(renewed.cert()).isNotEqualTo(first.cert());
    cert(renewed.cert()).verify(cert(first.caCert()).getPublicKey());
    // a HashSet: compare the members, not toString's order (which varies from run to run)
    assertThat(Files.getPosixFilePermissions(dir.resolve("tls.key"))).containsExactlyInAnyOrder(
        java.nio.file.attribute.PosixFilePermission.OWNER_READ, java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
  }
}
