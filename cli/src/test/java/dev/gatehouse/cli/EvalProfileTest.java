package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalProfileTest {
  @TempDir
  Path tmp;

  private Path[] grants() throws Exception {
    Path policy = tmp.resolve("grants.rego");
    Files.writeString(policy, """
        package jit

        allow if {
        	some g in data.grants
        	g.subject == input.subject
        	input.action in g.actions
        }
        """);
    StringBuilder data = new StringBuilder("{\"grants\": [");
    for (int i = 0; i < 200; i++) {
      data.append(i == 0 ? "" : ",").append("{\"subject\": \"u").append(i % 100).append("\", \"actions\": [\"read\"]}");
    }
    Path json = tmp.resolve("data.json");
    Files.writeString(json, data.append("]}").toString());
    Path input = tmp.resolve("input.json");
    Files.writeString(input, "{\"subject\": \"u7\", \"action\": \"read\"}");
    return new Path[] {policy, json, input};
  }

  @Test
  void jsonProfileHasOpasFieldsAndNamesTheIndex() throws Exception {
    Path[] f = grants();
    Cli.Result r = Cli.run("eval", "--profile", "-d", f[0].toString(), "-d", f[1].toString(), "-i", f[2].toString(),
        "data.jit.allow");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertThat(j.at("/result/0/expressions/0/value").asBoolean()).isTrue();
    JsonNode iteration = null;
    for (JsonNode e : j.get("profile")) {
      assertThat(e.has("total_time_ns") && e.has("num_eval") && e.has("num_redo") && e.has("num_gen_expr")).isTrue();
      if (e.at("/location/row").asInt() == 4) {
        iteration = e;
      }
    }
    assertThat(iteration).isNotNull();
    // the iteration was a lookup: 2 of the 200 grants reached the rest of the body
    assertThat(iteration.get("index").asText()).isEqualTo("data.grants[_] on .subject (2 of 200)");
    assertThat(iteration.get("num_redo").asInt()).isEqualTo(2);
  }

  @Test
  void prettyPrintsTheResultThenAProfileTable() throws Exception {
    Path[] f = grants();
    Cli.Result r = Cli.run("eval", "--profile", "-f", "pretty", "-d", f[0].toString(), "-d", f[1].toString(), "-i",
        f[2].toString(), "data.jit.allow");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).startsWith("true\n").contains("Num Eval").contains("grants.rego:4")
        .contains("data.grants[_] on .subject (2 of 200)");
  }

  @Test
  void goDurationsAsOpaPrintsThem() {
    assertThat(EvalProfile.goDuration(999)).isEqualTo("999ns");
    assertThat(EvalProfile.goDuration(42_003)).isEqualTo("42.003µs");
    assertThat(EvalProfile.goDuration(99_288_101)).isEqualTo("99.288101ms");
    assertThat(EvalProfile.goDuration(1_500_000_000)).isEqualTo("1.5s");
    assertThat(EvalProfile.goDuration(2_000_000)).isEqualTo("2ms");
  }
}
