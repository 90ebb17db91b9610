package dev.gatehouse.engine.builtins.graphql;

import static dev.gatehouse.engine.builtins.graphql.GraphQLTestSupport.call;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Schema validation (gqlparser's ValidateSchemaDocument over the built-in types plus the
 * schema): the first problem found is the error. Messages recorded with OPA v1.22.2.
 */
class GraphQLSchemaValidationTest {
  private static final String PREFIX = "error graphql.parse: Error in gqlparser SchemaDocument to Schema conversion: ";

  static Stream<Arguments> invalidSchemas() {
    return Stream.of(
        Arguments.of("type Query { a: Int } type Query { b: Int }",
            "input:1:28: Cannot redeclare type Query."),
        Arguments.of("schema { query: Query } schema { query: Query } type Query { a: Int }",
            "input:1:32: Cannot have multiple schema entry points, consider schema extensions instead."),
        Arguments.of("schema { query: Nope }",
            "input:1:10: Schema root query refers to a type Nope that does not exist."),
        Arguments.of("type Query { a: Int } extend union Query = A",
            "input:1:36: Cannot extend type Query because the base type is a OBJECT, not UNION."),
        Arguments.of("type Query { a: [[Nope!]] }",
            "input:1:18: Undefined type Nope."),
        Arguments.of("type Query { a(x: Query): Int }",
            "input:1:16: cannot use Query as argument x because OBJECT is not a valid input type"),
        Arguments.of("type Query { a: Int @include(if: true) }",
            "input:1:22: Directive include is not applicable on FIELD_DEFINITION."),
        Arguments.of("directive @d on FIELD_DEFINITION type Query { a: Int @d @d }",
            "input:1:58: The directive d can only be used once at this location."),
        Arguments.of("scalar S @specifiedBy(url: null) type Query { a: S }",
            "input:1:11: Argument url for directive specifiedBy cannot be null."),
        Arguments.of("directive @d(a: Int @d) on ARGUMENT_DEFINITION type Query { a: Int }",
            "input:1:22: Directive d cannot refer to itself."),
        Arguments.of("type Query { a: Int } union U = Int",
            "input:1:29: UNION type \"Int\" must be OBJECT."),
        Arguments.of("type Query { a: Int } type A { a: Int } union U = A | A",
            "input:1:55: Union type U can only include type A once."),
        Arguments.of("interface I { b: Int } type Query implements I { a: Int }",
            "input:1:29: For Query to implement I it must have a field called b."),
        Arguments.of("interface I { a: String } type Query implements I { a: Int }",
            "input:1:53: For Query to implement I the field a must have type String."),
        Arguments.of("interface I { a(x: Int): Int } type Query implements I { a(x: String): Int }",
            "input:1:60: For Query to implement I the field a must have the same arguments but x has the wrong type."),
        Arguments.of("interface I { a: Int } type Query implements I { a(y: Int!): Int }",
            "input:1:52: For Query to implement I any additional arguments on a must be optional or have a default value but y is required."),
        Arguments.of("interface J { a: Int } interface I implements J { a: Int } type Query implements I { a: Int }",
            "input:1:65: Type Query must implement J because it is implemented by I."),
        Arguments.of("interface I implements J { a: Int } interface J implements I { a: Int } type Query { a: Int }",
            "input:1:11: Type I cannot implement J because it would create a circular reference."),
        Arguments.of("directive @d on OBJECT type Query { a: Int } extend type X @d",
            "input:1:58: OBJECT X: must define one or more fields."),
        Arguments.of("type Query { a: Int } enum E { A true }",
            "input:1:28: ENUM E: non-enum value true."),
        Arguments.of("type Query { a: Int } input I { q: Query }",
            "input:1:33: OBJECT q: field must be one of SCALAR, ENUM, INPUT_OBJECT."),
        Arguments.of("type Query { a: Int b: Int a: String b: Int }",
            "input:1:28: Field Query.a can only be defined once."),
        Arguments.of("type Query { __a: Int }",
            "input:1:14: Name \"__a\" must not begin with \"__\", which is reserved by GraphQL introspection."),
        Arguments.of("type Query { a: Int } input A { b: B! } input B { c: C! } input C { a: A! x: Int }",
            "input:1:33: Cannot reference Input Object \"A\" within itself through a series of non-null fields: \"b.c.a\"."),
        Arguments.of("type Query { a: Int } interface Foo { x: Int } extend type __Schema implements Foo",
            "prelude.graphql:64:6: For __Schema to implement Foo it must have a field called x."),
        Arguments.of("type Query { a: Int } type Z { z: Nope1 } type B { b: Nope2 }",
            "input:1:55: Undefined type Nope2."));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidSchemas")
  void invalidSchemaReportsGqlparsersFirstError(String schema, String error) {
    assertThat(call("parse", "{ __typename }", schema)).isEqualTo(PREFIX + error);
    assertThat(call("schema_is_valid", schema)).isEqualTo("false");
    assertThat(call("is_valid", "{ __typename }", schema)).isEqualTo("false");
  }

  @Test
  void validSchemasIncludingOnesGqlparserIsLenientAbout() {
    // all recorded as valid with OPA v1.22.2
    assertThat(call("schema_is_valid", "directive @include(if: Boolean!) on FIELD type Query { a: Int }")).isEqualTo("true");
    assertThat(call("schema_is_valid", "directive @d repeatable on FIELD_DEFINITION type Query { a: Int @d @d }")).isEqualTo("true");
    assertThat(call("schema_is_valid", "type Query { a: Int } input I { i: [I!]! }")).isEqualTo("true");
    assertThat(call("schema_is_valid", "interface I { a: I } type Query implements I { a: Query }")).isEqualTo("true");
    assertThat(call("schema_is_valid", "extend type Query { a: Int }")).isEqualTo("true");
    assertThat(call("schema_is_valid", "type Foo { a: Int }")).isEqualTo("true");
  }

  @Test
  void aSchemaWithoutTheRootTypeFailsTheQueryInstead() {
    assertThat(call("parse", "{ __typename }", "type Foo { a: Int }"))
        .isEqualTo("error graphql.parse: Schema does not support operation type \"query\"\n in GraphQL string at location 1:1");
  }

  @Test
  void schemaAstObjectsValidateLikeTheTextTheyCameFrom() {
    String text = "type Employee { id: String! salary: Int! } schema { query: Query } type Query { employeeByID(id: String): Employee }";
    String ast = call("parse_schema", text);
    var schemaAst = dev.gatehouse.engine.value.Json.parse(ast);
    assertThat(call("schema_is_valid", schemaAst)).isEqualTo("true");
    assertThat(call("parse", "{ employeeByID(id: \"a\") { salary } }", schemaAst))
        .isEqualTo(call("parse", "{ employeeByID(id: \"a\") { salary } }", text));
  }
}
