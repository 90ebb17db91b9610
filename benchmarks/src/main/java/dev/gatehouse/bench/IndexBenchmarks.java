package dev.gatehouse.bench;

import dev.gatehouse.engine.PreparedQuery;
import dev.gatehouse.engine.QueryResult;
import dev.gatehouse.engine.Rego;
import dev.gatehouse.engine.value.BooleanValue;
import dev.gatehouse.engine.value.Json;
import dev.gatehouse.engine.value.Value;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Decisions over data that grows: the JIT grant check over 1,000 to 100,000 grants, and
 * Gatekeeper's unique-ingress-host check over a replicated inventory of 1,000 and 10,000
 * ingresses. {@code indexing} false runs the same policies with data indexes off (plain
 * iteration), to show what the index buys. Each setup checks the decision first.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class IndexBenchmarks {
  /** The grant check over {@code grants} grants. */
  @State(Scope.Benchmark)
  public static class Grants {
    @Param({"10000", "100000"})
    public int grants;

    @Param({"true", "false"})
    public boolean indexing;

    PreparedQuery query;
    Value input;

    @Setup
    public void setup() {
      query = Rego.builder().module("grants.rego", Fixtures.resource("grants.rego"))
          .data(Fixtures.grantsData(grants)).indexing(indexing).compile().prepare("data.jit.allow");
      input = Json.parse(Fixtures.grantInput(grants));
      List<QueryResult> g = query.eval(input);
      if (g.isEmpty() || !g.get(0).value().equals(BooleanValue.TRUE)) {
        throw new IllegalStateException("grant check gave " + g);
      }
    }
  }

  /** Gatekeeper's unique-ingress-host check over an inventory of {@code ingresses} ingresses. */
  @State(Scope.Benchmark)
  public static class Inventory {
    @Param({"1000", "10000"})
    public int ingresses;

    @Param({"true", "false"})
    public boolean indexing;

    PreparedQuery query;
    Value input;

    @Setup
    public void setup() {
      query = Rego.builder().module("unique-ingress-host.rego", Fixtures.resource("unique-ingress-host.rego"))
          .data(Fixtures.inventoryData(ingresses)).indexing(indexing).compile()
          .prepare("data.k8suniqueingresshost.violation");
      input = Json.parse(Fixtures.ingressInput(ingresses));
      List<QueryResult> v = query.eval(input);
      if (v.isEmpty() || !v.get(0).value().toJson().contains("ing-" + (ingresses - 7) + "-b.example.com")) {
        throw new IllegalStateException("unique ingress host gave " + v);
      }
    }
  }

  @Benchmark
  public List<QueryResult> grantCheck(Grants s) {
    return s.query.eval(s.input);
  }

  @Benchmark
  public List<QueryResult> uniqueIngressHost(Inventory s) {
    return s.query.eval(s.input);
  }
}
