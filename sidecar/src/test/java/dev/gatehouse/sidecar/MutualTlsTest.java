package dev.gatehouse.sidecar;

import static dev.gatehouse.sidecar.SidecarHarness.signed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.sync.BundleSync;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Callers identified by client certificates: SPIFFE URI SAN first, else CN; untrusted ones refused. */
class MutualTlsTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void clientCertificatesIdentifyCallers(@TempDir Path dir) throws Exception {
    TestPki pki = new TestPki("mesh-ca");
    TestPki rogue = new TestPki("rogue-ca");
    TestPki.Issued server = pki.issue("localhost", null, "localhost");
    try (SidecarHarness h = new SidecarHarness(dir)) {
      h.sync = new BundleSync(h.syncConfig(false), h.clock, Sidecar.loggingEvents(new JsonLog(h.log, h.clock)));
      h.sync.start();
      h.sidecar = Sidecar.start(new SidecarOptions(URI.create("http://127.0.0.1:" + h.upstream.port()), "127.0.0.1", 0,
          "127.0.0.1", 0, "payments-api", "payments-prod",
          new SidecarOptions.Tls(server.writeCert(dir, "server"), server.writeKey(dir, "server"),
              pki.ca.writeCert(dir, "client-ca")),
          new SidecarOptions.Jwt(h.idp.writeJwks(dir).toString(), Tokens.ISSUER, Tokens.AUDIENCE, null),
          null, h.clock, h.log, null), h.sync);
      String spiffe = "spiffe://cluster.local/ns/billing/sa/invoicer";
      h.publishGrants(List.of(signed(h.activeGrant("g-1", spiffe, List.of("read"))),
          signed(h.activeGrant("g-2", "ops-robot", List.of("read"))),
          signed(h.activeGrant("g-3", "liam", List.of("read")))));
      URI url = URI.create("https://localhost:" + h.sidecar.port() + "/v1/payments");

      HttpResponse<String> bySpiffe = client(pki.issue("invoicer", spiffe, null), pki).send(
          HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(bySpiffe.statusCode()).isEqualTo(200);
      assertThat(JSON.readTree(bySpiffe.body()).get("subject").asText()).isEqualTo(spiffe);

      HttpResponse<String> byCn = client(pki.issue("ops-robot", null, null), pki).send(
          HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(byCn.statusCode()).isEqualTo(200);
      assertThat(JSON.readTree(byCn.body()).get("subject").asText()).isEqualTo("ops-robot");

      // No certificate: a bearer token still works over TLS.
      HttpResponse<String> byJwt = client(null, pki).send(HttpRequest.newBuilder(url)
          .header("Authorization", h.bearer("liam")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(byJwt.statusCode()).isEqualTo(200);

      // A certificate from another CA is never an identity: the JDK client does not even offer it
      // (its issuer is not among the CAs the server accepts), so the caller is anonymous...
      long before = h.upstream.requests.get();
      HttpResponse<String> anon = client(rogue.issue("invoicer", spiffe, null), pki).send(
          HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(anon.statusCode()).isEqualTo(403);
      assertThat(JSON.readTree(anon.body()).get("reason").asText()).startsWith("unauthenticated");
      // ...and a client that insists on presenting it fails the handshake.
      HttpClient untrusted = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
          .sslContext(TestPki.clientContext(rogue.issue("invoicer", spiffe, null), pki, true)).build();
      assertThatThrownBy(() -> untrusted.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(java.io.IOException.class);
      assertThat(h.upstream.requests.get()).isEqualTo(before);
    }
  }

  private static HttpClient client(TestPki.Issued cert, TestPki trusted) throws Exception {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .sslContext(TestPki.clientContext(cert, trusted)).build();
  }
}
