package dev.gatehouse.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The harness's own parsing, without an API server: warning headers and /metrics histograms. */
class HarnessTest {
  @Test
  void warningHeadersLoseCodeAgentAndQuotesOnly() {
    assertThat(KubeTestEnv.warningText("299 - \"[resources-limits] container \\\"app\\\" sets no memory limit\""))
        .isEqualTo("[resources-limits] container \"app\" sets no memory limit");
    assertThat(KubeTestEnv.warningText("something else")).isEqualTo("something else");
  }

  // as kube-apiserver v1.37 writes it (labels in this order; le last)
  static final String METRICS = """
      # HELP apiserver_admission_webhook_admission_duration_seconds [STABLE] Admission webhook latency
      # TYPE apiserver_admission_webhook_admission_duration_seconds histogram
      apiserver_admission_webhook_admission_duration_seconds_bucket{name="guardrails.gatehouse.dev",operation="CREATE",rejected="false",type="validating",le="0.005"} 60
      apiserver_admission_webhook_admission_duration_seconds_bucket{name="guardrails.gatehouse.dev",operation="CREATE",rejected="false",type="validating",le="0.025"} 90
      apiserver_admission_webhook_admission_duration_seconds_bucket{name="guardrails.gatehouse.dev",operation="CREATE",rejected="false",type="validating",le="0.1"} 100
      apiserver_admission_webhook_admission_duration_seconds_bucket{name="guardrails.gatehouse.dev",operation="CREATE",rejected="false",type="validating",le="+Inf"} 100
      apiserver_admission_webhook_admission_duration_seconds_sum{name="guardrails.gatehouse.dev",operation="CREATE",rejected="false",type="validating"} 0.8
      apiserver_admission_webhook_admission_duration_seconds_count{name="guardrails.gatehouse.dev",operation="CREATE",rejected="false",type="validating"} 100
      apiserver_request_total{code="201"} 5
      """;

  @Test
  void histogramsAreReadPerLabelSetAndDiffed() {
    Map<String, AdmissionLatencyBench.Histogram> h = AdmissionLatencyBench.histograms(METRICS);
    assertThat(h).containsOnlyKeys(
        "name=\"guardrails.gatehouse.dev\",operation=\"CREATE\",rejected=\"false\",type=\"validating\"");
    AdmissionLatencyBench.Histogram v = h.values().iterator().next();
    assertThat(v.count).isEqualTo(100);
    assertThat(v.sum).isEqualTo(0.8);
    // histogram_quantile: rank 50 of 60 in [0, 5ms] -> 50/60 * 5ms; rank 99 in (25ms, 100ms]: 9/10 of the way
    assertThat(v.quantile(0.5)).isCloseTo(0.005 * 50 / 60, within(1e-9));
    assertThat(v.quantile(0.99)).isCloseTo(0.025 + 0.075 * 0.9, within(1e-9));
    assertThat(v.fractionAtMost(0.025)).isEqualTo(0.9);

    AdmissionLatencyBench.Histogram d = v.minus(v);
    assertThat(d.count).isZero();
    assertThat(d.buckets.values()).allSatisfy(c -> assertThat(c).isZero());
  }
}
