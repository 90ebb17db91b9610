package dev.gatehouse.engine.builtins.graphql;

import static dev.gatehouse.engine.builtins.graphql.GraphQLTestSupport.call;
import static dev.gatehouse.engine.builtins.graphql.GraphQLTestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.value.ArrayValue;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Bad input of every kind ends in a builtin error (or {@code false}), never in another exception,
 * a stack overflow or a hang. Where OPA v1.22.2 itself crashes (gqlparser dereferences nil on
 * some malformed AST objects) we report the problem instead.
 */
class GraphQLMalformedInputTest {
  private static final String SCHEMA = "type Query { a(x: Int): Int o: O } type O { b: Int }";
  private static final String ALPHABET = "{}()[]:!$@.=|&\"#\n\r\t ,aqonx1-0e\\u\u00e9\u0001'";

  private static void assertBuiltinOutcome(String got, String fn) {
    assertThat(got).satisfiesAnyOf(
        g -> assertThat(g).startsWith("{"),
        g -> assertThat(g).startsWith("["),
        g -> assertThat(g).isIn("true", "false"),
        g -> assertThat(g).startsWith("error graphql." + fn + ": ").doesNotContain("internal error"));
  }

  @Test
  void randomTextNeverEscapesAsAnythingButABuiltinError() {
    Random random = new Random(20260601);
    for (int i = 0; i < 400; i++) {
      StringBuilder sb = new StringBuilder();
      int len = random.nextInt(40);
      for (int j = 0; j < len; j++) {
        sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
      }
      String text = sb.toString();
      assertBuiltinOutcome(call("parse_query", text), "parse_query");
      assertBuiltinOutcome(call("parse_schema", text), "parse_schema");
      assertBuiltinOutcome(call("parse", "{" + text + "}", SCHEMA), "parse");
      assertThat(call("is_valid", text, SCHEMA)).isIn("true", "false");
      assertThat(call("schema_is_valid", text)).isIn("true", "false");
    }
  }

  @Test
  void astObjectsThatCrashOpaAreReportedAsInvalid() {
    // each of these makes OPA v1.22.2 panic (nil dereference or "unknown ..." in gqlparser)
    String unknownOperation = "{'Operations': [{'Operation': 'foo', 'SelectionSet': [{'Name': 'a', 'Alias': 'a'}]}]}";
    assertThat(call("parse", json(unknownOperation), SCHEMA))
        .isEqualTo("error graphql.parse: invalid GraphQL AST object: unknown operation type \"foo\"");
    String unknownKind = "{'Operations': [{'Operation': 'query', 'SelectionSet': [{'Name': 'a', 'Alias': 'a',"
        + " 'Arguments': [{'Name': 'x', 'Value': {'Kind': 99}}]}]}]}";
    assertThat(call("parse", json(unknownKind), SCHEMA)).isEqualTo("error graphql.parse: invalid GraphQL AST object: unknown value kind 99");
    String variableWithoutType = "{'Operations': [{'Operation': 'query', 'VariableDefinitions': [{'Variable': 'v'}],"
        + " 'SelectionSet': [{'Name': 'a', 'Alias': 'a'}]}]}";
    assertThat(call("parse", json(variableWithoutType), SCHEMA))
        .isEqualTo("error graphql.parse: invalid GraphQL AST object: a required part is null or missing");
    String nullOperation = "{'Operations': [null]}";
    assertThat(call("parse", json(nullOperation), SCHEMA))
        .isEqualTo("error graphql.parse: invalid GraphQL AST object: a required part is null or missing");
    String fieldWithoutType = "{'Definitions': [{'Kind': 'OBJECT', 'Name': 'Query', 'Fields': [{'Name': 'a'}]}]}";
    assertThat(call("parse", "{ a }", json(fieldWithoutType)))
        .isEqualTo("error graphql.parse: invalid GraphQL AST object: a required part is null or missing");
    assertThat(call("schema_is_valid", json(fieldWithoutType))).isEqualTo("false");
    String typeWithoutName = "{'Definitions': [{'Kind': 'OBJECT', 'Name': 'Query', 'Fields': [{'Name': 'a', 'Type': {}}]}]}";
    assertThat(call("parse", "{ a }", json(typeWithoutName)))
        .isEqualTo("error graphql.parse: invalid GraphQL AST object: type reference without a named type");
    // a known directive in the wrong place: gqlparser reads the (absent) position to deduplicate
    String misplaced = "{'Operations': [{'Operation': 'query', 'Directives': [{'Name': 'include', 'Arguments': [{'Name': 'if',"
        + " 'Value': {'Kind': 5, 'Raw': 'true'}}]}], 'SelectionSet': [{'Name': 'a', 'Alias': 'a'}]}]}";
    assertThat(call("parse", json(misplaced), SCHEMA))
        .isEqualTo("error graphql.parse: GraphQL parse error: input: Directive \"@include\" may not be used on QUERY.\n");
    assertThat(call("is_valid", json(unknownKind), SCHEMA)).isEqualTo("false");
    assertThat(call("parse_and_verify", json(nullOperation), SCHEMA)).isEqualTo("[false,{},{}]");
  }

  @Test
  void deeplyNestedAstObjectsAreRefused() {
    // built directly: JSON text this deep would already be refused by the JSON reader
    Value field = ObjectValue.builder().put("Name", StringValue.of("a")).build();
    for (int i = 0; i < 600; i++) {
      field = ObjectValue.builder().put("Name", StringValue.of("a")).put("Alias", StringValue.of("a"))
          .put("SelectionSet", ArrayValue.of(field)).build();
    }
    Value query = ObjectValue.builder().put("Operations", ArrayValue.of(ObjectValue.builder()
        .put("Operation", StringValue.of("query")).put("SelectionSet", ArrayValue.of(field)).build())).build();
    assertThat(call("parse", query, SCHEMA)).isEqualTo("error graphql.parse: Exceeded maximum nesting depth of 256");
    assertThat(call("is_valid", query, SCHEMA)).isEqualTo("false");
  }

  @Test
  void longFragmentChainsStopAtTheValidationDepthLimit() {
    StringBuilder q = new StringBuilder("{ ...F0 }");
    int n = 1000;
    for (int i = 0; i < n; i++) {
      q.append(" fragment F").append(i).append(" on Query { a ").append(i + 1 < n ? "...F" + (i + 1) : "").append(" }");
    }
    assertThat(call("parse", q.toString(), SCHEMA))
        .isEqualTo("error graphql.parse: GraphQL parse error: input: Exceeded maximum validation depth of 500");
    assertThat(call("is_valid", q.toString(), SCHEMA)).isEqualTo("false");
  }

  @Test
  void fragmentsSpreadingEachOtherRepeatedlyStayTractable() {
    // every fragment spreads the next twice: gqlparser's introspection-depth walk is exponential here
    String schema = "type Query { a: Int }";
    StringBuilder q = new StringBuilder("{ __schema { ...F0 } }");
    int n = 60;
    for (int i = 0; i < n; i++) {
      String next = i + 1 < n ? " ...F" + (i + 1) + " ...F" + (i + 1) : " types { name }";
      q.append(" fragment F").append(i).append(" on __Schema {").append(next).append(" }");
    }
    assertThat(call("is_valid", q.toString(), schema)).isEqualTo("true");
  }

  @Test
  void largeDocumentsParse() {
    StringBuilder q = new StringBuilder("{");
    for (int i = 0; i < 20_000; i++) {
      q.append(" f").append(i).append(": a(x: ").append(i).append(")");
    }
    q.append(" }");
    assertThat(call("is_valid", q.toString(), SCHEMA)).isEqualTo("true");
    StringBuilder same = new StringBuilder("{");
    for (int i = 0; i < 10_000; i++) {
      same.append(" a(x: 1)");
    }
    assertThat(call("is_valid", same.append(" }").toString(), SCHEMA)).isEqualTo("true");
  }

  @Test
  void operandsOfTheWrongTypeAreTypeErrorsOrFalse() {
    // recorded with OPA v1.22.2 (graphql.parse numbers its operands from 0)
    var number = dev.gatehouse.engine.value.NumberValue.of(5);
    assertThat(call("parse", number, SCHEMA)).isEqualTo("error graphql.parse: operand 0 must be one of {string, object} but got number");
    assertThat(call("parse", "{a}", number)).isEqualTo("error graphql.parse: operand 1 must be one of {string, object} but got number");
    assertThat(call("parse_query", number)).isEqualTo("error graphql.parse_query: operand 1 must be string but got number");
    assertThat(call("parse_schema", number)).isEqualTo("error graphql.parse_schema: operand 1 must be string but got number");
    assertThat(call("is_valid", number, SCHEMA)).isEqualTo("false");
    assertThat(call("schema_is_valid", number)).isEqualTo("false");
    assertThat(call("parse_and_verify", "{a}", number)).isEqualTo("[false,{},{}]");
  }
}
