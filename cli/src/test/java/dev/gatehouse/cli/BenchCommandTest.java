package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchCommandTest {
  @TempDir
  Path tmp;

  @Test
  void printsOpaBenchJsonWithTheEvalHistogram() throws Exception {
    Path in = tmp.resolve("input.json");
    Files.writeString(in, "{\"user\": \"alice\"}");
    Cli.Result r = Cli.run("bench", "-d", EvalCommandTest.POLICY, "-d", EvalCommandTest.DATA, "-i", in.toString(),
        "--format", "json", "--warmup", "50ms", "--benchtime", "100ms", "--count", "2", "data.authz.allow");
    assertThat(r.exit()).as(r.err()).isZero();
    // two runs, one JSON document each, with opa bench's fields
    String[] docs = r.out().strip().split("\n}\n");
    assertThat(docs).hasSize(2);
    JsonNode j = new ObjectMapper().readTree(docs[0] + "\n}");
    assertThat(j.get("N").asLong()).isPositive();
    assertThat(j.get("T").asLong()).isGreaterThanOrEqualTo(100_000_000L);
    assertThat(j.get("MemBytes").asLong()).isPositive();
    assertThat(j.has("MemAllocs")).isTrue();
    JsonNode extra = j.get("Extra");
    assertThat(extra.get("histogram_timer_rego_query_eval_ns_count").asLong()).isEqualTo(j.get("N").asLong());
    assertThat(extra.get("histogram_timer_rego_query_eval_ns_min").asDouble())
        .isLessThanOrEqualTo(extra.get("histogram_timer_rego_query_eval_ns_median").asDouble())
        .isLessThanOrEqualTo(extra.get("histogram_timer_rego_query_eval_ns_99%").asDouble())
        .isLessThanOrEqualTo(extra.get("histogram_timer_rego_query_eval_ns_max").asDouble());
    assertThat(extra.has("histogram_timer_rego_query_eval_ns_99.9%")).isTrue();
  }

  @Test
  void prettyIsATwoColumnTableAndErrorsExitTwo() {
    Cli.Result r = Cli.run("bench", "-d", EvalCommandTest.POLICY, "--warmup", "10ms", "--benchtime", "50ms",
        "data.authz.allow");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).startsWith("┌").contains("│ samples").contains("│ ns/op").contains("│ B/op")
        .contains("histogram_timer_rego_query_eval_ns_median");
    Cli.Result bad = Cli.run("bench", "-d", EvalCommandTest.POLICY, "--warmup", "0s", "data.authz.allow[");
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err()).contains("rego_parse_error");
    assertThat(Cli.run("bench", "--format", "gobench", "1").exit()).isEqualTo(1);
  }

  @Test
  void percentilesInterpolateAsGoMetricsDoes() {
    var m = BenchCommand.histogram(new long[] {40, 10, 30, 20});
    // pos = 0.75 * 5 = 3.75: between the 3rd (30) and 4th (40) sorted samples
    assertThat(m.get("histogram_timer_rego_query_eval_ns_75%")).isEqualTo(37.5);
    assertThat(m.get("histogram_timer_rego_query_eval_ns_median")).isEqualTo(25.0);
    assertThat(m.get("histogram_timer_rego_query_eval_ns_mean")).isEqualTo(25.0);
    assertThat(m.get("histogram_timer_rego_query_eval_ns_max")).isEqualTo(40.0);
  }
}
