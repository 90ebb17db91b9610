package dev.gatehouse.controlplane.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.controlplane.ControlPlane;
import dev.gatehouse.controlplane.Jsons;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Load benchmark (not a test): a control plane on a fresh SQLite file, then
 * (1) N requests filed and 2N reviews cast by C concurrent clients — throughput and latency
 * percentiles; (2) L bundle clients long-polling the grants bundle and one revocation — the delay
 * until each client has the new bundle. Run with {@code scripts/control-plane-bench [N C L]}.
 */
public final class LoadBenchmark {
  static final Path FIXTURE = Path.of("control-plane/src/test/resources/fixture").toAbsolutePath();
  static final String BOB = "tok-bob-0123456789ab";
  static final String[] REVIEWERS = {"tok-alice-0123456789", "tok-carol-0123456789"};
  static final String ENFORCER = "tok-enforcer-0123456";

  private LoadBenchmark() {}

  public static void main(String[] args) throws Exception {
    int requests = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int clients = args.length > 1 ? Integer.parseInt(args[1]) : 50;
    int pollers = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
    Path data = Files.createTempDirectory("gatehouse-bench");
    ControlPlane cp = ControlPlane.start(new ControlPlane.Options(data, Path.of("policies").toAbsolutePath())
        .orgFile(FIXTURE.resolve("org.json")).tokensFile(FIXTURE.resolve("tokens.json")).listen("127.0.0.1", 0));
    try {
      String url = cp.url();
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
      System.out.printf("control plane %s, data %s, %d cores%n", url, data, Runtime.getRuntime().availableProcessors());
      warmUp(http, url);

      ExecutorService pool = Executors.newFixedThreadPool(clients);
      String body = "{\"target\":{\"kind\":\"service\",\"service\":\"payments-api\",\"namespace\":\"payments-prod\","
          + "\"actions\":[\"read\",\"write\"]},\"duration\":\"2h\",\"reason\":\"Replay the failed settlement batch\",\"ticket\":\"PAY-1234\"}";
      List<String> ids = Collections.synchronizedList(new ArrayList<>());
      ConcurrentLinkedQueue<Long> fileLat = new ConcurrentLinkedQueue<>();
      AtomicInteger errors = new AtomicInteger();
      long t0 = System.nanoTime();
      List<Future<?>> fs = new ArrayList<>();
      for (int i = 0; i < requests; i++) {
        fs.add(pool.submit(() -> {
          long s = System.nanoTime();
          HttpResponse<String> r = post(http, url + "/api/v1/requests", BOB, body);
          fileLat.add(System.nanoTime() - s);
          if (r.statusCode() == 201) {
            ids.add(Jsons.parse(r.body()).get("id").asText());
          } else {
            errors.incrementAndGet();
          }
          return null;
        }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
      double fileSecs = (System.nanoTime() - t0) / 1e9;
      report("file request (POST /api/v1/requests)", fileLat, fileSecs, errors.get());

      ConcurrentLinkedQueue<Long> revLat = new ConcurrentLinkedQueue<>();
      AtomicInteger revErrors = new AtomicInteger();
      fs.clear();
      long t1 = System.nanoTime();
      for (String id : ids) {
        for (String reviewer : REVIEWERS) {
          fs.add(pool.submit(() -> {
            long s = System.nanoTime();
            HttpResponse<String> r = post(http, url + "/api/v1/requests/" + id + "/reviews", reviewer, "{\"decision\":\"approve\"}");
            revLat.add(System.nanoTime() - s);
            if (r.statusCode() != 201) {
              revErrors.incrementAndGet();
            }
            return null;
          }));
        }
      }
      for (Future<?> f : fs) {
        f.get();
      }
      double revSecs = (System.nanoTime() - t1) / 1e9;
      report("review (POST /api/v1/requests/{id}/reviews)", revLat, revSecs, revErrors.get());
      long grants = Jsons.parse(get(http, url + "/api/v1/grants?active=true&limit=1000", BOB).body()).get("grants").size();
      System.out.printf("grants issued: %d (expected %d)%n", grants, ids.size());
      pool.shutdown();

      longPolls(http, url, pollers);
    } finally {
      cp.close();
    }
  }

  private static void warmUp(HttpClient http, String url) throws Exception {
    for (int i = 0; i < 50; i++) {
      get(http, url + "/api/v1/requests?limit=1", BOB);
    }
  }

  private static void longPolls(HttpClient http, String url, int pollers) throws Exception {
    HttpResponse<byte[]> first = http.send(HttpRequest.newBuilder(URI.create(url + "/bundles/grants"))
        .header("Authorization", "Bearer " + ENFORCER).build(), HttpResponse.BodyHandlers.ofByteArray());
    String etag = first.headers().firstValue("ETag").orElseThrow();
    System.out.printf("grants bundle %s: %d bytes%n", etag, first.body().length);
    // Each poller gets its own client so that each holds its own connection, as separate enforcers do.
    List<CompletableFuture<Long>> done = new ArrayList<>();
    long[] revokedAt = {0};
    // 50 pollers share one client (its own connections, its own selector thread), as 20 enforcer processes would.
    HttpClient client = null;
    for (int i = 0; i < pollers; i++) {
      if (i % 50 == 0) {
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
      }
      done.add(client.sendAsync(HttpRequest.newBuilder(URI.create(url + "/bundles/grants"))
          .header("Authorization", "Bearer " + ENFORCER).header("If-None-Match", etag).header("Prefer", "wait=120")
          .timeout(Duration.ofSeconds(180)).build(), HttpResponse.BodyHandlers.ofByteArray()).thenApply(r -> {
            long at = System.nanoTime();
            if (r.statusCode() != 200) {
              throw new IllegalStateException("status " + r.statusCode());
            }
            return at;
          }));
    }
    long deadline = System.currentTimeMillis() + 60_000;
    int parked = 0;
    while (System.currentTimeMillis() < deadline) {
      parked = parked(http, url);
      if (parked >= pollers) {
        break;
      }
      Thread.sleep(100);
    }
    System.out.printf("long polls parked: %d%n", parked);
    JsonNode grants = Jsons.parse(get(http, url + "/api/v1/grants?active=true&limit=1", BOB).body()).get("grants");
    String grant = grants.get(0).get("id").asText();
    revokedAt[0] = System.nanoTime();
    HttpResponse<String> rv = post(http, url + "/api/v1/grants/" + grant + "/revoke", BOB, "{\"reason\":\"bench\"}");
    long ack = System.nanoTime();
    List<Long> delays = new ArrayList<>();
    int failed = 0;
    for (CompletableFuture<Long> f : done) {
      try {
        delays.add(f.get(60, TimeUnit.SECONDS) - revokedAt[0]);
      } catch (Exception e) {
        failed++;
      }
    }
    Collections.sort(delays);
    System.out.printf("revocation: HTTP %d acknowledged in %.1f ms; %d clients got the new bundle, %d failed%n",
        rv.statusCode(), (ack - revokedAt[0]) / 1e6, delays.size(), failed);
    if (!delays.isEmpty()) {
      System.out.printf("delay from revoke to new bundle: p50 %.1f ms, p99 %.1f ms, max (every client) %.1f ms%n",
          pct(delays, 50) / 1e6, pct(delays, 99) / 1e6, delays.get(delays.size() - 1) / 1e6);
    }
  }

  private static int parked(HttpClient http, String url) throws Exception {
    String metrics = get(http, url + "/metrics", null).body();
    for (String line : metrics.split("\n")) {
      if (line.startsWith("gatehouse_bundle_long_polls ")) {
        return Integer.parseInt(line.substring(line.indexOf(' ') + 1).trim());
      }
    }
    return 0;
  }

  private static void report(String what, ConcurrentLinkedQueue<Long> lat, double secs, int errors) {
    List<Long> l = new ArrayList<>(lat);
    Collections.sort(l);
    System.out.printf("%s: %d in %.2f s = %.0f/s; latency p50 %.1f ms, p99 %.1f ms, max %.1f ms; non-2xx %d%n", what,
        l.size(), secs, l.size() / secs, pct(l, 50) / 1e6, pct(l, 99) / 1e6, l.get(l.size() - 1) / 1e6, errors);
  }

  private static long pct(List<Long> sorted, int p) {
    int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }

  private static HttpResponse<String> post(HttpClient http, String url, String token, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
        .header("content-type", "application/json").timeout(Duration.ofSeconds(60))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(HttpClient http, String url, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
