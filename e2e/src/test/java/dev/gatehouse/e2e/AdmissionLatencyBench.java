package dev.gatehouse.e2e;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Admission latency of the webhook as the API server measures it: creates compliant pods as alice
 * in an opted-in namespace (so each create calls the mutating and the validating webhook) at a
 * steady rate, and reads {@code apiserver_admission_webhook_admission_duration_seconds} from the
 * API server's /metrics before and after the measured window. Run through
 * {@code scripts/k8s-admission-bench}; not a test.
 */
public final class AdmissionLatencyBench {
  private AdmissionLatencyBench() {}

  public static void main(String[] args) throws Exception {
    int rate = 20;
    Duration duration = Duration.ofSeconds(30);
    Duration warmup = Duration.ofSeconds(10);
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--rate" -> rate = Integer.parseInt(args[++i]);
        case "--duration" -> duration = Duration.ofSeconds(Long.parseLong(args[++i].replace("s", "")));
        case "--warmup" -> warmup = Duration.ofSeconds(Long.parseLong(args[++i].replace("s", "")));
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    String reason = KubeTestEnv.unavailableReason();
    if (reason != null) {
      System.err.println(reason);
      System.exit(3);
    }
    KubeTestEnv env = KubeTestEnv.shared();
    String suite = WebhookRegistration.newSuite("bench");
    try (KubernetesClient admin = env.admin(); KubernetesClient alice = env.client("alice");
        InProcessWebhook webhook = InProcessWebhook.start(Path.of("target/e2e-work", suite));
        WebhookRegistration reg = WebhookRegistration.register(admin, webhook, suite, o -> o)) {
      String ns = reg.namespace("enabled", Map.of("gatehouse.dev/inject", "enabled"));
      WebhookRegistration.awaitEffective(admin, ns, Fixtures.compliantPod("probe"),
          r -> r instanceof Pod p && AdmissionE2ETest.sidecars(p) == 1, "mutating");
      System.err.printf("== %d cores; pod creates as alice at %d/s: warm-up %ds, measured %ds%n",
          Runtime.getRuntime().availableProcessors(), rate, warmup.toSeconds(), duration.toSeconds());
      drive(alice, ns, "w", rate, warmup);
      String before = env.adminGet("/metrics");
      String webhookBefore = webhook.metrics();
      double[] load0 = loadAverage();
      List<Long> client = drive(alice, ns, "m", rate, duration);
      String after = env.adminGet("/metrics");
      String webhookAfter = webhook.metrics();
      double[] load1 = loadAverage();
      System.out.printf("load average (1 min) at start %.1f, at end %.1f%n", load0[0], load1[0]);

      Map<String, Histogram> b = histograms(before);
      Map<String, Histogram> a = histograms(after);
      System.out.println("API server: apiserver_admission_webhook_admission_duration_seconds, measured window");
      System.out.printf("%-72s %6s %9s %9s %9s %9s%n", "webhook", "count", "mean", "p50~", "p99~", "<=25ms");
      for (Map.Entry<String, Histogram> e : a.entrySet()) {
        if (!e.getKey().contains("gatehouse.dev")) {
          continue;
        }
        Histogram d = e.getValue().minus(b.getOrDefault(e.getKey(), Histogram.EMPTY));
        if (d.count == 0) {
          continue;
        }
        System.out.printf("%-72s %6d %7.2fms %7.1fms %7.1fms %8.1f%%%n", e.getKey(), (long) d.count,
            1000 * d.sum / d.count, 1000 * d.quantile(0.5), 1000 * d.quantile(0.99), 100 * d.fractionAtMost(0.025));
      }
      Map<String, Histogram> wb = histograms(webhookBefore, WEBHOOK_METRIC);
      for (Map.Entry<String, Histogram> e : histograms(webhookAfter, WEBHOOK_METRIC).entrySet()) {
        Histogram d = e.getValue().minus(wb.getOrDefault(e.getKey(), Histogram.EMPTY));
        if (d.count > 0) {
          System.out.printf("webhook's own %s{%s}: count %d, mean %.2fms%n", WEBHOOK_METRIC, e.getKey(), (long) d.count,
              1000 * d.sum / d.count);
        }
      }
      Collections.sort(client);
      System.out.printf("client (alice's POST /pods, whole request incl. both webhooks and etcd): n=%d p50=%.1fms "
          + "p90=%.1fms p99=%.1fms max=%.1fms%n", client.size(), pct(client, 0.5), pct(client, 0.9), pct(client, 0.99),
          client.get(client.size() - 1) / 1e6);
      System.out.println("(p50~/p99~ interpolate within the API server's buckets: 5ms, 25ms, 100ms, 500ms...; "
          + "mean is exact)");
    }
    System.exit(0);
  }

  private static double[] loadAverage() {
    try {
      String[] f = java.nio.file.Files.readString(Path.of("/proc/loadavg")).split(" ");
      return new double[] {Double.parseDouble(f[0])};
    } catch (java.io.IOException | RuntimeException e) {
      return new double[] {Double.NaN};
    }
  }

  private static double pct(List<Long> sorted, double q) {
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1)) / 1e6;
  }

  /** Open loop: one create every 1/rate s, each timed from when it was due. */
  private static List<Long> drive(KubernetesClient client, String ns, String prefix, int rate, Duration d)
      throws InterruptedException {
    int n = (int) (rate * d.toSeconds());
    long interval = 1_000_000_000L / rate;
    List<Long> lat = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger errors = new AtomicInteger();
    Pod template = Fixtures.compliantPod("template");
    ExecutorService pool = Executors.newFixedThreadPool(64);
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      long due = start + i * interval;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      String name = prefix + "-" + i;
      pool.execute(() -> {
        try {
          Pod p = new io.fabric8.kubernetes.api.model.PodBuilder(template).editMetadata().withName(name).endMetadata()
              .build();
          client.pods().inNamespace(ns).resource(p).create();
          lat.add(System.nanoTime() - due);
        } catch (RuntimeException e) {
          if (errors.incrementAndGet() <= 3) {
            System.err.println("create failed: " + e.getMessage());
          }
        }
      });
    }
    pool.shutdown();
    pool.awaitTermination(2, TimeUnit.MINUTES);
    if (errors.get() > 0) {
      System.err.println(errors.get() + " creates failed");
    }
    return new ArrayList<>(lat);
  }

  static final String API_SERVER_METRIC = "apiserver_admission_webhook_admission_duration_seconds";
  static final String WEBHOOK_METRIC = "gatehouse_webhook_request_duration_seconds";

  static Map<String, Histogram> histograms(String metrics) {
    return histograms(metrics, API_SERVER_METRIC);
  }

  /** The histograms of one metric, keyed by their labels (without le). */
  static Map<String, Histogram> histograms(String metrics, String name) {
    Pattern line = Pattern.compile("^" + Pattern.quote(name) + "_(bucket|sum|count)\\{(.*)}\\s+(\\S+)$");
    Map<String, Histogram> out = new TreeMap<>();
    for (String text : metrics.split("\n")) {
      Matcher m = line.matcher(text);
      if (!m.matches()) {
        continue;
      }
      String labels = m.group(2);
      String le = null;
      Matcher lm = Pattern.compile(",?le=\"([^\"]*)\"").matcher(labels);
      if (lm.find()) {
        le = lm.group(1);
        labels = lm.replaceFirst("");
      }
      Histogram h = out.computeIfAbsent(labels, k -> new Histogram());
      double v = Double.parseDouble(m.group(3));
      switch (m.group(1)) {
        case "bucket" -> h.buckets.put(le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le), v);
        case "sum" -> h.sum = v;
        default -> h.count = v;
      }
    }
    return out;
  }

  static final class Histogram {
    static final Histogram EMPTY = new Histogram();
    final TreeMap<Double, Double> buckets = new TreeMap<>();
    double sum;
    double count;

    Histogram minus(Histogram o) {
      Histogram d = new Histogram();
      buckets.forEach((le, v) -> d.buckets.put(le, v - o.buckets.getOrDefault(le, 0.0)));
      d.sum = sum - o.sum;
      d.count = count - o.count;
      return d;
    }

    double fractionAtMost(double le) {
      return count == 0 ? 0 : buckets.getOrDefault(le, 0.0) / count;
    }

    /** As Prometheus' histogram_quantile: linear within the bucket holding the rank. */
    double quantile(double q) {
      double rank = q * count;
      double prevLe = 0;
      double prevCount = 0;
      for (Map.Entry<Double, Double> e : buckets.entrySet()) {
        if (e.getValue() >= rank) {
          if (e.getKey().isInfinite()) {
            return prevLe;
          }
          double inBucket = e.getValue() - prevCount;
          return prevLe + (e.getKey() - prevLe) * (inBucket == 0 ? 0 : (rank - prevCount) / inBucket);
        }
        prevLe = e.getKey();
        prevCount = e.getValue();
      }
      return prevLe;
    }
  }
}
