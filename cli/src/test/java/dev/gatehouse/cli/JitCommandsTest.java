package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import dev.gatehouse.controlplane.ControlPlane;
import dev.gatehouse.engine.bundle.Bundle;
import dev.gatehouse.engine.bundle.VerificationConfig;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JIT commands end to end, as a user runs them, against a control plane on a temporary SQLite file. */
class JitCommandsTest {
  static final Path FIXTURE = Path.of("../control-plane/src/test/resources/fixture").toAbsolutePath().normalize();
  static final Path POLICIES = Path.of("../policies").toAbsolutePath().normalize();
  static final String BOB = "tok-bob-0123456789ab";
  static final String ALICE = "tok-alice-0123456789";
  static final String CAROL = "tok-carol-0123456789";
  static final String ZOE = "tok-zoe-01234567890a";
  static final String AUDITOR = "tok-auditor-01234567";
  static final String ENFORCER = "tok-enforcer-0123456";
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path tmp;

  ControlPlane cp;

  @BeforeEach
  void start() throws Exception {
    System.setProperty("gatehouse.profile", tmp.resolve("profile.json").toString());
    cp = startOn(tmp.resolve("data"));
  }

  private static ControlPlane startOn(Path data) throws Exception {
    return ControlPlane.start(new ControlPlane.Options(data, POLICIES).orgFile(FIXTURE.resolve("org.json"))
        .tokensFile(FIXTURE.resolve("tokens.json")).listen("127.0.0.1", 0));
  }

  @AfterEach
  void stop() {
    if (cp != null) {
      cp.close();
    }
    System.clearProperty("gatehouse.profile");
  }

  private Cli.Result as(String token, String... args) {
    String[] all = new String[args.length + 4];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--server";
    all[args.length + 1] = cp.url();
    all[args.length + 2] = "--token";
    all[args.length + 3] = token;
    return Cli.run(all);
  }

  private String create(String token) throws Exception {
    Cli.Result r = as(token, "request", "create", "--service", "payments-api", "--namespace", "payments-prod",
        "--actions", "read,write", "--for", "2h", "--reason", "Replay the failed settlement batch", "--ticket", "PAY-1234",
        "-o", "json");
    assertThat(r.exit()).as(r.err()).isZero();
    return JSON.readTree(r.out()).get("id").asText();
  }

  @Test
  void requestTwoApprovalsAndTheGrantIsInTheSignedBundle() throws Exception {
    Cli.Result filed = as(BOB, "request", "create", "--service", "payments-api", "--namespace", "payments-prod",
        "--actions", "read,write", "--for", "2h", "--reason", "Replay the failed settlement batch", "--ticket", "PAY-1234");
    assertThat(filed.exit()).as(filed.err()).isZero();
    assertThat(filed.out()).startsWith("Request req-").contains(": pending", "needs 2 approval(s); max duration 4h",
        "slack:#payments-oncall");
    String id = filed.out().substring("Request ".length(), filed.out().indexOf(':'));

    Cli.Result first = as(ALICE, "review", "approve", id, "--comment", "checked PAY-1234");
    assertThat(first.exit()).as(first.err()).isZero();
    assertThat(first.out()).contains("Request is now pending (1 of 2 approvals)");
    Cli.Result second = as(CAROL, "review", "approve", id);
    assertThat(second.exit()).isZero();
    assertThat(second.out()).contains("Request is now approved (2 of 2 approvals); grant gr-");

    Cli.Result list = as(BOB, "grant", "list", "--active", "-o", "json");
    JsonNode grants = JSON.readTree(list.out()).get("grants");
    assertThat(grants).hasSize(1);
    String grantId = grants.get(0).get("id").asText();
    assertThat(as(BOB, "grant", "list", "--active").out()).contains(grantId, "alice,carol", "active");
    assertThat(as(BOB, "request", "show", id).out()).contains("State:       approved", "approve by alice", "checked PAY-1234");

    HttpResponse<byte[]> bundle = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(cp.url() + "/bundles/grants"))
        .header("Authorization", "Bearer " + ENFORCER).build(), HttpResponse.BodyHandlers.ofByteArray());
    Bundle b = Bundle.readTarGz(new ByteArrayInputStream(bundle.body()), "grants", Bundle.ReadOptions.verifying(
        new VerificationConfig(Map.of(cp.keyId(), new VerificationConfig.Key(cp.publicKeyPem(), "ES256", null)), cp.keyId(),
            null, null)));
    JsonNode entry = JSON.readTree(dev.gatehouse.engine.value.Json.write(b.data())).at("/gatehouse/grants/0");
    assertThat(entry.get("id").asText()).isEqualTo(grantId);
    JWSObject jws = JWSObject.parse(entry.get("jws").asText());
    ECKey key = (ECKey) JWKSet.parse(cp.service() == null ? "" : HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(cp.url() + "/api/v1/keys")).build(), HttpResponse.BodyHandlers.ofString()).body()).getKeyByKeyId(cp.keyId());
    assertThat(jws.verify(new ECDSAVerifier(key))).isTrue();

    Cli.Result revoke = as(BOB, "grant", "revoke", grantId, "--reason", "done");
    assertThat(revoke.exit()).isZero();
    assertThat(revoke.out()).contains("revoked at", "by bob");
    assertThat(as(BOB, "grant", "list", "--active", "-o", "json").out()).doesNotContain(grantId);
    assertThat(as(BOB, "grant", "list").out()).contains("revoked");

    Cli.Result verify = as(AUDITOR, "audit", "verify");
    assertThat(verify.exit()).as(verify.err()).isZero();
    assertThat(verify.out()).startsWith("audit chain ok:");
    Cli.Result tail = as(AUDITOR, "audit", "tail", "-n", "3", "-o", "json");
    assertThat(tail.exit()).isZero();
    assertThat(tail.out().strip().split("\n")).hasSize(3);
    assertThat(tail.out()).contains("grant.revoked");
  }

  @Test
  void refusalsExitOneWithTheReasons() throws Exception {
    String id = create(BOB);
    Cli.Result self = as(BOB, "review", "approve", id);
    assertThat(self.exit()).isEqualTo(1);
    assertThat(self.err()).contains("requesters cannot review their own request", "self_review");
    assertThat(as(ALICE, "review", "approve", id).exit()).isZero();
    Cli.Result twice = as(ALICE, "review", "approve", id);
    assertThat(twice.exit()).isEqualTo(1);
    assertThat(twice.err()).contains("duplicate_review");
    Cli.Result invalid = as(ZOE, "request", "create", "--service", "payments-api", "--actions", "write", "--namespace",
        "payments-prod", "--for", "8h", "--reason", "just curious");
    assertThat(invalid.exit()).isEqualTo(1);
    assertThat(invalid.err()).contains("invalid_request", "- ticket:", "- duration:", "- eligibility:");
    Cli.Result dry = as(BOB, "request", "create", "--service", "payments-api", "--namespace", "payments-prod", "--actions",
        "write", "--for", "1h", "--reason", "Replay the failed settlement batch", "--ticket", "PAY-1", "--dry-run");
    assertThat(dry.exit()).isZero();
    assertThat(dry.out()).contains("Valid: true", "Approvals required: 2");
    assertThat(as(ZOE, "request", "list", "--to-review", "-o", "json").out()).doesNotContain(id);
    assertThat(as(CAROL, "request", "list", "--to-review").out()).contains(id);
    assertThat(as(BOB, "request", "cancel", id).out()).contains("cancelled");
  }

  @Test
  void revokeEveryGrantOfAUser() throws Exception {
    for (int i = 0; i < 2; i++) {
      String id = create(BOB);
      as(ALICE, "review", "approve", id);
      assertThat(as(CAROL, "review", "approve", id).exit()).isZero();
    }
    Cli.Result refused = as(ZOE, "grant", "revoke", "--subject", "bob");
    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.err()).contains("nothing was revoked");
    Cli.Result all = as(ALICE, "grant", "revoke", "--subject", "bob", "--reason", "incident over");
    assertThat(all.exit()).as(all.err()).isZero();
    assertThat(all.out()).startsWith("Revoked 2 grant(s)");
    assertThat(JSON.readTree(as(BOB, "grant", "list", "--active", "-o", "json").out()).get("grants")).isEmpty();
    assertThat(as(ALICE, "grant", "revoke").exit()).isEqualTo(2);
  }

  @Test
  void usageAndConnectionErrorsExitTwo() {
    assertThat(Cli.run("request", "create", "--for", "1h", "--server", cp.url(), "--token", BOB).exit()).isEqualTo(2);
    assertThat(Cli.run("request", "create", "--service", "x", "--role", "edit", "--namespace", "n", "--for", "1h",
        "--server", cp.url(), "--token", BOB).exit()).isEqualTo(2);
    assertThat(Cli.run("request", "list", "--bogus").exit()).isEqualTo(2);
    Cli.Result down = Cli.run("request", "list", "--server", "http://127.0.0.1:1", "--token", BOB);
    assertThat(down.exit()).isEqualTo(2);
    assertThat(down.err()).contains("cannot reach the control plane");
    Cli.Result badToken = Cli.run("request", "list", "--server", cp.url(), "--token", "nope-nope-nope-nope");
    assertThat(badToken.exit()).isEqualTo(1);
    assertThat(badToken.err()).contains("unauthenticated");
  }

  @Test
  void loginWritesTheProfileTheOtherCommandsUse() throws Exception {
    Cli.Result login = Cli.run("login", "--server", cp.url(), "--token", BOB);
    assertThat(login.exit()).as(login.err()).isZero();
    assertThat(login.out()).contains("as bob");
    Cli.Result mine = Cli.run("request", "list", "--mine");
    assertThat(mine.exit()).as(mine.err()).isZero();
  }

  @Test
  void auditVerifyNamesAnEditedAndADeletedRow() throws Exception {
    String id = create(BOB);
    as(ALICE, "review", "approve", id);
    create(BOB);
    assertThat(as(AUDITOR, "audit", "verify").exit()).isZero();
    Path data = tmp.resolve("data");
    cp.close();
    cp = null;
    sql(data, "UPDATE audit SET data = '{\"vote\":\"deny\"}' WHERE seq = 3");
    cp = startOn(data);
    Cli.Result edited = as(AUDITOR, "audit", "verify");
    assertThat(edited.exit()).isEqualTo(1);
    assertThat(edited.err()).contains("audit chain BROKEN at event 3", "altered");

    cp.close();
    cp = null;
    Path data2 = tmp.resolve("data2");
    cp = startOn(data2);
    String id2 = create(BOB);
    as(ALICE, "review", "approve", id2);
    create(BOB);
    cp.close();
    cp = null;
    sql(data2, "DELETE FROM audit WHERE seq = 2");
    cp = startOn(data2);
    Cli.Result deleted = as(AUDITOR, "audit", "verify");
    assertThat(deleted.exit()).isEqualTo(1);
    assertThat(deleted.err()).contains("audit chain BROKEN at event 2", "missing");
    assertThat(as(AUDITOR, "audit", "verify", "--from", "3").exit()).isZero();
  }

  private static void sql(Path data, String statement) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve(ControlPlane.DB_FILE));
        Statement s = c.createStatement()) {
      s.executeUpdate(statement);
    }
  }

}
