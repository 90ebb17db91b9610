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
 * </pre>
 */
public final class MemoryReport {
  private MemoryReport() {}

  /** Kept reachable while measuring. */
  private static Object keep;

  public static void main(String[] args) {
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
    long jsonBytes = json.getBytes(StandardCharsets.UTF_8).length;
    long before = live();
    Value data = Json.parse(json);
    keep = data;
    long parsed = live() - before;
    Policy p = Rego.builder().module(policy, Fixtures.resource(policy)).data(data).compile();
    PreparedQuery q = p.prepare(query);
    q.eval(Json.parse(input));
    keep = new Object[] {data, p, q};
    long indexed = live() - before - parsed;
    System.out.printf("%-24s %12d %14d %9.1f× %16d %11.1f×%n", name, jsonBytes, parsed, (double) parsed / jsonBytes,
        indexed, (double) indexed / jsonBytes);
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
