package dev.gatehouse.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiDocsTest {
  @TempDir
  Path tmp;

  @Test
  void openApiDescribesTheRoutesAndMetricsAndHealthAnswer() throws Exception {
    try (Harness h = new Harness(tmp.resolve("data"))) {
      JsonNode doc = h.get(null, "/api/v1/openapi.json").json();
      assertThat(doc.get("openapi").asText()).startsWith("3.");
      List<String> paths = new ArrayList<>();
      doc.get("paths").fieldNames().forEachRemaining(paths::add);
      assertThat(paths).contains("/api/v1/requests", "/api/v1/requests/evaluate", "/api/v1/requests/{id}",
          "/api/v1/requests/{id}/cancel", "/api/v1/requests/{id}/reviews", "/api/v1/grants", "/api/v1/grants/{id}/revoke",
          "/api/v1/grants/{id}/extend", "/api/v1/audit", "/api/v1/audit/verify", "/api/v1/keys", "/bundles/grants",
          "/bundles/policies", "/health", "/metrics");
      // every $ref resolves
      doc.findValues("$ref").forEach(r -> assertThat(doc.at(r.asText().substring(1)).isMissingNode()).as(r.asText()).isFalse());

      h.file(Harness.BOB, Harness.prodWrite("1h"));
      h.get(null, "/api/v1/requests");
      String metrics = h.get(null, "/metrics").body();
      assertThat(metrics).contains("gatehouse_http_requests_total{route=\"/api/v1/requests\",code=\"201\"} 1",
          "gatehouse_auth_failures_total{method=\"none\"} 1", "gatehouse_events_total{type=\"request.filed\"} 1",
          "gatehouse_grants_bundle_sequence 0");
      JsonNode health = h.get(null, "/health").json();
      assertThat(health.get("status").asText()).isEqualTo("ok");
      assertThat(health.get("policy_revision").asText()).hasSize(40);
    }
  }
}
