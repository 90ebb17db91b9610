package dev.gatehouse.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.controlplane.store.ReviewRecord;
import dev.gatehouse.controlplane.store.SqliteStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kill -9 during a burst of approvals: every approval the API acknowledged is in the store afterwards. */
class CrashTest {
  @TempDir
  Path tmp;

  @Test
  void everyAcknowledgedApprovalSurvivesKillDashNine() throws Exception {
    Path data = tmp.resolve("data");
    Path portFile = tmp.resolve("port");
    Process server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), ForkedServer.class.getName(), data.toString(), portFile.toString())
        .redirectErrorStream(true).redirectOutput(tmp.resolve("server.log").toFile()).start();
    try {
      long deadline = System.currentTimeMillis() + 60_000;
      while (!Files.exists(portFile)) {
        assertThat(server.isAlive()).as("server died: " + (Files.exists(tmp.resolve("server.log"))
            ? Files.readString(tmp.resolve("server.log")) : "")).isTrue();
        assertThat(System.currentTimeMillis()).isLessThan(deadline);
        Thread.sleep(50);
      }
      String url = "http://127.0.0.1:" + Files.readString(portFile).trim();
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/requests"))
            .header("Authorization", "Bearer " + Harness.BOB).header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(Harness.prodWrite("1h"))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(201);
        ids.add(Jsons.parse(r.body()).get("id").asText());
      }
      // approvals from 8 clients at once; after 40 acknowledgements the server is killed mid-burst
      Set<String> acked = ConcurrentHashMap.newKeySet();
      AtomicInteger ackCount = new AtomicInteger();
      ExecutorService pool = Executors.newFixedThreadPool(8);
      String[] reviewers = {Harness.ALICE, Harness.CAROL};
      String[] names = {"alice", "carol"};
      for (String id : ids) {
        for (int k = 0; k < 2; k++) {
          int who = k;
          pool.submit(() -> {
            try {
              HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/requests/" + id + "/reviews"))
                  .header("Authorization", "Bearer " + reviewers[who]).header("content-type", "application/json")
                  .timeout(Duration.ofSeconds(10))
                  .POST(HttpRequest.BodyPublishers.ofString("{\"decision\":\"approve\"}")).build(),
                  HttpResponse.BodyHandlers.ofString());
              if (r.statusCode() == 201) {
                acked.add(id + "/" + names[who]);
                ackCount.incrementAndGet();
              }
            } catch (Exception connectionLost) {
              // after the kill: not acknowledged, so nothing is promised
            }
            return null;
          });
        }
      }
      while (ackCount.get() < 40 && server.isAlive()) {
        Thread.sleep(1);
      }
      server.destroyForcibly(); // SIGKILL
      server.waitFor(10, TimeUnit.SECONDS);
      pool.shutdown();
      pool.awaitTermination(30, TimeUnit.SECONDS);
      assertThat(acked.size()).isGreaterThanOrEqualTo(40).isLessThan(120);

      try (SqliteStore store = SqliteStore.open(data.resolve(ControlPlane.DB_FILE))) {
        for (String a : acked) {
          String[] p = a.split("/");
          List<ReviewRecord> reviews = store.reviews(p[0]);
          assertThat(reviews).extracting(ReviewRecord::reviewer).as(a).contains(p[1]);
        }
        // a request with both approvals acknowledged has its grant
        for (String id : ids) {
          if (acked.contains(id + "/alice") && acked.contains(id + "/carol")) {
            assertThat(store.request(id).orElseThrow().grantId()).as(id).isNotNull();
          }
        }
        var v = new dev.gatehouse.controlplane.audit.AuditChain.Verifier(1);
        v.feed(store.audit(1, 100_000));
        assertThat(v.result().ok()).as(String.valueOf(v.result().reason())).isTrue();
      }
    } finally {
      server.destroyForcibly();
    }
  }
}
