package dev.gatehouse.injector.load;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemTrustOptions;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Open-loop load generator for the webhook (run by scripts/webhook-bench). Requests are sent on a
 * fixed schedule whatever the server does, and each latency is measured from the moment the
 * request was due, so a stalled server shows in the percentiles instead of slowing the generator
 * (no coordinated omission). Like the API server it keeps a small pool of keep-alive TLS
 * connections. Bounded: it stops after the given duration, and only targets loopback addresses.
 *
 * <p>With {@code --server-pid} it also reports the server's CPU time per request over the measured
 * window (user + system, from {@code /proc/PID/stat}, all threads): unlike wall-clock percentiles,
 * that number means the same on a machine shared with other work. The generator's own CPU per
 * request is reported next to it, since on one machine both draw from the same cores.
 *
 * <pre>
 * LoadGenerator --url https://127.0.0.1:8443/validate --ca ca.crt --body review.json
 *               [--rate 200] [--warmup 10s] [--duration 30s] [--connections 8] [--label validate]
 *               [--server-pid PID]
 * </pre>
 */
public final class LoadGenerator {
  private LoadGenerator() {}

  public static void main(String[] args) throws Exception {
    String url = null;
    Path ca = null;
    Path body = null;
    int rate = 200;
    long warmupMs = 10_000;
    long durationMs = 30_000;
    int connections = 8;
    String label = "";
    long serverPid = -1;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--url" -> url = args[++i];
        case "--ca" -> ca = Path.of(args[++i]);
        case "--body" -> body = Path.of(args[++i]);
        case "--rate" -> rate = Integer.parseInt(args[++i]);
        case "--warmup" -> warmupMs = millis(args[++i]);
        case "--duration" -> durationMs = millis(args[++i]);
        case "--connections" -> connections = Integer.parseInt(args[++i]);
        case "--label" -> label = args[++i];
        case "--server-pid" -> serverPid = Long.parseLong(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    if (url == null || ca == null || body == null) {
      System.err.println("usage: LoadGenerator --url URL --ca CA.crt --body FILE [--rate N] [--warmup 10s] "
          + "[--duration 30s] [--connections 8]");
      System.exit(2);
    }
    URI uri = URI.create(url);
    if (!uri.getScheme().equals("https") || !(uri.getHost().startsWith("127.") || uri.getHost().equals("localhost")
        || uri.getHost().equals("[::1]"))) {
      throw new IllegalArgumentException("load is only ever sent to https on loopback addresses, not " + url);
    }
    Vertx vertx = Vertx.vertx();
    try {
      HttpClient client = vertx.createHttpClient(new HttpClientOptions().setSsl(true).setKeepAlive(true)
              .setTrustOptions(new PemTrustOptions().addCertPath(ca.toString())).setVerifyHost(false)
              .setConnectTimeout(5000),
          new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1));
      Buffer payload = Buffer.buffer(Files.readAllBytes(body));
      RequestOptions req = new RequestOptions().setMethod(HttpMethod.POST).setHost(uri.getHost()).setPort(uri.getPort())
          .setURI(uri.getPath()).putHeader("content-type", "application/json").setTimeout(10_000);
      run(client, req, payload, rate, warmupMs);
      long serverCpu0 = serverPid > 0 ? cpuNanos(serverPid) : -1;
      java.util.Map<String, Long> threads0 = serverPid > 0 ? threadCpu(serverPid) : java.util.Map.of();
      long ownCpu0 = ownCpuNanos();
      Result r = run(client, req, payload, rate, durationMs);
      long serverCpu = serverPid > 0 ? cpuNanos(serverPid) - serverCpu0 : -1;
      long ownCpu = ownCpuNanos() - ownCpu0;
      System.out.println(r.report(label.isEmpty() ? url : label, rate, connections));
      String cpu = String.format(Locale.ROOT, "    cpu per request: generator %.3f ms", ownCpu / 1e6 / r.sent());
      if (serverCpu >= 0) {
        cpu += String.format(Locale.ROOT, ", server %.3f ms (%.1f%% of one core at this rate)",
            serverCpu / 1e6 / r.sent(), serverCpu / 1e7 / (r.elapsedNanos() / 1e9));
      }
      System.out.println(cpu);
      if (serverPid > 0) {
        java.util.Map<String, Long> threads = threadCpu(serverPid);
        StringBuilder sb = new StringBuilder("    server cpu per request by thread:");
        threads.entrySet().stream()
            .map(e -> java.util.Map.entry(e.getKey(), e.getValue() - threads0.getOrDefault(e.getKey(), 0L)))
            .filter(e -> e.getValue() > 0)
            .sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed())
            .limit(8)
            .forEach(e -> sb.append(String.format(Locale.ROOT, " %s %.3f ms;", e.getKey(), e.getValue() / 1e6 / r.sent())));
        System.out.println(sb);
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /** User + system CPU of a whole process (every thread), from /proc/PID/stat, in nanoseconds. */
  static long cpuNanos(long pid) throws java.io.IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    // The command name (field 2) may hold spaces; the fields after its closing parenthesis do not.
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" +");
    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
    return ticks * (1_000_000_000L / CLOCK_TICKS);
  }

  /**
   * CPU by thread group (the thread's name without its number: {@code vert.x-eventloop-thread-},
   * {@code ZWorker#}, {@code C2 CompilerThread}), summed over the group, in nanoseconds. Threads
   * that ended in between are missing from the second reading; groups are long-lived here.
   */
  static java.util.Map<String, Long> threadCpu(long pid) {
    java.util.Map<String, Long> out = new java.util.TreeMap<>();
    java.io.File[] tasks = new java.io.File("/proc/" + pid + "/task").listFiles();
    if (tasks == null) {
      return out;
    }
    for (java.io.File t : tasks) {
      try {
        String stat = Files.readString(t.toPath().resolve("stat"));
        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[0-9]+$", "");
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" +");
        long ns = (Long.parseLong(f[11]) + Long.parseLong(f[12])) * (1_000_000_000L / CLOCK_TICKS);
        out.merge(name, ns, Long::sum);
      } catch (java.io.IOException | RuntimeException e) {
        // the thread ended while we looked
      }
    }
    return out;
  }

  /** Linux's USER_HZ, the unit of /proc times; 100 on every mainstream architecture. */
  private static final long CLOCK_TICKS = 100;

  private static long ownCpuNanos() {
    java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
  }

  private static long millis(String s) {
    if (s.endsWith("ms")) {
      return Long.parseLong(s.substring(0, s.length() - 2));
    }
    if (s.endsWith("s")) {
      return Long.parseLong(s.substring(0, s.length() - 1)) * 1000;
    }
    return Long.parseLong(s);
  }

  /** Sorted latencies (ns) of the successful requests, plus counts. */
  record Result(long[] latencies, long sent, long errors, long unfinished, long elapsedNanos, String firstError) {
    long percentile(double p) {
      if (latencies.length == 0) {
        return 0;
      }
      int idx = (int) Math.ceil(p / 100.0 * latencies.length) - 1;
      return latencies[Math.max(0, Math.min(idx, latencies.length - 1))];
    }

    String report(String label, int rate, int connections) {
      double secs = elapsedNanos / 1e9;
      return String.format(Locale.ROOT,
          "%s: target %d req/s over %d connections; sent %d in %.1fs (%.1f req/s), ok %d, errors %d%s%s; "
              + "latency ms p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f",
          label, rate, connections, sent, secs, sent / secs, latencies.length, errors,
          firstError == null ? "" : " (first: " + firstError + ")",
          unfinished == 0 ? "" : ", unanswered after 60s " + unfinished,
          percentile(50) / 1e6, percentile(90) / 1e6, percentile(99) / 1e6, percentile(99.9) / 1e6,
          latencies.length == 0 ? 0 : latencies[latencies.length - 1] / 1e6);
    }
  }

  private static Result run(HttpClient client, RequestOptions req, Buffer payload, int rate, long durationMs)
      throws InterruptedException {
    long interval = 1_000_000_000L / rate;
    int total = (int) (durationMs * rate / 1000);
    AtomicLongArray took = new AtomicLongArray(total);
    AtomicLong errors = new AtomicLong();
    String[] firstError = new String[1];
    CountDownLatch done = new CountDownLatch(total);
    long start = System.nanoTime();
    for (int i = 0; i < total; i++) {
      long due = start + i * interval;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      final int n = i;
      client.request(req)
          .compose(r -> r.send(payload))
          .compose(resp -> resp.body().map(b -> resp.statusCode()))
          .onComplete(ar -> {
            if (ar.succeeded() && ar.result() == 200) {
              took.set(n, System.nanoTime() - due);
            } else {
              took.set(n, -1);
              if (errors.incrementAndGet() == 1) {
                firstError[0] = ar.succeeded() ? "HTTP " + ar.result() : String.valueOf(ar.cause());
              }
            }
            done.countDown();
          });
    }
    done.await(60, TimeUnit.SECONDS);
    long elapsed = System.nanoTime() - start;
    long[] ok = new long[total];
    int k = 0;
    long unfinished = 0;
    for (int i = 0; i < total; i++) {
      long v = took.get(i);
      if (v > 0) {
        ok[k++] = v;
      } else if (v == 0) {
        unfinished++;
      }
    }
    long[] ls = Arrays.copyOf(ok, k);
    Arrays.sort(ls);
    return new Result(ls, total, errors.get(), unfinished, elapsed, firstError[0]);
  }
}
