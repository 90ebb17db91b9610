package dev.gatehouse.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReloadAndNotifyTest {
  @TempDir
  Path tmp;

  private Path copyOfPolicies() throws IOException {
    Path dir = tmp.resolve("policies");
    try (Stream<Path> s = Files.walk(Harness.POLICIES)) {
      for (Path p : s.toList()) {
        Path to = dir.resolve(Harness.POLICIES.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
        } else {
          Files.copy(p, to);
        }
      }
    }
    return dir;
  }

  @Test
  void aPolicyChangeIsAuditedAndWakesPolicyBundlePolls() throws Exception {
    Path policies = copyOfPolicies();
    ControlPlane.Options o = Harness.options(tmp.resolve("data"), policies).policyPoll(Duration.ofMillis(200));
    try (ControlPlane cp = ControlPlane.start(o)) {
      Harness h = new Harness(cp);
      String before = cp.policies().current().orElseThrow().revision();
      String etag = h.get(Harness.ENFORCER, "/bundles/policies").raw().headers().firstValue("ETag").orElseThrow();
      assertThat(etag).isEqualTo(before);
      CompletableFuture<Harness.Res> poll = CompletableFuture.supplyAsync(() -> h.send(Harness.ENFORCER,
          HttpRequest.newBuilder(URI.create(h.url() + "/bundles/policies")).header("If-None-Match", etag)
              .header("Prefer", "wait=20").GET()));
      Thread.sleep(300);
      Path cfg = policies.resolve("gatehouse/config/data.json");
      Files.writeString(cfg, Files.readString(cfg).replace("\"min_justification_length\": 10", "\"min_justification_length\": 12"));
      Harness.Res woke = poll.get();
      assertThat(woke.status()).isEqualTo(200);
      String after = woke.raw().headers().firstValue("ETag").orElseThrow();
      assertThat(after).isNotEqualTo(before).isEqualTo(cp.policies().current().orElseThrow().revision());
      assertThat(h.get(Harness.AUDITOR, "/api/v1/audit?limit=1000").body()).contains("\"policy.revision\"", after);
      // the new rule is in force: an 11-character reason is now too short
      Harness.Res r = h.post(Harness.BOB, "/api/v1/requests", Harness.prodWrite("1h")
          .replace("Replay the failed settlement batch", "Replay, now"));
      assertThat(r.status()).isEqualTo(422);
      assertThat(r.json().get("violations").toString()).contains("justification");

      // a policy that no longer compiles is not taken: the last good one stays in force
      Files.writeString(policies.resolve("gatehouse/jit/request/broken.rego"), "package gatehouse.jit.request\n\nx := \n");
      Thread.sleep(600);
      assertThat(cp.policies().current().orElseThrow().revision()).isEqualTo(after);
      assertThat(h.get(null, "/health").json().get("policy_error").asText()).isNotBlank();
    }
  }

  @Test
  void undeliverableNotificationsAreRetriedThenAuditedWithoutBlockingTheDecision() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    HttpServer sink = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    sink.createContext("/hook", ex -> {
      calls.incrementAndGet();
      ex.sendResponseHeaders(500, -1);
      ex.close();
    });
    sink.start();
    try (Harness h = new Harness(tmp.resolve("data"), o -> o.webhook(URI.create("http://127.0.0.1:"
        + sink.getAddress().getPort() + "/hook")).webhookRetry(3, Duration.ofMillis(20)))) {
      long t0 = System.nanoTime();
      h.file(Harness.BOB, Harness.prodWrite("1h"));
      assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(5000);
      long deadline = System.currentTimeMillis() + 10_000;
      while (!h.get(Harness.AUDITOR, "/api/v1/audit?limit=1000").body().contains("notification.failed")
          && System.currentTimeMillis() < deadline) {
        Thread.sleep(50);
      }
      String audit = h.get(Harness.AUDITOR, "/api/v1/audit?limit=1000").body();
      assertThat(audit).contains("notification.failed", "HTTP 500 after 3 attempt(s)");
      assertThat(calls.get()).isEqualTo(3);
    } finally {
      sink.stop(0);
    }
  }
}
