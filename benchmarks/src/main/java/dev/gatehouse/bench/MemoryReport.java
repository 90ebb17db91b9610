package dev.gatehouse.bench;

import dev.gatehouse.engine.Policy;
import dev.gatehouse.engine.PreparedQuery;
import dev.gatehouse.engine.Rego;
import dev.gatehouse.engine.value.Json;
import dev.gatehouse.engine.value.Value;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

/**
 * Heap retained per MB of JSON: parses each data set (the grant list and the Gatekeeper
 * inventory), measures the live heap it keeps after full collections, then compiles a policy
 * over it, evaluates once so the data indexes are built, and measures again. Not JMH: one
 * measurement of retained size, which JMH does not report.
 *
 * <pre>
 * java -XX:+UseSerialGC -Xmx3g -cp benchmarks/target/benchmarks.jar dev.gatehouse.bench.MemoryReport
 * java -XX:+UseSerialGC -Xmx3g -cp benchmarks/target/benchmarks.jar dev.gatehouse.bench.MemoryReport histogram inventory 10000
 * </pre>
 *
 * The second form parses one data set, keeps it and prints the JVM's class histogram of the live
 * heap ({@code jcmd PID GC.class_histogram}, so a JDK is needed): which classes the bytes are.
 *
 * <p>One warm-up round (a small grant list, parsed, compiled and evaluated, then dropped) runs
 * before the first measurement: without it the first data set's baseline held about 2 MB of
 * one-time start-up state that the parse released, and the first row read 2 MB too low.
 */
public final class MemoryReport {
  private MemoryReport() {}

  /** Kept reachable while measuring. */
  private static Object keep;

  public static void main(String[] args) throws Exception {
    if (args.length == 3 && args[0].equals("histogram")) {
      histogram(args[1], Integer.parseInt(args[2]));
      return;
    }
    measure("grants 1000", Json.write(Fixtures.grantsData(1_000)), "grants.rego", "data.jit.allow",
        Fixtures.grantInput(1_000)); // warm-up, not printed
    System.out.printf("%-24s %12s %14s %10s %16s %12s%n", "data set", "JSON bytes", "heap retained", "× JSON",
        "+ index (bytes)", "index × JSON");
    for (int n : new int[] {10_000, 100_000}) {
      report("grants " + n, Json.write(Fixtures.grantsData(n)), "grants.rego", "data.jit.allow", Fixtures.grantInput(n));
    }
    for (int n : new int[] {1_000, 10_000}) {
      report("inventory " + n, Json.write(Fixtures.inventoryData(n)), "unique-ingress-host.rego",
          "data.k8suniqueingresshost.violation", Fixtures.ingressInput(n));
    }
  }

  private static void report(String name, String json, String policy, String query, String input) {
    long[] m = measure(name, json, policy, query, input);
    long jsonBytes = json.getBytes(StandardCharsets.UTF_8).length;
    System.out.printf("%-24s %12d %14d %9.1f× %16d %11.1f×%n", name, jsonBytes, m[0], (double) m[0] / jsonBytes,
        m[1], (double) m[1] / jsonBytes);
  }

  /** Heap retained by the parsed data, and what compiling and one evaluation (the indexes) add. */
  private static long[] measure(String name, String json, String policy, String query, String input) {
    long before = live();
    Value data = Json.parse(json);
    keep = data;
    long parsed = live() - before;
    Policy p = Rego.builder().module(policy, Fixtures.resource(policy)).data(data).compile();
    PreparedQuery q = p.prepare(query);
    q.eval(Json.parse(input));
    keep = new Object[] {data, p, q};
    long indexed = live() - before - parsed;
    keep = null;
    return new long[] {parsed, indexed};
  }

  private static void histogram(String set, int n) throws Exception {
    String json = Json.write(set.equals("inventory") ? Fixtures.inventoryData(n) : Fixtures.grantsData(n));
    keep = Json.parse(json);
    System.out.println(set + " " + n + ": " + json.getBytes(StandardCharsets.UTF_8).length + " JSON bytes");
    json = null;
    Process p = new ProcessBuilder("jcmd", Long.toString(ProcessHandle.current().pid()), "GC.class_histogram")
        .inheritIO().start();
    p.waitFor();
    keep = null;
  }

  private static long live() {
    for (int i = 0; i < 4; i++) {
      System.gc();
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
