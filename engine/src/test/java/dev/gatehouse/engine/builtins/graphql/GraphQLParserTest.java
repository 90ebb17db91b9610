package dev.gatehouse.engine.builtins.graphql;

import static dev.gatehouse.engine.builtins.graphql.GraphQLTestSupport.call;
import static dev.gatehouse.engine.builtins.graphql.GraphQLTestSupport.canonical;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.engine.builtins.graphql.ast.Field;
import dev.gatehouse.engine.builtins.graphql.ast.FragmentSpread;
import dev.gatehouse.engine.builtins.graphql.ast.InlineFragment;
import dev.gatehouse.engine.builtins.graphql.ast.OperationDefinition;
import dev.gatehouse.engine.builtins.graphql.ast.QueryDocument;
import dev.gatehouse.engine.builtins.graphql.ast.SchemaDocument;
import dev.gatehouse.engine.builtins.graphql.ast.ValueKind;
import dev.gatehouse.engine.builtins.graphql.ast.ValueNode;
import dev.gatehouse.engine.builtins.graphql.parse.QueryParser;
import dev.gatehouse.engine.builtins.graphql.parse.SchemaParser;
import dev.gatehouse.engine.builtins.graphql.parse.SyntaxError;
import org.junit.jupiter.api.Test;

/**
 * Grammar edge cases. Expected AST objects and messages were produced by {@code opa eval} with
 * OPA v1.22.2 (gqlparser v2.5.58).
 */
class GraphQLParserTest {

  private static ValueNode firstArgument(String query) throws SyntaxError {
    QueryDocument d = QueryParser.parse(query);
    return ((Field) d.operations().get(0).selectionSet().get(0)).arguments().get(0).value();
  }

  @Test
  void blockStringsDropCommonIndentCountingTheFirstLineAndTrimBlankLines() throws SyntaxError {
    assertThat(firstArgument("{ a(b: \"\"\"\n    first\n      second\n\n    third\n  \"\"\") }").raw())
        .isEqualTo("first\n  second\n\nthird");
    // gqlparser counts the first line's indentation too (the spec does not): one space is common
    assertThat(firstArgument("{ a(b: \"\"\" block\n   text\"\"\") }").raw()).isEqualTo(" block\n  text");
    assertThat(firstArgument("{ a(b: \"\"\"esc \\\"\"\" quote\"\"\") }").raw()).isEqualTo("esc \"\"\" quote");
    assertThat(firstArgument("{ a(b: \"\"\"a\r\n  b\r  c\"\"\") }").raw()).isEqualTo("a\n  b\n  c");
    assertThat(firstArgument("{ a(b: \"\"\" a \"\"b\"\" \"\"\") }").raw()).isEqualTo(" a \"\"b\"\" ");
    assertThat(firstArgument("{ a(b: \"\"\"\"\"\") }").kind()).isEqualTo(ValueKind.BLOCK);
  }

  @Test
  void stringEscapesDecodeAndSurrogateEscapesBecomeReplacementCharacters() throws SyntaxError {
    ValueNode v = firstArgument("{ a(s: \"q\\\" bs\\\\ sl\\/ \\b\\f\\n\\r\\t \\u00e9\\u0041 \\uD83D\\uDE00 😀\") }");
    assertThat(v.raw()).isEqualTo("q\" bs\\ sl/ \b\f\n\r\t éA \uFFFD\uFFFD 😀");
    assertThat(v.kind()).isEqualTo(ValueKind.STRING);
  }

  @Test
  void valuesKeepTheirLiteralTextAndKind() {
    assertThat(call("parse_query", "{ a(i: -0, f: 1.5e3, t: true, n: null, e: ENUM, l: [1], v: $x) }")).isEqualTo(canonical(
        "{'Operations': [{'Name': '', 'Operation': 'query', 'SelectionSet': [{'Alias': 'a', 'Name': 'a', 'Arguments': ["
            + "{'Name': 'i', 'Value': {'ExpectedTypeHasDefault': false, 'Kind': 1, 'Raw': '-0'}},"
            + "{'Name': 'f', 'Value': {'ExpectedTypeHasDefault': false, 'Kind': 2, 'Raw': '1.5e3'}},"
            + "{'Name': 't', 'Value': {'ExpectedTypeHasDefault': false, 'Kind': 5, 'Raw': 'true'}},"
            + "{'Name': 'n', 'Value': {'ExpectedTypeHasDefault': false, 'Kind': 6, 'Raw': 'null'}},"
            + "{'Name': 'e', 'Value': {'ExpectedTypeHasDefault': false, 'Kind': 7, 'Raw': 'ENUM'}},"
            + "{'Name': 'l', 'Value': {'Children': [{'Name': '', 'Value': {'ExpectedTypeHasDefault': false, 'Kind': 1, 'Raw': '1'}}],"
            + " 'ExpectedTypeHasDefault': false, 'Kind': 8, 'Raw': ''}},"
            + "{'Name': 'v', 'Value': {'ExpectedTypeHasDefault': false, 'Kind': 0, 'Raw': 'x'}}]}]}]}"));
  }

  @Test
  void fragmentsSpreadsAndInlineFragmentsHaveTheirOwnShapes() {
    assertThat(call("parse_query", "query Q($v: [Int!] = [1, 2]) { ...F ... on T @skip(if: $v) { x } } fragment F on T { y }"))
        .isEqualTo(canonical("{'Fragments': [{'Name': 'F', 'SelectionSet': [{'Alias': 'y', 'Name': 'y'}], 'TypeCondition': 'T'}],"
            + " 'Operations': [{'Name': 'Q', 'Operation': 'query', 'SelectionSet': [{'Name': 'F'},"
            + " {'Directives': [{'Arguments': [{'Name': 'if', 'Value': {'ExpectedTypeHasDefault': false, 'Kind': 0, 'Raw': 'v'}}],"
            + " 'Location': '', 'Name': 'skip'}], 'SelectionSet': [{'Alias': 'x', 'Name': 'x'}], 'TypeCondition': 'T'}],"
            + " 'VariableDefinitions': [{'DefaultValue': {'Children': [{'Name': '', 'Value': {'ExpectedTypeHasDefault': false,"
            + " 'Kind': 1, 'Raw': '1'}}, {'Name': '', 'Value': {'ExpectedTypeHasDefault': false, 'Kind': 1, 'Raw': '2'}}],"
            + " 'ExpectedTypeHasDefault': false, 'Kind': 8, 'Raw': ''}, 'Type': {'Elem': {'NamedType': 'Int', 'NonNull': true},"
            + " 'NamedType': '', 'NonNull': false}, 'Used': false, 'Variable': 'v'}]}]}"));
  }

  @Test
  void inlineFragmentWithoutTypeConditionAndFragmentVariablesParse() throws SyntaxError {
    QueryDocument d = QueryParser.parse("{ ... @d { a } } fragment F($a: Int = 1) on T { b }");
    InlineFragment inline = (InlineFragment) d.operations().get(0).selectionSet().get(0);
    assertThat(inline.typeCondition()).isEmpty();
    assertThat(inline.directives()).hasSize(1);
    assertThat(d.fragments().get(0).variableDefinition().get(0).defaultValue().raw()).isEqualTo("1");
  }

  @Test
  void keywordsAreNamesWhereNamesAreExpected() throws SyntaxError {
    QueryDocument d = QueryParser.parse("query on { ... a ... on on { on } } fragment a on Type { on(on: $on) }");
    OperationDefinition op = d.operations().get(0);
    assertThat(op.name()).isEqualTo("on");
    assertThat(((FragmentSpread) op.selectionSet().get(0)).name()).isEqualTo("a");
    assertThat(((InlineFragment) op.selectionSet().get(1)).typeCondition()).isEqualTo("on");
  }

  @Test
  void commentsAttachToTheNextNodeExceptWhereGqlparserReadsThemTooLate() {
    // an operation starting with "{" and argument values never carry their comment
    assertThat(call("parse_query", "# c1\n{ a # c2\n b(x: # c3\n 1) }")).isEqualTo(canonical(
        "{'Operations': [{'Name': '', 'Operation': 'query', 'SelectionSet': [{'Alias': 'a', 'Name': 'a'},"
            + " {'Alias': 'b', 'Arguments': [{'Name': 'x', 'Value': {'ExpectedTypeHasDefault': false, 'Kind': 1, 'Raw': '1'}}],"
            + " 'Comment': {'List': [{'Value': '# c2'}]}, 'Name': 'b'}]}]}"));
    assertThat(call("parse_query", "# c1\nquery { a }")).contains("\"Comment\":{\"List\":[{\"Value\":\"# c1\"}]}");
  }

  @Test
  void descriptionsAndCommentsInSchemas() {
    assertThat(call("parse_schema", "\"\"\"\n  Type desc\n\"\"\"\ntype T implements A & B @d(x: 1) {\n  \"field desc\"\n"
        + "  f(a: Int = 5 @x): [String!]!\n}\nextend type T @e\nextend schema @s { mutation: M }")).isEqualTo(canonical(
        "{'Definitions': [{'BuiltIn': false, 'Description': 'Type desc', 'Directives': [{'Arguments': [{'Name': 'x', 'Value':"
            + " {'ExpectedTypeHasDefault': false, 'Kind': 1, 'Raw': '1'}}], 'Location': '', 'Name': 'd'}], 'Fields': [{'Arguments':"
            + " [{'DefaultValue': {'ExpectedTypeHasDefault': false, 'Kind': 1, 'Raw': '5'}, 'Description': '', 'Directives':"
            + " [{'Location': '', 'Name': 'x'}], 'Name': 'a', 'Type': {'NamedType': 'Int', 'NonNull': false}}], 'Description':"
            + " 'field desc', 'Name': 'f', 'Type': {'Elem': {'NamedType': 'String', 'NonNull': true}, 'NamedType': '', 'NonNull':"
            + " true}}], 'Interfaces': ['A', 'B'], 'Kind': 'OBJECT', 'Name': 'T'}], 'Extensions': [{'BuiltIn': false,"
            + " 'Description': '', 'Directives': [{'Location': '', 'Name': 'e'}], 'Kind': 'OBJECT', 'Name': 'T'}],"
            + " 'SchemaExtension': [{'Description': '', 'Directives': [{'Location': '', 'Name': 's'}], 'OperationTypes':"
            + " [{'Operation': 'mutation', 'Type': 'M'}]}]}"));
    assertThat(call("parse_schema", "type T { a: Int } # trailing\n# at end")).contains("\"Comment\":{\"List\":[{\"Value\":\"# trailing\"},{\"Value\":\"# at end\"}]}");
  }

  @Test
  void schemaExtensionsOfEveryKindAndTheirEmptyForms() throws SyntaxError {
    SchemaDocument d = SchemaParser.parse("extend scalar S @x extend type T implements K extend interface I { g: Int }"
        + " extend union U = C extend enum E { D } extend input In @q(a: $v) extend schema @t");
    assertThat(d.extensions()).extracting(x -> x.kind())
        .containsExactly("SCALAR", "OBJECT", "INTERFACE", "UNION", "ENUM", "INPUT_OBJECT");
    assertThat(d.schemaExtension()).hasSize(1);
    assertThat(call("parse_schema", "extend type T")).isEqualTo("error graphql.parse_schema: Unexpected <EOF> in GraphQL string at location 1:14");
    assertThat(call("parse_schema", "extend schema")).isEqualTo("error graphql.parse_schema: Unexpected <EOF> in GraphQL string at location 1:14");
    assertThat(call("parse_schema", "\"d\" extend type T { a: Int }"))
        .isEqualTo("error graphql.parse_schema: Unexpected String \"d\" in GraphQL string at location 1:2");
  }

  @Test
  void syntaxErrorsReportTheFirstProblemWithGqlparsersWordingAndPosition() {
    assertThat(call("parse_query", "{")).isEqualTo("error graphql.parse_query: Expected Name, found <EOF> in GraphQL string at location 1:2");
    assertThat(call("parse_query", "{ a() }"))
        .isEqualTo("error graphql.parse_query: expected at least one definition, found ) in GraphQL string at location 1:5");
    assertThat(call("parse_query", "fragment F Type { a }"))
        .isEqualTo("error graphql.parse_query: Expected \"on\", found Name \"Type\" in GraphQL string at location 1:12");
    assertThat(call("parse_query", "query ($x: Int = $y) { a }"))
        .isEqualTo("error graphql.parse_query: Unexpected $ in GraphQL string at location 1:18");
    assertThat(call("parse_query", "{ é }")).isEqualTo("error graphql.parse_query: Expected Name, found <Invalid> in GraphQL string at location 1:3");
    // a \r\n pair shifts the next line's columns by one, as in gqlparser
    assertThat(call("parse_query", "query Q {\r\n  a(\r\n}"))
        .isEqualTo("error graphql.parse_query: Expected Name, found } in GraphQL string at location 3:2");
  }

  @Test
  void lexerMessagesSurfaceWhereGqlparserConsumesTheBadToken() {
    assertThat(call("parse_schema", "schema { 'x }")).isEqualTo("error graphql.parse_schema: Unexpected single quote character ('),"
        + " did you mean to use a double quote (\")? in GraphQL string at location 1:10");
    assertThat(call("parse_schema", "schema { 01 }"))
        .isEqualTo("error graphql.parse_schema: Invalid number, unexpected digit after 0: \"1\". in GraphQL string at location 1:11");
    assertThat(call("parse_schema", "schema { \"abc"))
        .isEqualTo("error graphql.parse_schema: Unterminated string. in GraphQL string at location 1:14");
  }

  @Test
  void nestingBeyondTheLimitIsAClearSyntaxErrorNotAStackOverflow() {
    int depth = Limits.MAX_NESTING + 1;
    String query = "{ a ".repeat(depth) + "}".repeat(depth);
    assertThat(call("parse_query", query)).startsWith("error graphql.parse_query: Exceeded maximum nesting depth of 256 in GraphQL string");
    String list = "{ a(x: " + "[".repeat(depth) + "]".repeat(depth) + ") }";
    assertThat(call("parse_query", list)).startsWith("error graphql.parse_query: Exceeded maximum nesting depth of 256");
    String type = "type Q { a: " + "[".repeat(depth) + "Int" + "]".repeat(depth) + " }";
    assertThat(call("parse_schema", type)).startsWith("error graphql.parse_schema: Exceeded maximum nesting depth of 256");
    String ok = "{ a ".repeat(Limits.MAX_NESTING) + "}".repeat(Limits.MAX_NESTING);
    assertThat(call("parse_query", ok)).startsWith("{\"Operations\"");
  }

  @Test
  void parserReportsSyntaxErrorsAsExceptionsWithLocations() {
    assertThatThrownBy(() -> QueryParser.parse("{ a(x: ) }"))
        .isInstanceOfSatisfying(SyntaxError.class, e -> assertThat(e.error().goText()).isEqualTo("input:1:8: Unexpected )"));
  }
}
