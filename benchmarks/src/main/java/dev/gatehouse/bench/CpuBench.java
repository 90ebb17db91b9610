package dev.gatehouse.bench;

import dev.gatehouse.engine.PreparedQuery;
import dev.gatehouse.engine.Rego;
import dev.gatehouse.engine.value.Json;
import dev.gatehouse.engine.value.Value;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;

/**
 * CPU time per decision (this thread's CPU clock, not the wall clock) for the decisions of
 * {@link IndexBenchmarks}, indexed and plain. On a machine shared with other work the wall clock
 * JMH reads counts the time the thread waited for a core; the thread's CPU time does not, so this
 * is the number to compare runs on a loaded machine by. Each case warms up for the given seconds
 * first (the JIT needs several), then measures for as long again; median of 5 rounds.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.gatehouse.bench.CpuBench [warm-up seconds, default 8]
 * java -cp benchmarks/target/benchmarks.jar dev.gatehouse.bench.CpuBench builtins [warm-up seconds]
 * java -cp benchmarks/target/benchmarks.jar dev.gatehouse.bench.CpuBench parse [warm-up seconds]
 * </pre>
 *
 * The second form times {@link BuiltinBenchmarks}' queries the same way; the third times
 * {@code Json.parse} of the 10,000-ingress inventory and of the pod guardrails' input (what a
 * server parses per request).
 */
public final class CpuBench {
  private CpuBench() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("parse")) {
      parse(args.length > 1 ? Double.parseDouble(args[1]) : 8);
      return;
    }
    if (args.length > 0 && args[0].equals("builtins")) {
      builtins(args.length > 1 ? Double.parseDouble(args[1]) : 8);
      return;
    }
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 8;
    System.out.printf("%-28s %10s %16s %16s%n", "decision", "size", "indexed CPU ns", "plain CPU ns");
    for (int n : new int[] {10_000, 100_000}) {
      Value data = Fixtures.grantsData(n);
      Value input = Json.parse(Fixtures.grantInput(n));
      System.out.printf("%-28s %10d %16.0f %16.0f%n", "grantCheck", n,
          cpu(query("grants.rego", data, true, "data.jit.allow"), input, seconds),
          cpu(query("grants.rego", data, false, "data.jit.allow"), input, seconds / 4));
    }
    for (int n : new int[] {1_000, 10_000}) {
      Value data = Fixtures.inventoryData(n);
      Value input = Json.parse(Fixtures.ingressInput(n));
      String q = "data.k8suniqueingresshost.violation";
      System.out.printf("%-28s %10d %16.0f %16.0f%n", "uniqueIngressHost", n,
          cpu(query("unique-ingress-host.rego", data, true, q), input, seconds),
          cpu(query("unique-ingress-host.rego", data, false, q), input, seconds / 4));
    }
    Value podData = Json.parse(Fixtures.resource("pod-data.json"));
    System.out.printf("%-28s %10s %16.0f%n", "rbacAllow", "-", cpu(Rego.builder().module("rbac.rego",
        Fixtures.resource("rbac.rego")).compile().prepare("data.rbac.allow"), Json.parse(Fixtures.resource("rbac-input.json")), seconds));
    System.out.printf("%-28s %10s %16.0f%n", "podGuardrails", "-", cpu(query("pod-guardrails.rego", podData, true,
        "data.guardrails.decision"), Json.parse(Fixtures.resource("pod-input.json")), seconds));
  }

  private static void builtins(double seconds) throws Exception {
    BuiltinBenchmarks b = new BuiltinBenchmarks();
    b.setup();
    BuiltinBenchmarks.Jwt jwt = new BuiltinBenchmarks.Jwt();
    jwt.setup();
    System.out.printf("%-28s %16s%n", "builtin query", "CPU ns");
    System.out.printf("%-28s %16.0f%n", "sprintf", cpu(b.sprintf, b.input, seconds));
    System.out.printf("%-28s %16.0f%n", "regexMatch", cpu(b.regexMatch, b.input, seconds));
    System.out.printf("%-28s %16.0f%n", "startswith", cpu(b.startswith, b.input, seconds));
    System.out.printf("%-28s %16.0f%n", "objectGet", cpu(b.objectGet, b.input, seconds));
    System.out.printf("%-28s %16.0f%n", "timeParseRfc3339", cpu(b.parseRfc3339, b.input, seconds));
    System.out.printf("%-28s %16.0f%n", "jwtDecodeVerify", cpu(jwt.decodeVerify, jwt.input, seconds));
  }

  private static void parse(double seconds) {
    ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    System.out.printf("%-28s %16s%n", "document", "CPU ns/parse");
    String[][] docs = {{"inventory 10,000", Json.write(Fixtures.inventoryData(10_000))},
        {"pod-input.json", Fixtures.resource("pod-input.json")}};
    long sink = 0;
    for (String[] d : docs) {
      long warmEnd = System.nanoTime() + (long) (seconds * 1e9);
      while (System.nanoTime() < warmEnd) {
        sink += Json.parse(d[1]).hashCode();
      }
      List<Double> rounds = new ArrayList<>();
      for (int r = 0; r < 5; r++) {
        long cpuStart = bean.getCurrentThreadCpuTime();
        long n = 0;
        while (bean.getCurrentThreadCpuTime() - cpuStart < (long) (seconds * 1e9 / 5)) {
          sink += Json.parse(d[1]).hashCode();
          n++;
        }
        rounds.add((double) (bean.getCurrentThreadCpuTime() - cpuStart) / n);
      }
      rounds.sort(null);
      System.out.printf("%-28s %16.0f%n", d[0], rounds.get(2));
    }
    if (sink == 42) {
      System.out.print("");
    }
  }

  private static PreparedQuery query(String policy, Value data, boolean indexing, String query) {
    return Rego.builder().module(policy, Fixtures.resource(policy)).data(data).indexing(indexing).compile().prepare(query);
  }

  /** Median over 5 rounds of CPU ns per evaluation, after a warm-up. */
  private static double cpu(PreparedQuery q, Value input, double seconds) {
    ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    long warmEnd = System.nanoTime() + (long) (seconds * 1e9);
    long sink = 0;
    while (System.nanoTime() < warmEnd) {
      sink += q.eval(input).size();
    }
    List<Double> rounds = new ArrayList<>();
    for (int r = 0; r < 5; r++) {
      long cpuStart = bean.getCurrentThreadCpuTime();
      long n = 0;
      long budget = (long) (seconds * 1e9 / 5);
      while (bean.getCurrentThreadCpuTime() - cpuStart < budget) {
        for (int i = 0; i < 16; i++) {
          sink += q.eval(input).size();
        }
        n += 16;
      }
      rounds.add((double) (bean.getCurrentThreadCpuTime() - cpuStart) / n);
    }
    if (sink == 42) {
      System.out.print("");
    }
    rounds.sort(null);
    return rounds.get(2);
  }
}
