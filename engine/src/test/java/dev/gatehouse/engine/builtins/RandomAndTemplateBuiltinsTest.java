package dev.gatehouse.engine.builtins;

import static dev.gatehouse.engine.builtins.RegoEval.eval;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Per-query randomness, UUIDs, units, semver and templates. Fixed values recorded with OPA v1.22.2. */
class RandomAndTemplateBuiltinsTest {

  @Test
  void randIntnIsFixedPerArgumentsWithinAQuery() {
    assertThat(eval("[rand.intn(\"k\", 100) == rand.intn(\"k\", 100), rand.intn(\"k\", -100) == rand.intn(\"k\", 100)]"))
        .isEqualTo("[true,true]");
    assertThat(eval("rand.intn(\"k\", 0)")).isEqualTo("0");
    String n = eval("rand.intn(\"k\", 10)");
    assertThat(Integer.parseInt(n)).isBetween(0, 9);
  }

  @Test
  void uuidRfc4122IsAVersion4UuidFixedPerKeyWithinAQuery() {
    assertThat(eval("uuid.rfc4122(\"a\") == uuid.rfc4122(\"a\")")).isEqualTo("true");
    assertThat(eval("uuid.rfc4122(\"a\")")).matches("\"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\"");
  }

  @Test
  void uuidParseReadsVersion2Fields() {
    assertThat(eval("uuid.parse(\"000003e8-0000-2100-9800-00c04fd430c8\")")).isEqualTo("{\"clocksequence\":6144,"
        + "\"domain\":\"Person\",\"id\":1000,\"macvariables\":\"global:unicast\",\"nodeid\":\"00-c0-4f-d4-30-c8\","
        + "\"time\":-5013533396207106400,\"variant\":\"RFC4122\",\"version\":2}");
    assertThat(eval("uuid.parse(\"nope\")")).isEqualTo("UNDEF");
  }

  @Test
  void unitsKeepOpasMilliAndByteRules() {
    assertThat(eval("units.parse(\"500m\")")).isEqualTo("0.5000000000");
    assertThat(eval("units.parse_bytes(\"1.5mb\")")).isEqualTo("1500000");
  }

  @Test
  void semverOrdersAlphanumericPreReleaseAfterNumeric() {
    assertThat(eval("semver.compare(\"1.0.0-a\", \"1.0.0-1\")")).isEqualTo("1");
    assertThat(eval("semver.is_valid(\"v1.0.0\")")).isEqualTo("true");
  }

  @Test
  void renderTemplateRunsGoTemplates() {
    assertThat(eval("strings.render_template(\"{{range $k, $v := .m}}{{$k}}={{$v}};{{end}}\", {\"m\": {\"b\": 2, \"a\": 1}})"))
        .isEqualTo("\"a=1;b=2;\"");
    assertThat(eval("strings.render_template(\"{{.a | printf \\\"%v\\\"}} {{print 1 2 \\\"x\\\" 3}}\", {\"a\": [1, {\"b\": 2}]})"))
        .isEqualTo("\"[1 map[b:2]] 1 2x3\"");
    assertThat(eval("strings.render_template(\"test {{.foo}}\", {})")).isEqualTo("\"test \\u003cundefined\\u003e\"");
    assertThat(eval("strings.render_template(\"{{.a.b}}\", {\"a\": 1})")).isEqualTo("ERR eval_builtin_error "
        + "strings.render_template: template: template:1:4: executing \"template\" at <.a.b>: can't evaluate field b in "
        + "type interface {}");
  }
}
