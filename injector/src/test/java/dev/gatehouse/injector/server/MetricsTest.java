package dev.gatehouse.injector.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MetricsTest {
  @Test
  void rendersCountersAndCumulativeHistogramBucketsInPrometheusText() {
    Metrics m = new Metrics();
    m.request("/validate", "allowed", false, 800_000);     // 0.8 ms
    m.request("/validate", "allowed", false, 4_000_000);   // 4 ms
    m.request("/validate", "allowed", false, 30_000_000);  // 30 ms
    m.violation("/validate", "rule \"x\"", "warn", false);
    String text = m.render();
    assertThat(text).contains("gatehouse_webhook_requests_total{endpoint=\"/validate\",decision=\"allowed\",dry_run=\"false\"} 3\n");
    assertThat(text).contains("gatehouse_webhook_request_duration_seconds_bucket{endpoint=\"/validate\",decision=\"allowed\",le=\"0.001\"} 1\n");
    assertThat(text).contains("gatehouse_webhook_request_duration_seconds_bucket{endpoint=\"/validate\",decision=\"allowed\",le=\"0.005\"} 2\n");
    assertThat(text).contains("gatehouse_webhook_request_duration_seconds_bucket{endpoint=\"/validate\",decision=\"allowed\",le=\"+Inf\"} 3\n");
    assertThat(text).contains("gatehouse_webhook_request_duration_seconds_count{endpoint=\"/validate\",decision=\"allowed\"} 3\n");
    assertThat(text).contains("rule=\"rule \\\"x\\\"\"");
    assertThat(text).contains("# TYPE gatehouse_webhook_requests_total counter\n");
  }
}
