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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Whole decisions through prepared queries: (a) OPA's RBAC example, (b) a JIT grant check over
 * 10,000 grants, (c) a Kubernetes pod guardrail set. Each setup checks the decision is the
 * expected one, so a benchmark can never measure a wrong or undefined answer.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PolicyBenchmarks {
  private PreparedQuery rbac;
  private Value rbacInput;
  private PreparedQuery grants;
  private Value grantsInput;
  private PreparedQuery pods;
  private Value podInput;

  @Setup
  public void setup() {
    rbac = Rego.builder().module("rbac.rego", Fixtures.resource("rbac.rego")).compile()
        .prepare("data.rbac.allow");
    rbacInput = Json.parse(Fixtures.resource("rbac-input.json"));
    expect("rbac", rbac.eval(rbacInput), BooleanValue.TRUE);

    grants = Rego.builder().module("grants.rego", Fixtures.resource("grants.rego"))
        .data(Fixtures.grantsData()).compile().prepare("data.jit.allow");
    grantsInput = Json.parse(Fixtures.GRANT_INPUT);
    expect("grants", grants.eval(grantsInput), BooleanValue.TRUE);

    pods = Rego.builder().module("pod-guardrails.rego", Fixtures.resource("pod-guardrails.rego"))
        .data(Json.parse(Fixtures.resource("pod-data.json"))).compile().prepare("data.guardrails.decision");
    podInput = Json.parse(Fixtures.resource("pod-input.json"));
    List<QueryResult> decision = pods.eval(podInput);
    if (decision.isEmpty() || !decision.get(0).value().toJson().contains("\"allowed\":false")) {
      throw new IllegalStateException("pod guardrails gave an unexpected decision: " + decision);
    }
  }

  private static void expect(String name, List<QueryResult> results, Value want) {
    if (results.isEmpty() || !results.get(0).value().equals(want)) {
      throw new IllegalStateException(name + " benchmark policy gave " + results + ", expected " + want);
    }
  }

  @Benchmark
  public List<QueryResult> rbacAllow() {
    return rbac.eval(rbacInput);
  }

  @Benchmark
  public List<QueryResult> jitGrantCheckOver10kGrants() {
    return grants.eval(grantsInput);
  }

  @Benchmark
  public List<QueryResult> podGuardrails() {
    return pods.eval(podInput);
  }
}
