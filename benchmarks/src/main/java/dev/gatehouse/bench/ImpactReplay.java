package dev.gatehouse.bench;

import dev.gatehouse.engine.Policy;
import dev.gatehouse.engine.PreparedQuery;
import dev.gatehouse.engine.ast.RegoVersion;
import dev.gatehouse.engine.load.Loaded;
import dev.gatehouse.engine.load.Loader;
import dev.gatehouse.engine.value.Json;
import dev.gatehouse.engine.value.NumberValue;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import dev.gatehouse.impact.Impact;
import dev.gatehouse.impact.ImpactReport;
import dev.gatehouse.impact.corpus.Corpus;
import dev.gatehouse.impact.replay.Replayer;
import dev.gatehouse.impact.report.TextReport;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;

/**
 * The performance target for {@code gatehouse impact}: replay N recorded decisions
 * (default 100,000) against both revisions of the real policy library and report the wall time,
 * CPU time, throughput and peak heap. Not JMH: one end-to-end run is the number a user waits for,
 * including reading and gunzipping the log, parsing each event, both evaluations and the
 * aggregation. Setup (not timed): a throwaway Git repository with {@code policies/} as base and a
 * change as head (protected-namespace deploys only warn, ghcr.io leaves the allowed registries),
 * and a gzip decision log in OPA's event shape — sidecar calls (2/3) and webhook admissions (1/3)
 * built from the library's own fixtures, each with the result base decides.
 *
 * <pre>
 * ./mvnw -B -ntp -pl benchmarks -am package -DskipTests
 * java -Xmx512m -XX:+UseParallelGC -cp benchmarks/target/benchmarks.jar dev.gatehouse.bench.ImpactReplay [N] [THREADS]
 * </pre>
 * Run it from the repository root (it reads {@code policies/}). It also prints the equivalent
 * {@code ./gatehouse impact} command for the generated repository and log.
 */
public final class ImpactReplay {
  private ImpactReplay() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
    Path policies = Path.of("policies").toAbsolutePath();
    if (!Files.isDirectory(policies.resolve("gatehouse"))) {
      throw new IllegalStateException("run from the repository root: no policies/gatehouse here");
    }
    Path work = Files.createTempDirectory("impact-bench-");
    Path repo = work.resolve("repo");
    Path log = work.resolve("decisions.log.gz");
    Path grants = work.resolve("grants.json");
    long t0 = System.nanoTime();
    makeRepo(policies, repo);
    Value runtime = ObjectValue.of("gatehouse", ObjectValue.of("grants",
        ((ObjectValue) Json.parse(Files.readString(policies.resolve("gatehouse/testdata/grants.json")))).get("grants")));
    Files.writeString(grants, Json.write(runtime));
    long bytes = writeLog(policies, runtime, log, n);
    System.out.printf("setup: %,d events, %,d bytes gzip, in %.1f s (not timed)%n", n, bytes,
        (System.nanoTime() - t0) / 1e9);

    Corpus.Sources sources = new Corpus.Sources(List.of(log), List.of(), List.of(), Corpus.ADMISSION_PATH, null,
        Instant.now());
    Replayer.Options d = Replayer.Options.defaults();
    Impact.Request req = new Impact.Request(repo, null, null, "policies", sources, (ObjectValue) runtime,
        new Replayer.Options(d.masks(), 3, threads, d.timeout()), false);

    // The reader's share: gunzip and parse every event, replay nothing.
    long r0 = System.nanoTime();
    long rc0 = processCpu();
    new Corpus(sources).stream(e -> { });
    System.out.printf("reading and parsing the log alone: %.2f s wall, %.1f s CPU%n", (System.nanoTime() - r0) / 1e9,
        (processCpu() - rc0) / 1e9);

    resetPeaks();
    long cpu0 = processCpu();
    long start = System.nanoTime();
    ImpactReport report = Impact.run(req);
    double secs = (System.nanoTime() - start) / 1e9;
    double cpu = (processCpu() - cpu0) / 1e9;
    System.out.println();
    System.out.print(TextReport.render(report).lines().filter(l -> !l.startsWith("      ") && !l.startsWith("        "))
        .limit(24).reduce("", (a, b) -> a + b + "\n"));
    System.out.println();
    System.out.printf("replayed %,d decisions x 2 revisions in %.2f s wall, %.1f s CPU, %d threads, %d cores:"
        + " %,.0f decisions/s; peak heap used %,d MB (max heap %,d MB)%n", report.findings().replayed(), secs, cpu,
        threads, Runtime.getRuntime().availableProcessors(), report.findings().replayed() / secs, peakHeap() >> 20,
        Runtime.getRuntime().maxMemory() >> 20);
    System.out.println("same run through the CLI: ./gatehouse impact --repo " + repo + " --decisions " + log
        + " --data " + grants + " --no-tests");
  }

  private static long processCpu() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
  }

  private static void resetPeaks() {
    System.gc();
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      p.resetPeakUsage();
    }
  }

  private static long peakHeap() {
    long sum = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        sum += p.getPeakUsage().getUsed();
      }
    }
    return sum;
  }

  /** base: policies/ as it is; head: two settings changed, on a branch (HEAD); main moves on. */
  static void makeRepo(Path policies, Path repo) throws Exception {
    try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
      copy(policies, repo.resolve("policies"));
      commit(git, "base");
      git.checkout().setCreateBranch(true).setName("feature").call();
      Path data = repo.resolve("policies/gatehouse/config/data.json");
      String s = Files.readString(data);
      String changed = s.replace("\"protected-namespace-deploy\": {\"action\": \"deny\"}",
          "\"protected-namespace-deploy\": {\"action\": \"warn\"}").replace(
          "\"allowed_registries\": [\"registry.k8s.io\", \"ghcr.io\", \"quay.io\"]",
          "\"allowed_registries\": [\"registry.k8s.io\", \"quay.io\"]");
      if (changed.equals(s)) {
        throw new IllegalStateException("policies/gatehouse/config/data.json changed shape: update the benchmark");
      }
      Files.writeString(data, changed);
      commit(git, "head");
    }
  }

  private static void commit(Git git, String message) throws Exception {
    git.add().addFilepattern(".").call();
    PersonIdent who = new PersonIdent("bench", "bench@example.com", Instant.parse("2025-06-01T09:00:00Z"),
        ZoneOffset.UTC);
    git.commit().setMessage(message).setAuthor(who).setCommitter(who).setSign(false).call();
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.sorted(Comparator.naturalOrder()).toList()) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  static final String[] SUBJECTS = {"bob", "alice", "carol", "dave", "erin", "zoe", "Mallory", null};
  static final String[] SERVICES = {"payments-api", "ledger", "search-api"};
  static final String[][] CALLS = {{"GET", "/healthz"}, {"POST", "/v1/refunds"}, {"GET", "/v1/rates/EUR"},
      {"GET", "/docs/refunds/create"}, {"DELETE", "/admin/users/42"}, {"GET", "/v1/payments/p-1?expand=all"},
      {"PUT", "/v1/payments/p-1"}, {"GET", "/healthz/../admin"}};

  /** The decision log: every third event an admission (fixture reviews), the others sidecar calls. */
  static long writeLog(Path policies, Value runtime, Path log, int n) throws IOException {
    Loaded loaded = Loader.load(List.of(policies));
    ObjectValue data = (ObjectValue) loaded.data();
    ObjectValue gh = ((ObjectValue) data.get("gatehouse")).with(StringValue.of("grants"),
        ((ObjectValue) ((ObjectValue) runtime).get("gatehouse")).get("grants"));
    Policy base = dev.gatehouse.engine.Rego.builder().regoVersion(RegoVersion.V1)
        .loaded(new Loaded(loaded.modules(), data.with(StringValue.of("gatehouse"), gh))).compile();
    PreparedQuery sidecar = base.prepare("data.gatehouse.sidecar.decision");
    PreparedQuery admission = base.prepare("data.gatehouse.admission.decision");
    List<Value> reviews = new ArrayList<>();
    try (Stream<Path> s = Files.walk(policies.resolve("gatehouse/testdata/admission"))) {
      for (Path p : s.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        reviews.add(((ObjectValue) Json.parse(Files.readString(p))).get("request"));
      }
    }
    Instant t = Instant.parse("2025-06-02T09:30:00Z");
    try (BufferedWriter w = new BufferedWriter(new OutputStreamWriter(new GZIPOutputStream(Files.newOutputStream(log),
        1 << 16), StandardCharsets.UTF_8), 1 << 16)) {
      for (int i = 0; i < n; i++) {
        Instant at = t.plusMillis(36L * i);
        String now = at.toString();
        Value input;
        String path;
        Optional<Value> result;
        if (i % 3 == 2) {
          ObjectValue req = (ObjectValue) reviews.get((i / 3) % reviews.size());
          req = req.with(StringValue.of("uid"), StringValue.of(String.format("00000000-0000-4000-8000-%012d", i)));
          input = ObjectValue.of("request", req, "now", StringValue.of(now));
          path = "gatehouse/admission/decision";
          result = admission.evalValue(input);
        } else {
          String subject = SUBJECTS[i % SUBJECTS.length];
          String[] call = CALLS[(i / 7) % CALLS.length];
          ObjectValue.Builder b = ObjectValue.builder()
              .put("request", ObjectValue.of("method", StringValue.of(call[0]), "path", StringValue.of(call[1]),
                  "headers", ObjectValue.of("authorization", StringValue.of("Bearer token-" + i), "x-request-id",
                      StringValue.of("req-" + i))))
              .put("service", StringValue.of(SERVICES[(i / 5) % SERVICES.length]))
              .put("namespace", StringValue.of("payments-prod"))
              .put("now", StringValue.of(now));
          if (subject != null) {
            b.put("subject", StringValue.of(subject));
          }
          input = b.build();
          path = "gatehouse/sidecar/decision";
          result = sidecar.evalValue(input);
        }
        ObjectValue.Builder ev = ObjectValue.builder()
            .put("labels", ObjectValue.of("id", StringValue.of("bench"), "version", StringValue.of("1.22.2")))
            .put("decision_id", StringValue.of(String.format("d-%08d", i)))
            .put("path", StringValue.of(path))
            .put("input", input);
        result.ifPresent(r -> ev.put("result", r));
        ev.put("timestamp", StringValue.of(now))
            .put("metrics", ObjectValue.of("timer_rego_query_eval_ns", NumberValue.of(40_000 + i % 1000)))
            .put("req_id", NumberValue.of(i));
        w.write(Json.write(ev.build()));
        w.write('\n');
      }
    }
    return Files.size(log);
  }
}
