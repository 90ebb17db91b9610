package dev.gatehouse.injector.load;

import dev.gatehouse.engine.value.Json;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.Value;
import dev.gatehouse.injector.policy.CompiledPolicies;
import dev.gatehouse.injector.policy.GuardrailEvaluator;
import dev.gatehouse.injector.admission.ReviewReader;
import dev.gatehouse.injector.config.ConfigLoader;
import dev.gatehouse.injector.config.WebhookConfig;
import dev.gatehouse.injector.inject.Injector;
import dev.gatehouse.injector.policy.DirectoryPolicySource;
import dev.gatehouse.injector.policy.PolicyStore;
import dev.gatehouse.injector.server.AdmissionService;
import dev.gatehouse.injector.server.Answer;
import dev.gatehouse.injector.server.Endpoint;
import dev.gatehouse.injector.server.JsonLog;
import dev.gatehouse.injector.server.Metrics;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * CPU time and allocation per request for each step of an admission, measured on one thread in
 * one process (run by {@code scripts/webhook-bench --phases}). Thread CPU time and allocated bytes
 * do not depend on what else the machine is doing, so this compares code changes reliably where
 * wall-clock percentiles on a shared machine cannot. The steps are the server's own calls
 * ({@link AdmissionService#prepare}, {@link AdmissionService#decide}, the decision log line), plus
 * the parts of prepare on their own for orientation.
 *
 * <pre>
 * PhaseCost --policies DIR --validate review.json --mutate review.json [--iterations 20000]
 * </pre>
 */
public final class PhaseCost {
  private PhaseCost() {}

  /** One step: a name and the work, returning something so the JIT cannot drop it. */
  private interface Step {
    Object run() throws Exception;
  }

  public static void main(String[] args) throws Exception {
    Path policies = null;
    Path validate = null;
    Path mutate = null;
    int iterations = 20_000;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--policies" -> policies = Path.of(args[++i]);
        case "--validate" -> validate = Path.of(args[++i]);
        case "--mutate" -> mutate = Path.of(args[++i]);
        case "--iterations" -> iterations = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    if (policies == null || validate == null || mutate == null) {
      System.err.println("usage: PhaseCost --policies DIR --validate REVIEW.json --mutate REVIEW.json [--iterations N]");
      System.exit(2);
    }
    WebhookConfig cfg = ConfigLoader.defaults();
    Clock clock = Clock.systemUTC();
    PolicyStore store = new PolicyStore(new DirectoryPolicySource(policies), cfg.validation().decisionPath(), clock,
        r -> { });
    if (!store.refresh()) {
      throw new IllegalStateException("policies did not load: " + store.lastError());
    }
    AdmissionService service = new AdmissionService(cfg, store, new Injector(cfg.injection()), new Metrics(), clock);
    Path logFile = Files.createTempFile("phase-cost", ".log");
    try (PrintStream logOut = new PrintStream(new FileOutputStream(logFile.toFile()), false, "UTF-8")) {
      JsonLog log = new JsonLog(logOut, clock);
      byte[] vBody = Files.readAllBytes(validate);
      byte[] mBody = Files.readAllBytes(mutate);
      AdmissionService.Prepared vp = service.prepare(Endpoint.VALIDATE, vBody);
      AdmissionService.Prepared mp = service.prepare(Endpoint.MUTATE, mBody);
      Answer va = service.decide(vp);
      Answer ma = service.decide(mp);
      Map<String, Step> steps = new LinkedHashMap<>();
      steps.put("validate: ReviewReader.read (envelope, typed object)", () -> ReviewReader.read(vBody));
      steps.put("validate: engine Json.parse (policy input)", () -> Json.parse(vBody));
      steps.put("validate: prepare (all of reading)", () -> service.prepare(Endpoint.VALIDATE, vBody));
      steps.put("validate: decide (evaluate, answer JSON)", () -> service.decide(vp));
      GuardrailEvaluator evaluator = new GuardrailEvaluator(cfg.validation().decisionPath(),
          cfg.validation().evaluationTimeout());
      CompiledPolicies compiled = store.current().orElseThrow();
      Value input = vp.request();
      steps.put("validate: evaluate only (same parsed input)", () -> evaluator.evaluate(compiled, input, clock.instant()));
      steps.put("validate: evaluate only (freshly parsed input)", () -> evaluator.evaluate(compiled,
          ((ObjectValue) Json.parse(vBody)).get("request"), clock.instant()));
      steps.put("validate: decision log line", () -> {
        log.write("info", "admission", logFields(Endpoint.VALIDATE, va));
        return va;
      });
      steps.put("validate: whole request (prepare + decide + log)", () -> {
        Answer a = service.decide(service.prepare(Endpoint.VALIDATE, vBody));
        log.write("info", "admission", logFields(Endpoint.VALIDATE, a));
        return a;
      });
      steps.put("mutate: prepare", () -> service.prepare(Endpoint.MUTATE, mBody));
      steps.put("mutate: decide (inject, patch, answer JSON)", () -> service.decide(mp));
      steps.put("mutate: decision log line", () -> {
        log.write("info", "admission", logFields(Endpoint.MUTATE, ma));
        return ma;
      });
      steps.put("mutate: whole request (prepare + decide + log)", () -> {
        Answer a = service.decide(service.prepare(Endpoint.MUTATE, mBody));
        log.write("info", "admission", logFields(Endpoint.MUTATE, a));
        return a;
      });
      System.out.printf(Locale.ROOT, "validate answer %d bytes, log line %d fields; mutate answer %d bytes%n",
          va.body().length, va.log().size(), ma.body().length);
      System.out.printf(Locale.ROOT, "%-52s %12s %12s %14s%n", "step (per request, one thread)", "cpu median",
          "cpu mean", "allocated");
      // Warm every step up first so that each is measured compiled.
      for (Step s : steps.values()) {
        for (int i = 0; i < iterations / 2; i++) {
          s.run();
        }
      }
      com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
      long tid = Thread.currentThread().getId();
      for (Map.Entry<String, Step> e : steps.entrySet()) {
        Step s = e.getValue();
        // CPU per call is below the clock's resolution for the small steps: time batches of calls.
        int batch = 20;
        long[] cpu = new long[iterations / batch];
        long alloc0 = threads.getThreadAllocatedBytes(tid);
        for (int b = 0; b < cpu.length; b++) {
          long c0 = threads.getCurrentThreadCpuTime();
          for (int i = 0; i < batch; i++) {
            s.run();
          }
          cpu[b] = (threads.getCurrentThreadCpuTime() - c0) / batch;
        }
        long alloc = (threads.getThreadAllocatedBytes(tid) - alloc0) / ((long) cpu.length * batch);
        long total = Arrays.stream(cpu).sum();
        Arrays.sort(cpu);
        System.out.printf(Locale.ROOT, "%-52s %9.3f ms %9.3f ms %11.1f KiB%n", e.getKey(), cpu[cpu.length / 2] / 1e6,
            total / 1e6 / cpu.length, alloc / 1024.0);
      }
    } finally {
      Files.deleteIfExists(logFile);
    }
  }

  /** The fields the server logs for an admission (WebhookServer.answer). */
  private static Map<String, Object> logFields(Endpoint ep, Answer a) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("endpoint", ep.path());
    fields.put("status", a.status());
    fields.putAll(a.log());
    fields.put("durationMs", 1.23);
    return fields;
  }
}
