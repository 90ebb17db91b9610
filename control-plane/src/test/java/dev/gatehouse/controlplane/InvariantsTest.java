package dev.gatehouse.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InvariantsTest {
  @TempDir
  Path tmp;

  /** The policy library with its review decision replaced by one that allows everything. */
  private Path brokenPolicies() throws IOException {
    Path dir = tmp.resolve("broken-policies");
    try (Stream<Path> s = Files.walk(Harness.POLICIES)) {
      for (Path p : s.toList()) {
        Path to = dir.resolve(Harness.POLICIES.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
        } else if (!p.getFileName().toString().endsWith("_test.rego")) {
          Files.copy(p, to);
        }
      }
    }
    Files.writeString(dir.resolve("gatehouse/jit/review/review.rego"), """
        package gatehouse.jit.review

        # Deliberately broken: allows every review and says the quorum is reached.
        decision := {"allowed": true, "reasons": [], "quorum_reached": true, "outcome": "approved",
        \t"approvals": 1, "required_approvals": 1}
        """);
    return dir;
  }

  @Test
  void selfApprovalIsRefusedEvenWhenThePolicyWouldAllowIt() throws Exception {
    Path data = tmp.resolve("data");
    ControlPlane.Options o = Harness.options(data, brokenPolicies());
    try (ControlPlane cp = ControlPlane.start(o)) {
      Harness h = new HarnessView(cp);
      String id = h.file(Harness.CAROL, Harness.prodWrite("1h"));
      Harness.Res self = h.post(Harness.CAROL, "/api/v1/requests/" + id + "/reviews", "{\"decision\":\"approve\"}");
      assertThat(self.status()).isEqualTo(403);
      assertThat(self.json().get("error").asText()).isEqualTo("self_review");
      // the same person under another spelling (" Carol ") is the same person
      Harness.Res upper = h.post(Harness.CAROL_UPPER, "/api/v1/requests/" + id + "/reviews", "{\"decision\":\"approve\"}");
      assertThat(upper.status()).isEqualTo(403);
      assertThat(upper.json().get("error").asText()).isEqualTo("self_review");
      assertThat(h.get(Harness.CAROL, "/api/v1/requests/" + id).json().get("state").asText()).isEqualTo("pending");
      assertThat(h.get(Harness.PAT, "/api/v1/grants").json().get("grants")).isEmpty();
      // both refusals are in the audit log
      JsonNode events = h.get(Harness.AUDITOR, "/api/v1/audit?limit=1000").json().get("events");
      long refused = 0;
      for (JsonNode e : events) {
        if (e.get("type").asText().equals("review.refused") && e.get("data").get("error").asText().equals("self_review")) {
          refused++;
        }
      }
      assertThat(refused).isEqualTo(2);
      // the broken policy lets someone else approve alone: that is the policy's call, and it is obeyed
      Harness.Res other = h.post(Harness.ALICE, "/api/v1/requests/" + id + "/reviews", "{\"decision\":\"approve\"}");
      assertThat(other.status()).isEqualTo(201);
      assertThat(other.json().get("state").asText()).isEqualTo("approved");
    }
  }

  @Test
  void oneVotePerReviewerAndClosedRequestsTakeNoVotes() throws Exception {
    try (Harness h = new Harness(tmp.resolve("data"))) {
      String id = h.file(Harness.BOB, Harness.prodWrite("1h"));
      assertThat(h.post(Harness.ALICE, "/api/v1/requests/" + id + "/reviews", "{\"decision\":\"approve\"}").status())
          .isEqualTo(201);
      Harness.Res again = h.post(Harness.ALICE, "/api/v1/requests/" + id + "/reviews", "{\"decision\":\"approve\"}");
      assertThat(again.status()).isEqualTo(409);
      assertThat(again.json().get("error").asText()).isEqualTo("duplicate_review");
      assertThat(h.get(Harness.BOB, "/api/v1/requests/" + id).json().get("reviews")).hasSize(1);
      // an outsider is refused by the policy, with its reasons
      Harness.Res outsider = h.post(Harness.ZOE, "/api/v1/requests/" + id + "/reviews", "{\"decision\":\"approve\"}");
      assertThat(outsider.status()).isEqualTo(403);
      assertThat(outsider.json().get("error").asText()).isEqualTo("review_refused");
      assertThat(outsider.json().get("reasons").get(0).get("rule").asText()).isEqualTo("reviewer-qualified");
      // a deny closes it; later votes are refused
      Harness.Res deny = h.post(Harness.CAROL, "/api/v1/requests/" + id + "/reviews", "{\"decision\":\"deny\",\"comment\":\"no\"}");
      assertThat(deny.json().get("state").asText()).isEqualTo("denied");
      Harness.Res late = h.post(Harness.PAT, "/api/v1/requests/" + id + "/reviews", "{\"decision\":\"approve\"}");
      assertThat(late.status()).isEqualTo(409);
      assertThat(late.json().get("error").asText()).isEqualTo("request_closed");
      assertThat(h.get(Harness.PAT, "/api/v1/grants").json().get("grants")).isEmpty();
    }
  }

  @Test
  void concurrentApprovalsProduceExactlyOneGrant() throws Exception {
    try (Harness h = new Harness(tmp.resolve("data"))) {
      String[] reviewers = {Harness.ALICE, Harness.CAROL, Harness.PAT, Harness.QUINN};
      ExecutorService pool = Executors.newFixedThreadPool(reviewers.length);
      try {
        for (int round = 0; round < 10; round++) {
          String id = h.file(Harness.BOB, Harness.prodWrite("1h"));
          CountDownLatch go = new CountDownLatch(1);
          List<Future<Harness.Res>> votes = new ArrayList<>();
          for (String r : reviewers) {
            votes.add(pool.submit(() -> {
              go.await();
              return h.post(r, "/api/v1/requests/" + id + "/reviews", "{\"decision\":\"approve\"}");
            }));
          }
          go.countDown();
          int accepted = 0;
          for (Future<Harness.Res> f : votes) {
            Harness.Res res = f.get();
            assertThat(res.status()).isIn(201, 409);
            if (res.status() == 201) {
              accepted++;
            }
          }
          // the quorum is two: the third and fourth votes find the request approved
          assertThat(accepted).isEqualTo(2);
          long grants = 0;
          for (JsonNode g : h.get(Harness.PAT, "/api/v1/grants?limit=1000").json().get("grants")) {
            if (g.get("request_id").asText().equals(id)) {
              grants++;
            }
          }
          assertThat(grants).isEqualTo(1);
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  /** A harness over an already started control plane. */
  private static final class HarnessView extends Harness {
    HarnessView(ControlPlane cp) {
      super(cp);
    }
  }
}
