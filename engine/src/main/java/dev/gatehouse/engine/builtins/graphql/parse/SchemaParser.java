package dev.gatehouse.engine.builtins.graphql.parse;

import dev.gatehouse.engine.builtins.graphql.ast.ArgumentDefinition;
import dev.gatehouse.engine.builtins.graphql.ast.CommentGroup;
import dev.gatehouse.engine.builtins.graphql.ast.Definition;
import dev.gatehouse.engine.builtins.graphql.ast.DefinitionKind;
import dev.gatehouse.engine.builtins.graphql.ast.Directive;
import dev.gatehouse.engine.builtins.graphql.ast.DirectiveDefinition;
import dev.gatehouse.engine.builtins.graphql.ast.EnumValueDefinition;
import dev.gatehouse.engine.builtins.graphql.ast.FieldDefinition;
import dev.gatehouse.engine.builtins.graphql.ast.OperationTypeDefinition;
import dev.gatehouse.engine.builtins.graphql.ast.Position;
import dev.gatehouse.engine.builtins.graphql.ast.SchemaDefinition;
import dev.gatehouse.engine.builtins.graphql.ast.SchemaDocument;
import dev.gatehouse.engine.builtins.graphql.ast.TypeRef;
import dev.gatehouse.engine.builtins.graphql.ast.ValueNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The type-system grammar: schema, type, directive definitions and extensions (SDL). */
public final class SchemaParser extends Parser {
  private static final Set<String> LOCATIONS = Set.of("QUERY", "MUTATION", "SUBSCRIPTION", "FIELD",
      "FRAGMENT_DEFINITION", "FRAGMENT_SPREAD", "INLINE_FRAGMENT", "VARIABLE_DEFINITION", "SCHEMA", "SCALAR",
      "OBJECT", "FIELD_DEFINITION", "ARGUMENT_DEFINITION", "INTERFACE", "UNION", "ENUM", "ENUM_VALUE",
      "INPUT_OBJECT", "INPUT_FIELD_DEFINITION");

  private final boolean builtIn;
  private final List<SchemaDefinition> schema = new ArrayList<>();
  private final List<SchemaDefinition> schemaExtensions = new ArrayList<>();
  private final List<DirectiveDefinition> directives = new ArrayList<>();
  private final List<Definition> definitions = new ArrayList<>();
  private final List<Definition> extensions = new ArrayList<>();

  private SchemaParser(String input, String source, boolean builtIn) {
    super(input, source);
    this.builtIn = builtIn;
  }

  /** Parses a schema written by the caller. */
  public static SchemaDocument parse(String input) throws SyntaxError {
    return new SchemaParser(input, "", false).document();
  }

  /** Parses a built-in schema: its type definitions are marked built in. */
  public static SchemaDocument parseBuiltIn(String input, String sourceName) throws SyntaxError {
    return new SchemaParser(input, sourceName, true).document();
  }

  private record Description(String text, CommentGroup comment) {
    static final Description NONE = new Description("", null);
  }

  private SchemaDocument document() throws SyntaxError {
    while (peek().kind() != TokenKind.EOF) {
      Description description = Description.NONE;
      if (peek().kind() == TokenKind.BLOCK_STRING || peek().kind() == TokenKind.STRING) {
        description = parseDescription();
      }
      if (peek().kind() != TokenKind.NAME) {
        throw unexpected();
      }
      switch (peek().value()) {
        case "scalar", "type", "interface", "union", "enum", "input" -> definitions.add(typeDefinition(description));
        case "schema" -> schema.add(schemaDefinition(description));
        case "directive" -> directives.add(directiveDefinition(description));
        case "extend" -> {
          if (!description.text().isEmpty()) {
            throw unexpected(prev());
          }
          extension();
        }
        default -> throw unexpected();
      }
    }
    return new SchemaDocument(schema, schemaExtensions, directives, definitions, extensions, comment);
  }

  private Description parseDescription() throws SyntaxError {
    TokenKind k = peek().kind();
    if (k != TokenKind.BLOCK_STRING && k != TokenKind.STRING) {
      return Description.NONE;
    }
    CommentGroup c = comment;
    return new Description(next().value(), c);
  }

  private Definition typeDefinition(Description d) throws SyntaxError {
    switch (peek().value()) {
      case "scalar": {
        expectKeyword("scalar");
        CommentGroup after = expectedComment;
        Position pos = peekPos();
        String name = parseName();
        return definition(DefinitionKind.SCALAR, d, name, parseDirectives(true), List.of(), List.of(), List.of(),
            List.of(), pos, List.of(), after, null);
      }
      case "type":
      case "interface": {
        String keyword = peek().value();
        expectKeyword(keyword);
        CommentGroup after = expectedComment;
        Position pos = peekPos();
        String name = parseName();
        List<String> interfaces = implementsInterfaces();
        List<Directive> dirs = parseDirectives(true);
        List<FieldDefinition> fields = new ArrayList<>();
        CommentGroup end = some(TokenKind.BRACE_L, TokenKind.BRACE_R, () -> fields.add(fieldDefinition()));
        String kind = keyword.equals("type") ? DefinitionKind.OBJECT : DefinitionKind.INTERFACE;
        return definition(kind, d, name, dirs, interfaces, fields, List.of(), List.of(), pos, List.of(), after, end);
      }
      case "union": {
        expectKeyword("union");
        CommentGroup after = expectedComment;
        Position pos = peekPos();
        String name = parseName();
        List<Directive> dirs = parseDirectives(true);
        List<String> types = new ArrayList<>();
        List<Position> typePositions = new ArrayList<>();
        unionMembers(types, typePositions);
        return definition(DefinitionKind.UNION, d, name, dirs, List.of(), List.of(), types, List.of(), pos,
            typePositions, after, null);
      }
      case "enum": {
        expectKeyword("enum");
        CommentGroup after = expectedComment;
        Position pos = peekPos();
        String name = parseName();
        List<Directive> dirs = parseDirectives(true);
        List<EnumValueDefinition> values = new ArrayList<>();
        CommentGroup end = some(TokenKind.BRACE_L, TokenKind.BRACE_R, () -> values.add(enumValueDefinition()));
        return definition(DefinitionKind.ENUM, d, name, dirs, List.of(), List.of(), List.of(), values, pos,
            List.of(), after, end);
      }
      case "input": {
        expectKeyword("input");
        CommentGroup after = expectedComment;
        Position pos = peekPos();
        String name = parseName();
        List<Directive> dirs = parseDirectives(true);
        List<FieldDefinition> fields = new ArrayList<>();
        CommentGroup end = some(TokenKind.BRACE_L, TokenKind.BRACE_R, () -> fields.add(inputValueDefinition()));
        return definition(DefinitionKind.INPUT_OBJECT, d, name, dirs, List.of(), fields, List.of(), List.of(), pos,
            List.of(), after, end);
      }
      default:
        throw unexpected();
    }
  }

  private Definition definition(String kind, Description d, String name, List<Directive> dirs, List<String> interfaces,
      List<FieldDefinition> fields, List<String> types, List<EnumValueDefinition> values, Position pos,
      List<Position> typePositions, CommentGroup after, CommentGroup end) {
    return new Definition(kind, d.text(), name, dirs, interfaces, fields, types, values, pos, typePositions, builtIn,
        d.comment(), after, end);
  }

  private SchemaDefinition schemaDefinition(Description d) throws SyntaxError {
    expectKeyword("schema");
    CommentGroup after = expectedComment;
    Position pos = peekPos();
    List<Directive> dirs = parseDirectives(true);
    List<OperationTypeDefinition> ops = new ArrayList<>();
    CommentGroup end = some(TokenKind.BRACE_L, TokenKind.BRACE_R, () -> ops.add(operationTypeDefinition()));
    return new SchemaDefinition(d.text(), dirs, ops, pos, d.comment(), after, end);
  }

  private OperationTypeDefinition operationTypeDefinition() throws SyntaxError {
    Position pos = peekPos();
    CommentGroup c = comment;
    String operation = parseOperationType();
    expect(TokenKind.COLON);
    return new OperationTypeDefinition(operation, parseName(), pos, c);
  }

  private List<String> implementsInterfaces() throws SyntaxError {
    List<String> types = new ArrayList<>();
    // gqlparser looks at the token's text only, whatever its kind
    if (peek().value().equals("implements")) {
      next();
      skip(TokenKind.AMP);
      types.add(parseName());
      while (skip(TokenKind.AMP)) {
        types.add(parseName());
      }
    }
    return types;
  }

  private void unionMembers(List<String> types, List<Position> positions) throws SyntaxError {
    if (skip(TokenKind.EQUALS)) {
      skip(TokenKind.PIPE);
      positions.add(peekPos());
      types.add(parseName());
      while (skip(TokenKind.PIPE)) {
        positions.add(peekPos());
        types.add(parseName());
      }
    }
  }

  private FieldDefinition fieldDefinition() throws SyntaxError {
    Description d = parseDescription();
    peek();
    CommentGroup after = comment;
    Position pos = peekPos();
    String name = parseName();
    List<ArgumentDefinition> args = argumentDefinitions();
    expect(TokenKind.COLON);
    TypeRef type = parseTypeReference();
    List<Directive> dirs = parseDirectives(true);
    return new FieldDefinition(d.text(), name, args, null, type, dirs, pos, before(d), after);
  }

  /** The comment before a description is kept only when the description is not empty. */
  private static CommentGroup before(Description d) {
    return d.text().isEmpty() ? null : d.comment();
  }

  private List<ArgumentDefinition> argumentDefinitions() throws SyntaxError {
    List<ArgumentDefinition> args = new ArrayList<>();
    some(TokenKind.PAREN_L, TokenKind.PAREN_R, () -> {
      Description d = parseDescription();
      peek();
      CommentGroup after = comment;
      Position pos = peekPos();
      String name = parseName();
      expect(TokenKind.COLON);
      TypeRef type = parseTypeReference();
      ValueNode defaultValue = skip(TokenKind.EQUALS) ? parseValueLiteral(true) : null;
      List<Directive> dirs = parseDirectives(true);
      args.add(new ArgumentDefinition(d.text(), name, defaultValue, type, dirs, pos, before(d), after));
    });
    return args;
  }

  private FieldDefinition inputValueDefinition() throws SyntaxError {
    Description d = parseDescription();
    peek();
    CommentGroup after = comment;
    Position pos = peekPos();
    String name = parseName();
    expect(TokenKind.COLON);
    TypeRef type = parseTypeReference();
    ValueNode defaultValue = skip(TokenKind.EQUALS) ? parseValueLiteral(true) : null;
    List<Directive> dirs = parseDirectives(true);
    return new FieldDefinition(d.text(), name, List.of(), defaultValue, type, dirs, pos, before(d), after);
  }

  private EnumValueDefinition enumValueDefinition() throws SyntaxError {
    Description d = parseDescription();
    peek();
    CommentGroup after = comment;
    Position pos = peekPos();
    String name = parseName();
    return new EnumValueDefinition(d.text(), name, parseDirectives(true), pos, before(d), after);
  }

  private void extension() throws SyntaxError {
    expectKeyword("extend");
    CommentGroup c = expectedComment;
    String what = peek().value();
    switch (what) {
      case "schema" -> {
        expectKeyword("schema");
        Position pos = peekPos();
        List<Directive> dirs = parseDirectives(true);
        List<OperationTypeDefinition> ops = new ArrayList<>();
        CommentGroup end = some(TokenKind.BRACE_L, TokenKind.BRACE_R, () -> ops.add(operationTypeDefinition()));
        if (dirs.isEmpty() && ops.isEmpty()) {
          throw unexpected();
        }
        schemaExtensions.add(new SchemaDefinition("", dirs, ops, pos, null, c, end));
      }
      case "scalar", "type", "interface", "union", "enum", "input" -> extensions.add(typeExtension(what, c));
      default -> throw unexpected();
    }
  }

  private Definition typeExtension(String keyword, CommentGroup c) throws SyntaxError {
    expectKeyword(keyword);
    Position pos = peekPos();
    String name = parseName();
    List<String> interfaces = keyword.equals("type") ? implementsInterfaces() : List.of();
    // input object extensions accept variables in their directives, as gqlparser's grammar does
    List<Directive> dirs = parseDirectives(!keyword.equals("input"));
    List<FieldDefinition> fields = new ArrayList<>();
    List<EnumValueDefinition> values = new ArrayList<>();
    List<String> types = new ArrayList<>();
    List<Position> typePositions = new ArrayList<>();
    CommentGroup end = null;
    String kind;
    boolean empty;
    switch (keyword) {
      case "scalar" -> {
        kind = DefinitionKind.SCALAR;
        empty = dirs.isEmpty();
      }
      case "type" -> {
        kind = DefinitionKind.OBJECT;
        end = some(TokenKind.BRACE_L, TokenKind.BRACE_R, () -> fields.add(fieldDefinition()));
        empty = interfaces.isEmpty() && dirs.isEmpty() && fields.isEmpty();
      }
      case "interface" -> {
        kind = DefinitionKind.INTERFACE;
        end = some(TokenKind.BRACE_L, TokenKind.BRACE_R, () -> fields.add(fieldDefinition()));
        empty = dirs.isEmpty() && fields.isEmpty();
      }
      case "union" -> {
        kind = DefinitionKind.UNION;
        unionMembers(types, typePositions);
        empty = dirs.isEmpty() && types.isEmpty();
      }
      case "enum" -> {
        kind = DefinitionKind.ENUM;
        end = some(TokenKind.BRACE_L, TokenKind.BRACE_R, () -> values.add(enumValueDefinition()));
        empty = dirs.isEmpty() && values.isEmpty();
      }
      default -> {
        kind = DefinitionKind.INPUT_OBJECT;
        end = some(TokenKind.BRACE_L, TokenKind.BRACE_R, () -> fields.add(inputValueDefinition()));
        empty = dirs.isEmpty() && fields.isEmpty();
      }
    }
    if (empty) {
      throw unexpected();
    }
    return new Definition(kind, "", name, dirs, interfaces, fields, types, values, pos, typePositions, builtIn, null, c, end);
  }

  private DirectiveDefinition directiveDefinition(Description d) throws SyntaxError {
    expectKeyword("directive");
    CommentGroup after = expectedComment;
    expect(TokenKind.AT);
    Position pos = peekPos();
    String name = parseName();
    List<ArgumentDefinition> args = argumentDefinitions();
    boolean repeatable = false;
    if (peek().kind() == TokenKind.NAME && peek().value().equals("repeatable")) {
      repeatable = true;
      skip(TokenKind.NAME);
    }
    expectKeyword("on");
    skip(TokenKind.PIPE);
    List<String> locations = new ArrayList<>();
    locations.add(directiveLocation());
    while (skip(TokenKind.PIPE)) {
      locations.add(directiveLocation());
    }
    return new DirectiveDefinition(d.text(), name, args, locations, repeatable, pos, d.comment(), after);
  }

  private String directiveLocation() throws SyntaxError {
    Token name = expect(TokenKind.NAME);
    if (LOCATIONS.contains(name.value())) {
      return name.value();
    }
    throw unexpected(name);
  }
}
