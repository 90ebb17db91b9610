package dev.gatehouse.engine.builtins.graphql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.EvalOptions;
import dev.gatehouse.engine.Policy;
import dev.gatehouse.engine.PreparedQuery;
import dev.gatehouse.engine.QueryResult;
import dev.gatehouse.engine.Rego;
import dev.gatehouse.engine.RegoException;
import dev.gatehouse.engine.value.ArrayValue;
import dev.gatehouse.engine.value.Json;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case here was run through real OPA v1.22.2 ({@code opa eval --strict-builtin-errors})
 * and its result or error message recorded; the engine must reproduce each exactly.
 * {@code opa-v1.22.2-recorded.json} holds hand-written cases (the parsers' grammar and error
 * paths, schema validation, every query validation rule, AST objects as inputs);
 * {@code opa-v1.22.2-fuzzed.json} a sample of generated ones (mutated documents, random queries
 * against a schema, mutated AST objects), leaving out the inputs on which OPA crashed.
 */
class OpaRecordedCasesTest {
  private static final String POLICY = """
      package t

      r := graphql.parse(input.a, input.b) if input.fn == "parse"
      r := graphql.parse_and_verify(input.a, input.b) if input.fn == "parse_and_verify"
      r := graphql.parse_query(input.a) if input.fn == "parse_query"
      r := graphql.parse_schema(input.a) if input.fn == "parse_schema"
      r := graphql.is_valid(input.a, input.b) if input.fn == "is_valid"
      r := graphql.schema_is_valid(input.a) if input.fn == "schema_is_valid"
      """;
  private static final PreparedQuery QUERY = compile();

  private static PreparedQuery compile() {
    Policy p = Rego.builder().module("t.rego", POLICY).compile();
    return p.prepare("data.t.r");
  }

  static Stream<Arguments> cases() throws IOException {
    List<Arguments> out = new ArrayList<>();
    for (String file : List.of("opa-v1.22.2-recorded.json", "opa-v1.22.2-fuzzed.json")) {
      try (InputStream in = OpaRecordedCasesTest.class.getResourceAsStream(file)) {
        ArrayValue all = (ArrayValue) Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        for (Value v : all.elements()) {
          ObjectValue c = (ObjectValue) v;
          out.add(Arguments.of(((StringValue) c.get("name")).value(), c));
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void matchesOpa(String name, ObjectValue c) {
    ArrayValue args = (ArrayValue) c.get("args");
    ObjectValue.Builder input = ObjectValue.builder().put("fn", c.get("fn")).put("a", args.get(0));
    if (args.size() > 1) {
      input.put("b", args.get(1));
    }
    String got;
    try {
      List<QueryResult> rs = QUERY.eval(EvalOptions.builder().input(input.build()).strictBuiltinErrors(true).build());
      got = rs.isEmpty() ? "undefined" : "result " + Json.write(rs.get(0).value());
    } catch (RegoException e) {
      got = "error " + e.errors().get(0).message();
    }
    String want;
    if (c.get("error") != null) {
      want = "error " + ((StringValue) c.get("error")).value();
    } else if (c.get("result") != null) {
      want = "result " + Json.write(c.get("result"));
    } else {
      want = "undefined";
    }
    assertThat(got).isEqualTo(want);
  }
}
