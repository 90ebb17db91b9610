package dev.gatehouse.engine.builtins.graphql;


import static dev.gatehouse.engine.types.Types.ANY_OBJECT;
import static dev.gatehouse.engine.types.Types.BOOLEAN;
import static dev.gatehouse.engine.types.Types.STRING;
import static dev.gatehouse.engine.types.Types.func;
import static dev.gatehouse.engine.types.Types.named;
import static dev.gatehouse.engine.types.Types.tuple;

import dev.gatehouse.engine.builtins.Builtin;
import dev.gatehouse.engine.builtins.BuiltinContext;
import dev.gatehouse.engine.builtins.BuiltinException;
import dev.gatehouse.engine.builtins.BuiltinProvider;
import dev.gatehouse.engine.builtins.core.Fn;
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
        Fn.of(CATEGORY, "graphql.parse", func(List.of(named("query", QUERY_OR_AST), named("schema", QUERY_OR_AST)),
            named("output", tuple(ANY_OBJECT, ANY_OBJECT))), (c, a) -> guarded(() -> parse(c, a))),
        Fn.of(CATEGORY, "graphql.parse_and_verify", func(List.of(named("query", QUERY_OR_AST),
            named("schema", QUERY_OR_AST)), named("output", tuple(BOOLEAN, ANY_OBJECT, ANY_OBJECT))),
            (c, a) -> guarded(() -> parseAndVerify(c, a))),
        Fn.of(CATEGORY, "graphql.parse_query", func(List.of(named("query", STRING)), named("output", ANY_OBJECT)),
            (c, a) -> guarded(() -> parseQuery(a))),
        Fn.of(CATEGORY, "graphql.parse_schema", func(List.of(named("schema", STRING)), named("output", ANY_OBJECT)),
            (c, a) -> guarded(() -> parseSchema(c, a))),
        Fn.of(CATEGORY, "graphql.is_valid", func(List.of(named("query", QUERY_OR_AST), named("schema", QUERY_OR_AST)),
            named("output", BOOLEAN)), (c, a) -> guarded(() -> isValid(c, a))),
        Fn.of(CATEGORY, "graphql.schema_is_valid", func(List.of(named("schema", QUERY_OR_AST)), named("output", BOOLEAN)),
            (c, a) -> guarded(() -> schemaIsValid(c, a))));
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
