package dev.gatehouse.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hash chain catches rows edited or deleted behind the control plane's back. */
class AuditTamperTest {
  @TempDir
  Path tmp;

  private void history(Path data) throws Exception {
    try (Harness h = new Harness(data)) {
      for (int i = 0; i < 3; i++) {
        String id = h.file(Harness.BOB, Harness.prodWrite("1h"));
        h.post(Harness.ALICE, "/api/v1/requests/" + id + "/reviews", "{\"decision\":\"approve\"}");
      }
      assertThat(h.get(Harness.AUDITOR, "/api/v1/audit/verify").json().get("ok").asBoolean()).isTrue();
    }
  }

  private static void sql(Path data, String statement) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve(ControlPlane.DB_FILE));
        Statement s = c.createStatement()) {
      s.executeUpdate(statement);
    }
  }

  private static JsonNode verify(Path data, long from) throws Exception {
    try (Harness h = new Harness(data)) {
      return h.get(Harness.AUDITOR, "/api/v1/audit/verify?from=" + from).json();
    }
  }

  @Test
  void anEditedRowIsNamed() throws Exception {
    Path data = tmp.resolve("data");
    history(data);
    sql(data, "UPDATE audit SET actor = 'mallory' WHERE seq = 3");
    JsonNode v = verify(data, 1);
    assertThat(v.get("ok").asBoolean()).isFalse();
    assertThat(v.get("first_broken").asLong()).isEqualTo(3);
    assertThat(v.get("reason").asText()).contains("altered");
  }

  @Test
  void aDeletedRowIsNamed() throws Exception {
    Path data = tmp.resolve("data");
    history(data);
    sql(data, "DELETE FROM audit WHERE seq = 4");
    JsonNode v = verify(data, 1);
    assertThat(v.get("ok").asBoolean()).isFalse();
    assertThat(v.get("first_broken").asLong()).isEqualTo(4);
    assertThat(v.get("reason").asText()).contains("missing");
  }

  @Test
  void aTruncatedTailIsCaughtByTheSignedHead() throws Exception {
    Path data = tmp.resolve("data");
    history(data); // closing signs the head
    sql(data, "DELETE FROM audit WHERE seq = (SELECT MAX(seq) FROM audit)");
    // restart without letting the control plane sign a new head first: it would sign the truncated chain
    try (java.sql.Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve(ControlPlane.DB_FILE))) {
      dev.gatehouse.controlplane.audit.AuditChain.Verifier verifier = new dev.gatehouse.controlplane.audit.AuditChain.Verifier(1);
      var store = dev.gatehouse.controlplane.store.SqliteStore.open(data.resolve(ControlPlane.DB_FILE));
      verifier.feed(store.audit(1, 10_000));
      var head = store.heads(1).get(0);
      verifier.checkHead(head.seq(), head.hash(), s -> null);
      store.close();
      assertThat(verifier.result().ok()).isFalse();
      assertThat(verifier.result().reason()).contains("removed from the end");
    }
  }
}
