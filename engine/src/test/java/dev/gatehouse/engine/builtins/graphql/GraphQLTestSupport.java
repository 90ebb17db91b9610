package dev.gatehouse.engine.builtins.graphql;

import dev.gatehouse.engine.EvalOptions;
import dev.gatehouse.engine.PreparedQuery;
import dev.gatehouse.engine.QueryResult;
import dev.gatehouse.engine.Rego;
import dev.gatehouse.engine.RegoException;
import dev.gatehouse.engine.value.Json;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.util.List;

/** Calls the GraphQL builtins through a real policy, with strict builtin errors as in OPA's tests. */
final class GraphQLTestSupport {
  private static final PreparedQuery QUERY = Rego.builder().module("t.rego", """
      package t

      r := graphql.parse(input.a, input.b) if input.fn == "parse"
      r := graphql.parse_and_verify(input.a, input.b) if input.fn == "parse_and_verify"
      r := graphql.parse_query(input.a) if input.fn == "parse_query"
      r := graphql.parse_schema(input.a) if input.fn == "parse_schema"
      r := graphql.is_valid(input.a, input.b) if input.fn == "is_valid"
      r := graphql.schema_is_valid(input.a) if input.fn == "schema_is_valid"
      """).compile().prepare("data.t.r");

  private GraphQLTestSupport() {}

  /** The builtin's result, or {@code error <message>} when it fails. */
  static String call(String fn, Object a, Object b) {
    ObjectValue.Builder in = ObjectValue.builder().put("fn", StringValue.of(fn)).put("a", toValue(a));
    if (b != null) {
      in.put("b", toValue(b));
    }
    try {
      List<QueryResult> rs = QUERY.eval(EvalOptions.builder().input(in.build()).strictBuiltinErrors(true).build());
      return rs.isEmpty() ? "undefined" : Json.write(rs.get(0).value());
    } catch (RegoException e) {
      return "error " + e.errors().get(0).message();
    }
  }

  static String call(String fn, Object a) {
    return call(fn, a, null);
  }

  private static Value toValue(Object o) {
    return o instanceof Value v ? v : StringValue.of((String) o);
  }

  /** Parses JSON text written with single quotes, to keep expected ASTs readable. */
  static Value json(String singleQuoted) {
    return Json.parse(singleQuoted.replace('\'', '"'));
  }

  /** The compact JSON of a single-quoted JSON text, for comparing with {@link #call}. */
  static String canonical(String singleQuoted) {
    return Json.write(json(singleQuoted));
  }
}
