package dev.gatehouse.sidecar.decisionlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DecisionLogsTest {
  @Test
  void specsBuildSinks(@TempDir Path dir) throws Exception {
    assertThat(DecisionLogs.fromSpecs(List.of(), null, Optional::empty).enabled()).isFalse();
    Path file = dir.resolve("logs/decisions.jsonl");
    try (DecisionLogger log = DecisionLogs.fromSpecs(List.of("file:" + file), null, Optional::empty)) {
      assertThat(log.enabled()).isTrue();
      log.log(DecisionLoggerTest.event("spec-1", "{}"));
    }
    assertThat(Files.readString(file)).contains("\"decision_id\":\"spec-1\"");
    assertThat(DecisionLogs.sink("file:" + dir.resolve("d.jsonl.gz"))).isInstanceOf(FileSink.class);
    assertThat(DecisionLogs.sink("http://127.0.0.1:1")).isInstanceOf(HttpSink.class);
    assertThatThrownBy(() -> DecisionLogs.sink("syslog")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("console, file:PATH[.gz]");
  }

  @Test
  void opaConfigurationFilesWork() throws Exception {
    var yaml = new YAMLMapper().readTree("""
        services:
          - name: logs
            url: http://127.0.0.1:1
            credentials:
              bearer:
                token: t0k3n
        labels:
          app: payments
        decision_logs:
          service: logs
          console: true
          reporting:
            buffer_size_limit_events: 50
            min_delay_seconds: 5
        """);
    try (DecisionLogger log = DecisionLogs.fromOpaConfig(yaml, Optional::empty)) {
      assertThat(log.enabled()).isTrue();
    }
    assertThat(DecisionLogs.fromOpaConfig(new ObjectMapper().readTree("{}"), Optional::empty).enabled()).isFalse();
    assertThatThrownBy(() -> DecisionLogs.fromOpaConfig(new ObjectMapper().readTree(
        "{\"decision_logs\":{\"service\":\"nope\"}}"), Optional::empty)).hasMessageContaining("unknown service");
  }
}
