package dev.gatehouse.engine.builtins.graphql;

import static dev.gatehouse.engine.types.Types.ANY_OBJECT;
import static dev.gatehouse.engine.types.Types.BOOLEAN;
import static dev.gatehouse.engine.types.Types.STRING;
import static dev.gatehouse.engine.types.Types.tuple;

import dev.gatehouse.engine.builtins.Builtin;
import dev.gatehouse.engine.builtins.BuiltinContext;
import dev.gatehouse.engine.builtins.BuiltinException;
import dev.gatehouse.engine.builtins.BuiltinProvider;
import dev.gatehouse.engine.builtins.core.Def;
import dev.gatehouse.engine.builtins.graphql.validate.Schema;
import dev.gatehouse.engine.types.Type;
import dev.gatehouse.engine.types.Types;
import dev.gatehouse.engine.value.ArrayValue;
import dev.gatehouse.engine.value.BooleanValue;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.util.List;

/**
 * OPA's {@code graphql.*} builtins: GraphQL queries and schemas parsed, validated and returned
 * as AST objects exactly as OPA (which uses gqlparser) does. Schemas are cached per policy,
 * as OPA caches them across queries.
 */
public final class GraphQLBuiltins implements BuiltinProvider {
  private static final String CATEGORY = "graphql";
  private static final Type QUERY_OR_AST = Types.any(STRING, ANY_OBJECT);

  @Override
  public List<Builtin> builtins() {
    return List.of(
        Def.def("graphql.parse", "Returns AST objects for a given GraphQL query and schema after validating the query against the schema. Returns undefined if errors were encountered during parsing or validation. The query and/or schema can be either GraphQL strings or AST objects from the other GraphQL builtin functions.")
            .arg("query", "the GraphQL query", Types.any(Types.STRING, Types.objectOf(Types.ANY, Types.ANY)))
            .arg("schema", "the GraphQL schema", Types.any(Types.STRING, Types.objectOf(Types.ANY, Types.ANY)))
            .returns("output", "`output` is of the form `[query_ast, schema_ast]`. If the GraphQL query is valid given the provided schema, then `query_ast` and `schema_ast` are objects describing the ASTs for the query and schema.", Types.tuple(Types.objectOf(Types.ANY, Types.ANY), Types.objectOf(Types.ANY, Types.ANY)))
            .impl((c, a) -> guarded(() -> parse(c, a))),
        Def.def("graphql.parse_and_verify", "Returns a boolean indicating success or failure alongside the parsed ASTs for a given GraphQL query and schema after validating the query against the schema. The query and/or schema can be either GraphQL strings or AST objects from the other GraphQL builtin functions.")
            .arg("query", "the GraphQL query", Types.any(Types.STRING, Types.objectOf(Types.ANY, Types.ANY)))
            .arg("schema", "the GraphQL schema", Types.any(Types.STRING, Types.objectOf(Types.ANY, Types.ANY)))
            .returns("output", " `output` is of the form `[valid, query_ast, schema_ast]`. If the query is valid given the provided schema, then `valid` is `true`, and `query_ast` and `schema_ast` are objects describing the ASTs for the GraphQL query and schema. Otherwise, `valid` is `false` and `query_ast` and `schema_ast` are `{}`.", Types.tuple(Types.BOOLEAN, Types.objectOf(Types.ANY, Types.ANY), Types.objectOf(Types.ANY, Types.ANY)))
            .impl((c, a) -> guarded(() -> parseAndVerify(c, a))),
        Def.def("graphql.parse_query", "Returns an AST object for a GraphQL query.")
            .arg("query", "GraphQL query string", Types.STRING)
            .returns("output", "AST object for the GraphQL query.", Types.objectOf(Types.ANY, Types.ANY))
            .impl((c, a) -> guarded(() -> parseQuery(a))),
        Def.def("graphql.parse_schema", "Returns an AST object for a GraphQL schema.")
            .arg("schema", "GraphQL schema string", Types.STRING)
            .returns("output", "AST object for the GraphQL schema.", Types.objectOf(Types.ANY, Types.ANY))
            .impl((c, a) -> guarded(() -> parseSchema(c, a))),
        Def.def("graphql.is_valid", "Checks that a GraphQL query is valid against a given schema. The query and/or schema can be either GraphQL strings or AST objects from the other GraphQL builtin functions.")
            .arg("query", "the GraphQL query", Types.any(Types.STRING, Types.objectOf(Types.ANY, Types.ANY)))
            .arg("schema", "the GraphQL schema", Types.any(Types.STRING, Types.objectOf(Types.ANY, Types.ANY)))
            .returns("output", "`true` if the query is valid under the given schema. `false` otherwise.", Types.BOOLEAN)
            .impl((c, a) -> guarded(() -> isValid(c, a))),
        Def.def("graphql.schema_is_valid", "Checks that the input is a valid GraphQL schema. The schema can be either a GraphQL string or an AST object from the other GraphQL builtin functions.")
            .arg("schema", "the schema to verify", Types.any(Types.STRING, Types.objectOf(Types.ANY, Types.ANY)))
            .returns("output", "`true` if the schema is a valid GraphQL schema. `false` otherwise.", Types.BOOLEAN)
            .impl((c, a) -> guarded(() -> schemaIsValid(c, a))));
  }

  @FunctionalInterface
  private interface Body {
    Value run() throws Step;
  }

  /**
   * Runs a builtin so that nothing but a builtin error leaves it: a failure of our own code is
   * reported as an error of the call rather than escaping into the evaluator.
   */
  private static Value guarded(Body body) {
    try {
      return body.run();
    } catch (Step e) {
      throw BuiltinException.error(e.getMessage());
    } catch (BuiltinException e) {
      throw e;
    } catch (RuntimeException e) {
      throw BuiltinException.error("GraphQL internal error: " + e);
    }
  }

  /** A schema operand read and converted once per policy (strings and AST objects alike). */
  private record Prepared(ObjectValue ast, Schema schema, String error) {}

  private record CacheKey(Value schema) {}

  private static Prepared prepare(BuiltinContext ctx, Value operand) throws Step {
    CacheKey key = new CacheKey(operand);
    Object cached = ctx.sharedCache().get(key);
    if (cached instanceof Prepared p) {
      return p;
    }
    GraphQL.SchemaInput input = GraphQL.schema(operand);
    ObjectValue ast = GraphQL.ast(input.document());
    Prepared p;
    try {
      p = new Prepared(ast, GraphQL.convert(input), null);
    } catch (Step e) {
      p = new Prepared(ast, null, e.getMessage());
    }
    ctx.sharedCache().put(key, p);
    return p;
  }

  private static Schema schemaOf(Prepared p) throws Step {
    if (p.schema() == null) {
      throw Step.failed(p.error());
    }
    return p.schema();
  }

  private static Value parse(BuiltinContext ctx, Value[] a) throws Step {
    GraphQL.Query query;
    try {
      query = GraphQL.query(a[0]);
    } catch (Step e) {
      if (e.isOperandType()) {
        throw BuiltinException.operandType(0, a[0], "string", "object");
      }
      throw e;
    }
    Prepared schema;
    try {
      schema = prepare(ctx, a[1]);
    } catch (Step e) {
      if (e.isOperandType()) {
        throw BuiltinException.operandType(1, a[1], "string", "object");
      }
      throw e;
    }
    Schema s = schemaOf(schema);
    ObjectValue queryAst = GraphQL.ast(query.document());
    GraphQL.validate(s, query);
    return ArrayValue.of(queryAst, schema.ast());
  }

  private static final Value UNVERIFIED = ArrayValue.of(BooleanValue.FALSE, ObjectValue.EMPTY, ObjectValue.EMPTY);

  private static Value parseAndVerify(BuiltinContext ctx, Value[] a) {
    try {
      GraphQL.Query query = GraphQL.query(a[0]);
      ObjectValue queryAst = GraphQL.ast(query.document());
      Prepared schema = prepare(ctx, a[1]);
      GraphQL.validate(schemaOf(schema), query);
      return ArrayValue.of(BooleanValue.TRUE, queryAst, schema.ast());
    } catch (Step e) {
      return UNVERIFIED;
    }
  }

  private static Value parseQuery(Value[] a) throws Step {
    if (!(a[0] instanceof StringValue)) {
      throw BuiltinException.operandType(1, a[0], "string");
    }
    return GraphQL.ast(GraphQL.query(a[0]).document());
  }

  private record SchemaAstKey(String schema) {}

  private static Value parseSchema(BuiltinContext ctx, Value[] a) throws Step {
    if (!(a[0] instanceof StringValue s)) {
      throw BuiltinException.operandType(1, a[0], "string");
    }
    SchemaAstKey key = new SchemaAstKey(s.value());
    if (ctx.sharedCache().get(key) instanceof ObjectValue cached) {
      return cached;
    }
    ObjectValue ast = GraphQL.ast(GraphQL.parseSchema(s.value()));
    ctx.sharedCache().put(key, ast);
    return ast;
  }

  private static Value isValid(BuiltinContext ctx, Value[] a) {
    try {
      GraphQL.Query query = GraphQL.query(a[0]);
      GraphQL.validate(schemaOf(prepare(ctx, a[1])), query);
      return BooleanValue.TRUE;
    } catch (Step e) {
      return BooleanValue.FALSE;
    }
  }

  private static Value schemaIsValid(BuiltinContext ctx, Value[] a) {
    try {
      return BooleanValue.of(prepare(ctx, a[0]).schema() != null);
    } catch (Step e) {
      return BooleanValue.FALSE;
    }
  }

}
