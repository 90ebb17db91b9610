package dev.gatehouse.engine.builtins.graphql;

import dev.gatehouse.engine.builtins.graphql.ast.QueryDocument;
import dev.gatehouse.engine.builtins.graphql.ast.SchemaDocument;
import dev.gatehouse.engine.builtins.graphql.json.AstDecodeException;
import dev.gatehouse.engine.builtins.graphql.json.AstDecoder;
import dev.gatehouse.engine.builtins.graphql.json.AstValues;
import dev.gatehouse.engine.builtins.graphql.parse.QueryParser;
import dev.gatehouse.engine.builtins.graphql.parse.SchemaParser;
import dev.gatehouse.engine.builtins.graphql.parse.SyntaxError;
import dev.gatehouse.engine.builtins.graphql.validate.InvalidSchemaException;
import dev.gatehouse.engine.builtins.graphql.validate.QueryValidator;
import dev.gatehouse.engine.builtins.graphql.validate.Schema;
import dev.gatehouse.engine.builtins.graphql.validate.SchemaBuilder;
import dev.gatehouse.engine.builtins.graphql.validate.ValidationLimitExceeded;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The steps OPA's GraphQL builtins are made of, each failing with OPA's message: reading a query
 * or schema (GraphQL text or an AST object), turning a schema document into a schema, and
 * validating a query against it.
 */
final class GraphQL {
  private static final String PRELUDE_NAME = "prelude.graphql";
  private static volatile SchemaDocument prelude;

  private GraphQL() {}

  /** A query operand, parsed from GraphQL text or decoded from an AST object. */
  record Query(QueryDocument document, boolean decoded) {}

  record SchemaInput(SchemaDocument document, boolean decoded) {}

  static Query query(Value operand) throws Step {
    if (operand instanceof StringValue s) {
      try {
        return new Query(QueryParser.parse(s.value()), false);
      } catch (SyntaxError e) {
        throw Step.failed(OpaErrorText.format(e.error().goText()));
      }
    }
    if (operand instanceof ObjectValue o) {
      try {
        return new Query(AstDecoder.query(o), true);
      } catch (AstDecodeException e) {
        throw Step.failed(e.getMessage());
      }
    }
    throw Step.wrongType();
  }

  static SchemaInput schema(Value operand) throws Step {
    if (operand instanceof StringValue s) {
      return new SchemaInput(parseSchema(s.value()), false);
    }
    if (operand instanceof ObjectValue o) {
      try {
        return new SchemaInput(AstDecoder.schema(o), true);
      } catch (AstDecodeException e) {
        throw Step.failed(e.getMessage());
      }
    }
    throw Step.wrongType();
  }

  static SchemaDocument parseSchema(String text) throws Step {
    try {
      return SchemaParser.parse(text);
    } catch (SyntaxError e) {
      throw Step.failed(OpaErrorText.format(e.error().goText()));
    }
  }

  static ObjectValue ast(QueryDocument d) {
    return AstValues.query(d);
  }

  static ObjectValue ast(SchemaDocument d) {
    return AstValues.schema(d);
  }

  /** The schema a document describes, built-in types and directives included. */
  static Schema convert(SchemaInput input) throws Step {
    try {
      return SchemaBuilder.build(prelude().merge(input.document()));
    } catch (InvalidSchemaException e) {
      throw Step.failed("Error in gqlparser SchemaDocument to Schema conversion: " + e.error().goText());
    } catch (MalformedAstException e) {
      throw Step.failed(invalidAst(e.getMessage()));
    } catch (NullPointerException e) {
      throw missingPart(input.decoded(), e);
    }
  }

  static void validate(Schema schema, Query query) throws Step {
    List<GraphQLError> errors;
    try {
      errors = QueryValidator.validate(schema, query.document());
    } catch (MalformedAstException e) {
      throw Step.failed(invalidAst(e.getMessage()));
    } catch (ValidationLimitExceeded e) {
      throw Step.failed(OpaErrorText.format(GraphQLError.of(e.getMessage()).goText()));
    } catch (NullPointerException e) {
      throw missingPart(query.decoded(), e);
    }
    if (!errors.isEmpty()) {
      throw Step.failed(OpaErrorText.format(GraphQLError.listText(errors)));
    }
  }

  /**
   * A decoded AST object lacks a part validation needs (a null element, type or value), met
   * where gqlparser would dereference the nil and OPA would crash. From parsed text this cannot
   * happen, so there it is a bug and left to surface as one.
   */
  private static Step missingPart(boolean decoded, NullPointerException e) {
    if (!decoded) {
      throw e;
    }
    return Step.failed(invalidAst("a required part is null or missing"));
  }

  private static String invalidAst(String detail) {
    return "invalid GraphQL AST object: " + detail;
  }

  /** gqlparser's built-in schema: the spec's scalars, directives and introspection types. */
  static SchemaDocument prelude() {
    SchemaDocument p = prelude;
    if (p == null) {
      try (InputStream in = GraphQL.class.getResourceAsStream(PRELUDE_NAME)) {
        if (in == null) {
          throw new IllegalStateException("missing resource " + PRELUDE_NAME);
        }
        p = SchemaParser.parseBuiltIn(new String(in.readAllBytes(), StandardCharsets.UTF_8), PRELUDE_NAME);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (SyntaxError e) {
        throw new IllegalStateException("built-in GraphQL schema does not parse: " + e.getMessage(), e);
      }
      prelude = p;
    }
    return p;
  }
}
