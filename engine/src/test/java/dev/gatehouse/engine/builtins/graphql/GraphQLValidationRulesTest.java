package dev.gatehouse.engine.builtins.graphql;

import static dev.gatehouse.engine.builtins.graphql.GraphQLTestSupport.call;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each of gqlparser's validation rules as graphql.parse reports it. The expected messages were
 * produced by {@code opa eval --strict-builtin-errors} with OPA v1.22.2: note that several
 * errors read as one message (each later one after "\ninput:L:C: "), located at the first.
 */
class GraphQLValidationRulesTest {
  static final String SCHEMA = """
      schema { query: Query mutation: Mutation subscription: Subscription }
      interface Node { id: ID! }
      interface Named implements Node { id: ID! name: String }
      type User implements Node & Named { id: ID! name: String friends(first: Int = 10, after: String): [User!]! role: Role pet: Pet best: User }
      type Dog implements Node & Named { id: ID! name: String barks: Boolean! size: Int }
      type Cat implements Node & Named { id: ID! name: String meows: Boolean! size: Float }
      union Pet = Dog | Cat
      enum Role { ADMIN USER GUEST }
      input UserFilter { name: String role: Role = USER ids: [ID!] nested: UserFilter age: Int! = 3 must: Boolean! }
      input Exactly @oneOf { a: Int b: String }
      scalar Date
      directive @auth(role: Role!) on FIELD_DEFINITION | FIELD
      directive @rep(n: Int) repeatable on FIELD
      directive @once on FIELD | QUERY
      type Query { user(id: ID!): User users(filter: UserFilter, limit: Int = 5): [User] node(id: ID!): Node named: Named pet: Pet search(text: String!): [Pet] dates(d: Date): Int ints(i: [Int!]!): Int one(x: Exactly): Int float(f: Float): Int bool(b: Boolean): Int str(s: String): Int id(i: ID): Int role(r: Role): Int roles(r: [Role]): Int strs(s: [String]): Int req(a: Int!, b: Int! = 1): Int }
      type Mutation { addUser(name: String!): User }
      type Subscription { userAdded: User petAdded: Pet }
      """;

  static Stream<Arguments> rules() {
    return Stream.of(
        Arguments.of("FieldsOnCorrectType", "{ user(id: 1) { nam } }",
            "graphql.parse: Cannot query field \"nam\" on type \"User\". Did you mean \"name\"?\n in GraphQL string at location 1:17"),
        Arguments.of("FieldsOnCorrectType", "{ node(id: 1) { barks } }",
            "graphql.parse: Cannot query field \"barks\" on type \"Node\". Did you mean to use an inline fragment on \"Dog\"?\n in GraphQL string at location 1:17"),
        Arguments.of("FragmentsOnCompositeTypes", "{ user(id: 1) { ... on String { a } } }",
            "graphql.parse: Cannot query field \"a\" on type \"String\".\ninput:1:21: Fragment cannot condition on non composite type \"String\" in GraphQL string at location 1:33"),
        Arguments.of("FragmentsOnCompositeTypes", "{ user(id: 1) { ...F } } fragment F on Role { a }",
            "graphql.parse: Cannot query field \"a\" on type \"Role\".\ninput:1:47: Cannot query field \"a\" on type \"Role\".\ninput:1:26: Fragment \"F\" cannot condition on non composite type \"Role\" in GraphQL string at location 1:47"),
        Arguments.of("KnownArgumentNames", "{ user(idd: 1) { id } }",
            "graphql.parse: Unknown argument \"idd\" on field \"Query.user\". Did you mean \"id\"?\ninput:1:3: Field \"user\" argument \"id\" of type \"ID!\" is required, but it was not provided in GraphQL string at location 1:3"),
        Arguments.of("KnownArgumentNames", "{ user(id: 1) @include(iff: true) { id } }",
            "graphql.parse: Unknown argument \"iff\" on directive \"@include\". Did you mean \"if\"?\ninput:1:16: Directive \"@include\" argument \"if\" of type \"Boolean!\" is required, but it was not provided in GraphQL string at location 1:16"),
        Arguments.of("KnownDirectives", "{ user(id: 1) @nope { id } }",
            "graphql.parse: Unknown directive \"@nope\" in GraphQL string at location 1:16"),
        Arguments.of("KnownDirectives", "query @auth(role: ADMIN) { __typename }",
            "graphql.parse: Directive \"@auth\" may not be used on QUERY in GraphQL string at location 1:8"),
        Arguments.of("KnownFragmentNames", "{ ...Nope }",
            "graphql.parse: Unknown fragment \"Nope\" in GraphQL string at location 1:6"),
        Arguments.of("KnownTypeNames", "{ ...F } fragment F on Usr { id }",
            "graphql.parse: Unknown type \"Usr\". Did you mean \"User\"?\n in GraphQL string at location 1:10"),
        Arguments.of("LoneAnonymousOperation", "{ a: __typename } { b: __typename }",
            "graphql.parse: This anonymous operation must be the only defined operation.\ninput:1:19: This anonymous operation must be the only defined operation.\ninput:1:19: There can be only one operation named \"\" in GraphQL string at location 1:1"),
        Arguments.of("MaxIntrospectionDepth", "{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }",
            "graphql.parse: Maximum introspection depth exceeded\n in GraphQL string at location 1:3"),
        Arguments.of("NoFragmentCycles", "{ ...A } fragment A on Query { ...B } fragment B on Query { ...C } fragment C on Query { ...A }",
            "graphql.parse: Cannot spread fragment \"A\" within itself via \"B\", \"C\" in GraphQL string at location 1:93"),
        Arguments.of("NoUndefinedVariables", "query Q { str(s: $x) }",
            "graphql.parse: Variable \"$x\" is not defined by operation \"Q\" in GraphQL string at location 1:18"),
        Arguments.of("NoUnusedFragments", "{ __typename } fragment F on Query { __typename }",
            "graphql.parse: Fragment \"F\" is never used in GraphQL string at location 1:16"),
        Arguments.of("NoUnusedVariables", "query Q($x: Int, $y: Int) { float(f: $y) }",
            "graphql.parse: Variable \"$y\" of type \"Int\" used in position expecting type \"Float\".\ninput:1:9: Variable \"$x\" is never used in operation \"Q\" in GraphQL string at location 1:38"),
        Arguments.of("OverlappingFieldsCanBeMerged", "{ a: str(s: \"x\") a: float(f: 1) }",
            "graphql.parse: Fields \"a\" conflict because \"str\" and \"float\" are different fields. Use different aliases on the fields to fetch both if this was intentional in GraphQL string at location 1:18"),
        Arguments.of("OverlappingFieldsCanBeMerged", "{ str(s: \"x\") str(s: \"y\") }",
            "graphql.parse: Fields \"str\" conflict because they have differing arguments. Use different aliases on the fields to fetch both if this was intentional in GraphQL string at location 1:15"),
        Arguments.of("OverlappingFieldsCanBeMerged", "{ pet { ... on Dog { size } ... on Cat { size } } }",
            "graphql.parse: Fields \"size\" conflict because they return conflicting types \"Int\" and \"Float\". Use different aliases on the fields to fetch both if this was intentional in GraphQL string at location 1:42"),
        Arguments.of("OverlappingFieldsCanBeMerged", "{ user(id: 1) { best { a: name } } user(id: 1) { best { a: id } } }",
            "graphql.parse: Fields \"user\" conflict because subfields \"best\" conflict because subfields \"a\" conflict because \"name\" and \"id\" are different fields. Use different aliases on the fields to fetch both if this was intentional in GraphQL string at location 1:36"),
        Arguments.of("PossibleFragmentSpreads", "{ user(id: 1) { ... on Dog { barks } } }",
            "graphql.parse: Fragment cannot be spread here as objects of type \"User\" can never be of type \"Dog\" in GraphQL string at location 1:21"),
        Arguments.of("PossibleFragmentSpreads", "{ pet { ...F } } fragment F on User { id }",
            "graphql.parse: Fragment \"F\" cannot be spread here as objects of type \"Pet\" can never be of type \"User\" in GraphQL string at location 1:12"),
        Arguments.of("ProvidedRequiredArguments", "{ user(id: 1) @include { id } }",
            "graphql.parse: Directive \"@include\" argument \"if\" of type \"Boolean!\" is required, but it was not provided in GraphQL string at location 1:16"),
        Arguments.of("ScalarLeafs", "{ str(s: \"x\") { a } }",
            "graphql.parse: Cannot query field \"a\" on type \"Int\".\ninput:1:3: Field \"str\" must not have a selection since type \"Int\" has no subfields in GraphQL string at location 1:17"),
        Arguments.of("ScalarLeafs", "{ user(id: 1) }",
            "graphql.parse: Field \"user\" of type \"User\" must have a selection of subfields. Did you mean \"user { ... }\"?\n in GraphQL string at location 1:3"),
        Arguments.of("SingleFieldSubscriptions", "subscription S { userAdded { id } petAdded { __typename } }",
            "graphql.parse: Subscription \"S\" must select only one top level field in GraphQL string at location 1:35"),
        Arguments.of("SingleFieldSubscriptions", "subscription { __typename }",
            "graphql.parse: Anonymous Subscription must not select an introspection top level field in GraphQL string at location 1:16"),
        Arguments.of("UniqueArgumentNames", "{ str(s: \"a\", s: \"b\", s: \"c\") }",
            "graphql.parse: There can be only one argument named \"s\" in GraphQL string at location 1:15"),
        Arguments.of("UniqueDirectivesPerLocation", "{ user(id: 1) @once @once { id } }",
            "graphql.parse: The directive \"@once\" can only be used once at this location in GraphQL string at location 1:22"),
        Arguments.of("UniqueFragmentNames", "{ ...F } fragment F on Query { __typename } fragment F on Query { __typename }",
            "graphql.parse: There can be only one fragment named \"F\" in GraphQL string at location 1:45"),
        Arguments.of("UniqueInputFieldNames", "{ users(filter: {name: \"a\", name: \"b\", must: true}) { id } }",
            "graphql.parse: There can be only one input field named \"name\" in GraphQL string at location 1:29"),
        Arguments.of("UniqueOperationNames", "query A { __typename } query A { __typename }",
            "graphql.parse: There can be only one operation named \"A\" in GraphQL string at location 1:24"),
        Arguments.of("UniqueVariableNames", "query ($x: Int, $x: Int, $x: Int) { float(f: $x) }",
            "graphql.parse: Variable \"$x\" of type \"Int\" used in position expecting type \"Float\".\ninput:1:17: Variable \"$x\" is never used.\ninput:1:26: Variable \"$x\" is never used.\ninput:1:17: There can be only one variable named \"$x\" in GraphQL string at location 1:46"),
        Arguments.of("ValuesOfCorrectType", "{ user(id: null) { id } }",
            "graphql.parse: Expected value of type \"ID!\", found null in GraphQL string at location 1:12"),
        Arguments.of("ValuesOfCorrectType", "{ req(a: 99999999999999999999) }",
            "graphql.parse: Int cannot represent non 32-bit signed integer value: 99999999999999999999\n in GraphQL string at location 1:10"),
        Arguments.of("ValuesOfCorrectType", "{ role(r: \"ADMIN\") }",
            "graphql.parse: Enum \"Role\" cannot represent non-enum value: \"ADMIN\". Did you mean the enum value \"ADMIN\"?\n in GraphQL string at location 1:12"),
        Arguments.of("ValuesOfCorrectType", "{ role(r: ADMN) }",
            "graphql.parse: Value \"ADMN\" does not exist in \"Role\" enum. Did you mean the enum value \"ADMIN\"?\n in GraphQL string at location 1:11"),
        Arguments.of("ValuesOfCorrectType", "{ req(a: ADMIN) }",
            "graphql.parse: Int cannot represent non-integer value: ADMIN\n in GraphQL string at location 1:10"),
        Arguments.of("ValuesOfCorrectType", "{ users(filter: {name: \"a\"}) { id } }",
            "graphql.parse: Field \"UserFilter.must\" of required type \"Boolean!\" was not provided in GraphQL string at location 1:17"),
        Arguments.of("ValuesOfCorrectType", "{ users(filter: {nme: \"a\", must: true}) { id } }",
            "graphql.parse: Field \"nme\" is not defined by type \"UserFilter\". Did you mean \"name\" or \"age\"?\n in GraphQL string at location 1:18"),
        Arguments.of("ValuesOfCorrectType", "{ one(x: {a: 1, b: \"x\"}) }",
            "graphql.parse: OneOf Input Object \"Exactly\" must specify exactly one key in GraphQL string at location 1:10"),
        Arguments.of("ValuesOfCorrectType", "{ one(x: {a: null}) }",
            "graphql.parse: Field \"Exactly.a\" must be non-null in GraphQL string at location 1:14"),
        Arguments.of("VariablesAreInputTypes", "query ($u: User) { __typename }",
            "graphql.parse: Variable \"$u\" is never used.\ninput:1:8: Variable \"$u\" cannot be non-input type \"User\" in GraphQL string at location 1:8"),
        Arguments.of("VariablesInAllowedPosition", "query ($x: Int) { req(a: $x) }",
            "graphql.parse: Variable \"$x\" of type \"Int\" used in position expecting type \"Int!\" in GraphQL string at location 1:26"),
        Arguments.of("VariablesInAllowedPosition", "query ($v: Int) { one(x: {a: $v}) }",
            "graphql.parse: Variable \"$v\" is of type \"Int\" but must be non-nullable to be used for OneOf Input Object \"Exactly\" in GraphQL string at location 1:8"));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("rules")
  void ruleReportsOpasMessage(String rule, String query, String message) {
    assertThat(call("parse", query, SCHEMA)).isEqualTo("error " + message);
    assertThat(call("is_valid", query, SCHEMA)).isEqualTo("false");
    assertThat(call("parse_and_verify", query, SCHEMA)).isEqualTo("[false,{},{}]");
  }

  @Test
  void aValidQueryYieldsBothAsts() {
    String result = call("parse", "{ user(id: 1) { id name friends(first: 2) { name } } }", SCHEMA);
    assertThat(result).startsWith("[{\"Operations\":[{\"Name\":\"\",\"Operation\":\"query\"").contains("\"Definitions\":[");
    assertThat(call("is_valid", "{ user(id: 1) { id } }", SCHEMA)).isEqualTo("true");
    assertThat(call("parse_and_verify", "{ user(id: 1) { id } }", SCHEMA)).startsWith("[true,{\"Operations\"");
  }

  @Test
  void errorsFollowWalkOrderAndAllAppearInTheMessage() {
    // recorded with OPA v1.22.2: children are checked before their parents, rules in name order
    assertThat(call("parse", "query Q($unused: Int) { nope user { nam } str(s: 1) ...Missing }", SCHEMA)).isEqualTo("error "
        + "graphql.parse: Cannot query field \"nope\" on type \"Query\". Did you mean \"node\", \"one\", or \"role\"?\ninput:1:37: Cannot query field \"nam\" on type \"User\". Did you mean \"name\"?\ninput:1:30: Field \"user\" argument \"id\" of type \"ID!\" is required, but it was not provided.\ninput:1:50: String cannot represent a non string value: 1\ninput:1:56: Unknown fragment \"Missing\".\ninput:1:9: Variable \"$unused\" is never used in operation \"Q\" in GraphQL string at location 1:25");
  }

  @Test
  void validationErrorsOfAstObjectsHaveNoLocation() {
    // recorded with OPA v1.22.2: decoded ASTs carry no positions, so the text is reported whole
    var query = GraphQLTestSupport.json("{'Operations': [{'Operation': 'query', 'SelectionSet': [{'Name': 'zz', 'Alias': 'zz'}]}]}");
    assertThat(call("parse", query, "type Query { a: Int }"))
        .isEqualTo("error graphql.parse: GraphQL parse error: input: Cannot query field \"zz\" on type \"Query\".\n");
  }
}
