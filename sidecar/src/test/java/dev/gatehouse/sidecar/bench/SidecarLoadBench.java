package dev.gatehouse.sidecar.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.engine.bundle.Bundle;
import dev.gatehouse.sync.fixture.BundleServer;
import dev.gatehouse.sync.fixture.Configs;
import dev.gatehouse.sync.fixture.Grants;
import dev.gatehouse.sync.fixture.Policies;
import dev.gatehouse.sync.fixture.SigningKey;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Load benchmark of the sidecar (run by {@code scripts/sidecar-bench}; not a test). Modes:
 * <ul>
 *   <li>{@code serve GRANTS DIR}: an upstream answering 200 "ok", a fixture bundle server with the
 *   repository's policies and GRANTS signed grants (one for {@code bench-user}), and a control port
 *   ({@code POST /revoke}, {@code POST /restore}); writes {@code DIR/opa.json} and {@code DIR/ports}.</li>
 *   <li>{@code load URL RATE SECONDS [HEADER=VALUE]}: open-loop load at RATE req/s; latency is
 *   measured from each request's scheduled time (no coordinated omission); prints percentiles.</li>
 *   <li>{@code revoke SIDECAR_URL CONTROL_URL ROUNDS [ADMIN_URL]}: revokes and restores the bench
 *   grant, and measures the time from publishing the revocation to the first 403; with the admin
 *   URL, also the sync's own verify and activation times of each revoked bundle (from /metrics).</li>
 * </ul>
 */
public final class SidecarLoadBench {
  private SidecarLoadBench() {}

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "serve" -> serve(Integer.parseInt(args[1]), Path.of(args[2]));
      case "load" -> load(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]), args.length > 4 ? args[4] : null);
      case "revoke" -> revoke(args[1], args[2], Integer.parseInt(args[3]), args.length > 4 ? args[4] : null);
      default -> throw new IllegalArgumentException("mode: serve | load | revoke");
    }
  }

  // ------------------------------------------------------------------------------------- serve

  static void serve(int grants, Path dir) throws Exception {
    Files.createDirectories(dir);
    SigningKey key = new SigningKey("bench-key");
    Vertx vertx = Vertx.vertx();
    var upstream = vertx.createHttpServer().requestHandler(r -> r.response().end("ok"));
    upstream.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get();
    BundleServer server = new BundleServer("bench-token");
    server.publish("policies", Policies.bundle("bench-policies", key));
    Instant now = Instant.now();
    List<ObjectNode> entries = new ArrayList<>(grants);
    for (int i = 0; i < grants - 1; i++) {
      entries.add(Grants.entry(Grants.serviceGrant(String.format("g-%06d", i), "user-" + i, "svc-" + (i % 50),
          "ns-" + (i % 7), List.of("read"), now.minus(Duration.ofMinutes(1)), now.plus(Duration.ofHours(8))), key));
    }
    ObjectNode bench = Grants.serviceGrant("g-bench", "bench-user", "payments-api", "payments-prod",
        List.of("read", "write"), now.minus(Duration.ofMinutes(1)), now.plus(Duration.ofHours(8)));
    ObjectNode benchEntry = Grants.entry(bench, key);
    ObjectNode revokedEntry = Grants.entry(Grants.revoked(bench, now, "bench"), key);
    AtomicInteger seq = new AtomicInteger();
    List<ObjectNode> active = new ArrayList<>(entries);
    active.add(benchEntry);
    List<ObjectNode> revoked = new ArrayList<>(entries);
    revoked.add(revokedEntry);
    Bundle activeBundle = Grants.bundle(seq.incrementAndGet(), active, key);
    server.publish("grants", activeBundle);
    // As the control plane does: a client at the previous revision gets a delta bundle of the one
    // changed grant (its index in the sorted list), others the snapshot. SIDECAR_BENCH_DELTAS=0:
    // snapshots only, as before delta bundles.
    boolean deltas = !"0".equals(System.getenv("SIDECAR_BENCH_DELTAS"));
    int benchIndex = (int) entries.stream().filter(e -> e.get("id").asText().compareTo("g-bench") < 0).count();
    var control = vertx.createHttpServer().requestHandler(r -> {
      boolean revoke = r.path().equals("/revoke");
      List<ObjectNode> which = revoke ? revoked : active;
      vertx.executeBlocking(() -> {
        synchronized (seq) {
          int base = seq.get();
          int next = seq.incrementAndGet();
          Bundle snapshot = Grants.bundle(next, which, key);
          if (deltas) {
            Bundle delta = Grants.delta(next, base, List.of(dev.gatehouse.engine.bundle.DataPatch.Op.replace(
                "/gatehouse/grants/" + benchIndex, Grants.value(revoke ? revokedEntry : benchEntry))), key);
            server.publish("grants", snapshot, "grants-" + base, delta);
          } else {
            server.publish("grants", snapshot);
          }
        }
        return null;
      }).onComplete(x -> r.response().end(String.valueOf(seq.get())));
    });
    control.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get();
    Files.writeString(dir.resolve("opa.json"), Configs.opaConfig(server.url(), "bench-token", key, null));
    Files.writeString(dir.resolve("ports"), "UPSTREAM=" + upstream.actualPort() + "\nCONTROL=" + control.actualPort()
        + "\nBUNDLES=" + server.port() + "\nGRANTS_BYTES=" + activeBundle.toTarGz().length + "\n");
    System.out.println("serving: " + Files.readString(dir.resolve("ports")).replace('\n', ' '));
    new CountDownLatch(1).await();
  }

  // -------------------------------------------------------------------------------------- load

  static void load(String url, int rate, int seconds, String header) throws Exception {
    URI u = URI.create(url);
    Vertx vertx = Vertx.vertx();
    HttpClientAgent client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true),
        new PoolOptions().setHttp1MaxSize(128));
    int total = rate * seconds;
    long[] latencies = new long[total];
    AtomicInteger done = new AtomicInteger();
    AtomicInteger errors = new AtomicInteger();
    AtomicInteger non200 = new AtomicInteger();
    CountDownLatch finished = new CountDownLatch(1);
    long start = System.nanoTime() + 50_000_000;
    long intervalNanos = 1_000_000_000L / rate;
    AtomicInteger sent = new AtomicInteger();
    RequestOptions base = new RequestOptions().setMethod(HttpMethod.GET).setHost(u.getHost()).setPort(u.getPort())
        .setURI(u.getRawPath().isEmpty() ? "/" : u.getRawPath());
    if (header != null) {
      int eq = header.indexOf('=');
      base.addHeader(header.substring(0, eq), header.substring(eq + 1));
    }
    // Every millisecond, send what the schedule says is due; latency counts from the due time.
    vertx.setPeriodic(1, id -> {
      long now = System.nanoTime();
      while (sent.get() < total) {
        int i = sent.get();
        long due = start + i * intervalNanos;
        if (due > now) {
          break;
        }
        sent.incrementAndGet();
        client.request(new RequestOptions(base)).compose(req -> req.send()).compose(resp -> {
          if (resp.statusCode() != 200) {
            non200.incrementAndGet();
          }
          return resp.body();
        }).onComplete(ar -> {
          if (ar.failed()) {
            errors.incrementAndGet();
          }
          latencies[i] = System.nanoTime() - due;
          if (done.incrementAndGet() == total) {
            finished.countDown();
          }
        });
      }
      if (sent.get() >= total) {
        vertx.cancelTimer(id);
      }
    });
    finished.await(seconds + 60L, TimeUnit.SECONDS);
    long elapsed = System.nanoTime() - start;
    long[] sorted = Arrays.copyOf(latencies, done.get());
    Arrays.sort(sorted);
    System.out.printf("target=%s rate=%d/s duration=%ds requests=%d achieved=%.0f/s errors=%d non200=%d%n",
        url, rate, seconds, done.get(), done.get() / (elapsed / 1e9), errors.get(), non200.get());
    System.out.printf("latency_ms p50=%.3f p90=%.3f p99=%.3f p99.9=%.3f max=%.3f%n", pct(sorted, 50), pct(sorted, 90),
        pct(sorted, 99), pct(sorted, 99.9), sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6);
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  private static double pct(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int i = (int) Math.min(sorted.length - 1, Math.ceil(p / 100.0 * sorted.length) - 1);
    return sorted[Math.max(0, i)] / 1e6;
  }

  // ------------------------------------------------------------------------------------ revoke

  static void revoke(String sidecarUrl, String controlUrl, int rounds, String adminUrl) throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpRequest probe = HttpRequest.newBuilder(URI.create(sidecarUrl)).header("x-user", "bench-user").build();
    long[] ms = new long[rounds];
    double[] verify = new double[rounds];
    double[] activate = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      http.send(HttpRequest.newBuilder(URI.create(controlUrl + "/restore")).POST(HttpRequest.BodyPublishers.noBody()).build(),
          HttpResponse.BodyHandlers.ofString());
      waitFor(http, probe, 200);
      http.send(HttpRequest.newBuilder(URI.create(controlUrl + "/revoke")).POST(HttpRequest.BodyPublishers.noBody()).build(),
          HttpResponse.BodyHandlers.ofString());
      // The control port answers once the revoked bundle is being served (building and signing
      // it is the control plane's time, not the sidecar's).
      long t0 = System.nanoTime();
      waitFor(http, probe, 403);
      ms[r] = (System.nanoTime() - t0) / 1_000_000;
      if (adminUrl != null) {
        String metrics = http.send(HttpRequest.newBuilder(URI.create(adminUrl + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString()).body();
        verify[r] = gauge(metrics, "gatehouse_bundle_verify_duration_seconds") * 1000;
        activate[r] = gauge(metrics, "gatehouse_bundle_activation_duration_seconds") * 1000;
      }
    }
    long[] sorted = ms.clone();
    Arrays.sort(sorted);
    System.out.printf("revoke->403 over %d rounds (ms, from publishing the revoked grants bundle): p50=%d p90=%d"
            + " p99=%d max=%d%n", rounds, sorted[idx(rounds, 50)], sorted[idx(rounds, 90)], sorted[idx(rounds, 99)],
        sorted[rounds - 1]);
    if (adminUrl != null) {
      Arrays.sort(verify);
      Arrays.sort(activate);
      System.out.printf("  of which, in the sidecar's sync (ms): read+verify p50=%.1f max=%.1f;"
              + " activate (swap data / compile) p50=%.1f max=%.1f; the rest is the long poll's answer, the"
              + " download, the grant index and the probe%n", verify[idx(rounds, 50)], verify[rounds - 1],
          activate[idx(rounds, 50)], activate[rounds - 1]);
    }
  }

  private static int idx(int n, double p) {
    return Math.max(0, Math.min(n - 1, (int) Math.ceil(p / 100.0 * n) - 1));
  }

  private static double gauge(String metrics, String name) {
    for (String line : metrics.split("\n")) {
      if (line.startsWith(name + " ")) {
        return Double.parseDouble(line.substring(name.length() + 1).trim());
      }
    }
    return Double.NaN;
  }

  private static void waitFor(HttpClient http, HttpRequest probe, int status) throws Exception {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() != status) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("no " + status + " within 30 s");
      }
      Thread.sleep(1);
    }
  }
}
