package dev.gatehouse.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import dev.gatehouse.engine.bundle.Bundle;
import dev.gatehouse.engine.bundle.VerificationConfig;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LifecycleTest {
  @TempDir
  Path tmp;

  @Test
  void twoApprovalsIssueASignedGrantThatIsInTheSignedGrantsBundle() throws Exception {
    try (Harness h = new Harness(tmp.resolve("data"))) {
      String id = h.file(Harness.BOB, Harness.prodWrite("2h"));
      Harness.Res filed = h.get(Harness.BOB, "/api/v1/requests/" + id);
      assertThat(filed.json().get("state").asText()).isEqualTo("pending");
      assertThat(filed.json().get("required_approvals").asInt()).isEqualTo(2);
      assertThat(filed.json().get("requester").asText()).isEqualTo("bob");

      Harness.Res first = h.post(Harness.ALICE, "/api/v1/requests/" + id + "/reviews", "{\"decision\":\"approve\"}");
      assertThat(first.status()).isEqualTo(201);
      assertThat(first.json().get("state").asText()).isEqualTo("pending");
      Harness.Res second = h.post(Harness.CAROL, "/api/v1/requests/" + id + "/reviews",
          "{\"decision\":\"approve\",\"comment\":\"ok, PAY-1234 is real\"}");
      assertThat(second.status()).isEqualTo(201);
      assertThat(second.json().get("state").asText()).isEqualTo("approved");
      String grantId = second.json().get("grant_id").asText();

      Harness.Res grant = h.get(Harness.BOB, "/api/v1/grants/" + grantId);
      assertThat(grant.json().get("subject").asText()).isEqualTo("bob");
      assertThat(grant.json().get("approvers")).hasSize(2);
      assertThat(grant.json().get("state").asText()).isEqualTo("active");

      Harness.Res bundle = h.get(Harness.ENFORCER, "/bundles/grants");
      assertThat(bundle.status()).isEqualTo(200);
      assertThat(bundle.raw().headers().firstValue("content-type")).hasValue("application/vnd.openpolicyagent.bundles");
      String etag = bundle.raw().headers().firstValue("ETag").orElseThrow();
      // the engine's bundle reader checks .signatures.json against the published public key
      Bundle b = Bundle.readTarGz(new ByteArrayInputStream(bundle.raw().body()), "grants",
          Bundle.ReadOptions.verifying(new VerificationConfig(java.util.Map.of(h.cp.keyId(),
              new VerificationConfig.Key(h.cp.publicKeyPem(), "ES256", null)), h.cp.keyId(), null, null)));
      assertThat(b.manifest().revision()).isEqualTo(etag).startsWith("grants-");
      assertThat(b.manifest().roots()).containsExactly("gatehouse/grants");
      JsonNode data = Jsons.fromValue(b.data());
      JsonNode entry = data.at("/gatehouse/grants/0");
      assertThat(entry.get("id").asText()).isEqualTo(grantId);

      // and each entry's JWS verifies against the JWKS, with the payload equal to the entry
      JWKSet jwks = JWKSet.parse(h.get(null, "/api/v1/keys").body());
      JWSObject jws = JWSObject.parse(entry.get("jws").asText());
      assertThat(jws.getHeader().getType().toString()).isEqualTo("gatehouse-grant+jws");
      ECKey key = (ECKey) jwks.getKeyByKeyId(jws.getHeader().getKeyID());
      assertThat(jws.verify(new ECDSAVerifier(key))).isTrue();
      JsonNode payload = Jsons.parse(jws.getPayload().toString());
      assertThat(payload.get("subject").asText()).isEqualTo("bob");
      assertThat(payload.get("policy_revision").asText()).isEqualTo(h.cp.policies().current().orElseThrow().revision());
      assertThat(payload.get("target").get("service").asText()).isEqualTo("payments-api");

      // If-None-Match with the current revision: 304
      Harness.Res again = h.send(Harness.ENFORCER, java.net.http.HttpRequest.newBuilder(
          java.net.URI.create(h.url() + "/bundles/grants")).header("If-None-Match", etag).GET());
      assertThat(again.status()).isEqualTo(304);
    }
  }
}
