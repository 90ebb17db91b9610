package dev.gatehouse.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Audit events shipped to a SIEM collector over HTTP: in chain order, retried, never in the way. */
class AuditShippingTest {
  @TempDir
  Path tmp;

  /** A collector that refuses its first {@code refusals} batches (503), then keeps what it gets. */
  static final class Collector implements AutoCloseable {
    final HttpServer server;
    final List<JsonNode> events = new ArrayList<>();
    final AtomicInteger attempts = new AtomicInteger();
    final CountDownLatch release;

    Collector(int refusals, CountDownLatch release) throws IOException {
      this.release = release;
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext("/ingest", ex -> {
        try {
          release.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        int n = attempts.incrementAndGet();
        if (n <= refusals) {
          ex.sendResponseHeaders(503, -1);
          ex.close();
          return;
        }
        assertThat(ex.getRequestHeaders().getFirst("Content-Encoding")).isEqualTo("gzip");
        assertThat(ex.getRequestHeaders().getFirst("Authorization")).isEqualTo("Bearer siem-token");
        try (InputStream in = new GZIPInputStream(ex.getRequestBody())) {
          JsonNode batch = Jsons.MAPPER.readTree(in);
          synchronized (events) {
            batch.forEach(events::add);
          }
        }
        ex.sendResponseHeaders(204, -1);
        ex.close();
      });
      server.start();
    }

    URI url() {
      return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/ingest");
    }

    List<JsonNode> snapshot() {
      synchronized (events) {
        return new ArrayList<>(events);
      }
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  @Test
  void eventsReachTheCollectorInChainOrderAfterRefusals() throws Exception {
    try (Collector c = new Collector(2, new CountDownLatch(0));
        Harness h = new Harness(tmp.resolve("data"), o -> o.auditHttp(c.url(), "siem-token"))) {
      String id = h.file(Harness.BOB, Harness.prodWrite("1h"));
      assertThat(h.post(Harness.ALICE, "/api/v1/requests/" + id + "/reviews", "{\"decision\":\"approve\"}").status())
          .isEqualTo(201);
      JsonNode stored = h.get(Harness.AUDITOR, "/api/v1/audit?limit=1000").json().get("events");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (c.snapshot().size() < stored.size() && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      List<JsonNode> shipped = c.snapshot();
      assertThat(c.attempts.get()).isGreaterThan(2);
      assertThat(shipped).hasSameSizeAs(stored);
      for (int i = 0; i < shipped.size(); i++) {
        assertThat(shipped.get(i).get("seq").asLong()).isEqualTo(stored.get(i).get("seq").asLong());
        assertThat(shipped.get(i).get("hash").asText()).isEqualTo(stored.get(i).get("hash").asText());
        if (i > 0) {
          assertThat(shipped.get(i).get("prev_hash").asText()).isEqualTo(shipped.get(i - 1).get("hash").asText());
        }
      }
      assertThat(shipped).extracting(e -> e.get("type").asText()).contains("request.filed", "review.recorded");
    }
  }

  @Test
  void aStuckCollectorDoesNotHoldUpDecisions() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try (Collector c = new Collector(0, release);
        Harness h = new Harness(tmp.resolve("data"), o -> o.auditHttp(c.url(), "siem-token"))) {
      // The collector answers nothing until released; filing and reviewing still complete.
      String id = h.file(Harness.BOB, Harness.prodWrite("1h"));
      assertThat(h.post(Harness.ALICE, "/api/v1/requests/" + id + "/reviews", "{\"decision\":\"approve\"}").status())
          .isEqualTo(201);
      release.countDown();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (c.snapshot().isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertThat(c.snapshot()).isNotEmpty();
    }
  }
}
