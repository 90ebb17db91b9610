package dev.gatehouse.engine.builtins.graphql.parse;

import dev.gatehouse.engine.builtins.graphql.GraphQLError;
import dev.gatehouse.engine.builtins.graphql.Limits;
import dev.gatehouse.engine.builtins.graphql.ast.Argument;
import dev.gatehouse.engine.builtins.graphql.ast.ChildValue;
import dev.gatehouse.engine.builtins.graphql.ast.Comment;
import dev.gatehouse.engine.builtins.graphql.ast.CommentGroup;
import dev.gatehouse.engine.builtins.graphql.ast.Directive;
import dev.gatehouse.engine.builtins.graphql.ast.Field;
import dev.gatehouse.engine.builtins.graphql.ast.FragmentDefinition;
import dev.gatehouse.engine.builtins.graphql.ast.FragmentSpread;
import dev.gatehouse.engine.builtins.graphql.ast.InlineFragment;
import dev.gatehouse.engine.builtins.graphql.ast.OperationDefinition;
import dev.gatehouse.engine.builtins.graphql.ast.Position;
import dev.gatehouse.engine.builtins.graphql.ast.Selection;
import dev.gatehouse.engine.builtins.graphql.ast.TypeRef;
import dev.gatehouse.engine.builtins.graphql.ast.ValueKind;
import dev.gatehouse.engine.builtins.graphql.ast.ValueNode;
import dev.gatehouse.engine.builtins.graphql.ast.VariableDefinition;
import java.util.ArrayList;
import java.util.List;

/**
 * The token-level machinery shared by the query and schema grammars: one token of lookahead,
 * comments gathered into the group that precedes the next token, and the first error ending the
 * parse (gqlparser keeps only its first error, so stopping there changes nothing).
 *
 * <p>The comment rules matter for the AST: the group before a token is visible while that token
 * is peeked and cleared once it is consumed.
 */
class Parser {
  private final Lexer lexer;
  private final String source;
  private boolean peeked;
  private Token peekToken;
  private GraphQLError peekError;
  private Token prev;
  private boolean commentConsuming;
  private int depth;
  /** The comment group before the peeked token, or null. */
  protected CommentGroup comment;
  /** The comment group that preceded the token the last expect/expectKeyword call looked at. */
  protected CommentGroup expectedComment;

  Parser(String input, String source) {
    this.lexer = new Lexer(input, source);
    this.source = source;
    this.prev = new Token(TokenKind.INVALID, "", new Position(0, 0, 0, 0, source));
  }

  // ---- token machinery

  protected final Token peek() {
    if (!peeked) {
      peekToken = lexer.readToken();
      peekError = lexer.error();
      peeked = true;
      if (peekToken.kind() == TokenKind.COMMENT) {
        consumeCommentGroup();
      }
    }
    return peekToken;
  }

  protected final Position peekPos() {
    return peek().position();
  }

  protected final Token next() throws SyntaxError {
    if (peeked) {
      peeked = false;
      comment = null;
      prev = peekToken;
      if (peekError != null) {
        throw new SyntaxError(peekError);
      }
    } else {
      prev = lexer.readToken();
      if (lexer.error() != null) {
        throw new SyntaxError(lexer.error());
      }
      if (prev.kind() == TokenKind.COMMENT) {
        consumeCommentGroup();
      }
    }
    return prev;
  }

  protected final Token prev() {
    return prev;
  }

  private void consumeCommentGroup() {
    if (commentConsuming) {
      return;
    }
    commentConsuming = true;
    List<Comment> comments = new ArrayList<>();
    while (peek().kind() == TokenKind.COMMENT) {
      Token tok = peekToken;
      try {
        next();
      } catch (SyntaxError e) {
        throw new IllegalStateException("comment tokens carry no error", e);
      }
      comments.add(new Comment(tok.value(), tok.position()));
    }
    comment = new CommentGroup(comments);
    commentConsuming = false;
  }

  protected final SyntaxError error(Token tok, String message) {
    Position p = tok.position();
    return new SyntaxError(GraphQLError.at(p.sourceName(), p.line(), p.column(), message));
  }

  protected final Token expectKeyword(String value) throws SyntaxError {
    Token tok = peek();
    expectedComment = comment;
    if (tok.kind() == TokenKind.NAME && tok.value().equals(value)) {
      return next();
    }
    throw error(tok, "Expected " + dev.gatehouse.engine.builtins.graphql.ast.GoQuote.quote(value) + ", found " + tok);
  }

  protected final Token expect(TokenKind kind) throws SyntaxError {
    Token tok = peek();
    expectedComment = comment;
    if (tok.kind() == kind) {
      return next();
    }
    throw error(tok, "Expected " + kind + ", found " + tok.kind());
  }

  protected final boolean skip(TokenKind kind) throws SyntaxError {
    if (peek().kind() != kind) {
      return false;
    }
    next();
    return true;
  }

  protected final SyntaxError unexpected() {
    return unexpected(peek());
  }

  protected final SyntaxError unexpected(Token tok) {
    return error(tok, "Unexpected " + tok);
  }

  @FunctionalInterface
  protected interface Step {
    void run() throws SyntaxError;
  }

  /** {@code start item* end}, or nothing at all when {@code start} is absent. */
  protected final void many(TokenKind start, TokenKind end, Step item) throws SyntaxError {
    if (!skip(start)) {
      return;
    }
    while (peek().kind() != end) {
      item.run();
    }
    next();
  }

  /**
   * {@code start item+ end}, or nothing when {@code start} is absent. Returns the comment group
   * before {@code end}.
   */
  protected final CommentGroup some(TokenKind start, TokenKind end, Step item) throws SyntaxError {
    if (!skip(start)) {
      return null;
    }
    boolean called = false;
    while (peek().kind() != end) {
      called = true;
      item.run();
    }
    if (!called) {
      throw error(peek(), "expected at least one definition, found " + peek().kind());
    }
    CommentGroup c = comment;
    next();
    return c;
  }

  protected final void enterNested() throws SyntaxError {
    if (++depth > Limits.MAX_NESTING) {
      throw error(peek(), Limits.nestingMessage());
    }
  }

  protected final void exitNested() {
    depth--;
  }

  // ---- grammar shared by both documents

  protected final String parseName() throws SyntaxError {
    return expect(TokenKind.NAME).value();
  }

  protected final String parseOperationType() throws SyntaxError {
    Token tok = next();
    return switch (tok.value()) {
      case "query", "mutation", "subscription" -> tok.value();
      default -> throw unexpected(tok);
    };
  }

  protected final String parseVariable() throws SyntaxError {
    expect(TokenKind.DOLLAR);
    return parseName();
  }

  protected final List<VariableDefinition> parseVariableDefinitions() throws SyntaxError {
    List<VariableDefinition> defs = new ArrayList<>();
    some(TokenKind.PAREN_L, TokenKind.PAREN_R, () -> defs.add(parseVariableDefinition()));
    return defs;
  }

  private VariableDefinition parseVariableDefinition() throws SyntaxError {
    Position pos = peekPos();
    CommentGroup c = comment;
    String variable = parseVariable();
    expect(TokenKind.COLON);
    TypeRef type = parseTypeReference();
    ValueNode defaultValue = skip(TokenKind.EQUALS) ? parseValueLiteral(true) : null;
    List<Directive> directives = parseDirectives(false);
    return new VariableDefinition(variable, type, defaultValue, directives, pos, c, null, false);
  }

  protected final List<Selection> parseOptionalSelectionSet() throws SyntaxError {
    enterNested();
    List<Selection> selections = new ArrayList<>();
    some(TokenKind.BRACE_L, TokenKind.BRACE_R, () -> selections.add(parseSelection()));
    exitNested();
    return selections;
  }

  protected final List<Selection> parseRequiredSelectionSet() throws SyntaxError {
    if (peek().kind() != TokenKind.BRACE_L) {
      throw error(peek(), "Expected " + TokenKind.BRACE_L + ", found " + peek().kind());
    }
    return parseOptionalSelectionSet();
  }

  private Selection parseSelection() throws SyntaxError {
    return peek().kind() == TokenKind.SPREAD ? parseFragment() : parseField();
  }

  private Field parseField() throws SyntaxError {
    Position pos = peekPos();
    CommentGroup c = comment;
    String alias = parseName();
    String name = skip(TokenKind.COLON) ? parseName() : alias;
    List<Argument> arguments = parseArguments(false);
    List<Directive> directives = parseDirectives(false);
    List<Selection> selectionSet = peek().kind() == TokenKind.BRACE_L ? parseOptionalSelectionSet() : List.of();
    return new Field(alias, name, arguments, directives, selectionSet, pos, c, null, null);
  }

  protected final List<Argument> parseArguments(boolean isConst) throws SyntaxError {
    List<Argument> arguments = new ArrayList<>();
    some(TokenKind.PAREN_L, TokenKind.PAREN_R, () -> {
      Position pos = peekPos();
      CommentGroup c = comment;
      String name = parseName();
      expect(TokenKind.COLON);
      arguments.add(new Argument(name, parseValueLiteral(isConst), pos, c));
    });
    return arguments;
  }

  private Selection parseFragment() throws SyntaxError {
    expect(TokenKind.SPREAD);
    CommentGroup c = expectedComment;
    Token peek = peek();
    if (peek.kind() == TokenKind.NAME && !peek.value().equals("on")) {
      Position pos = peekPos();
      String name = parseFragmentName();
      return new FragmentSpread(name, parseDirectives(false), null, null, pos, c);
    }
    Position pos = peekPos();
    String typeCondition = "";
    // gqlparser looks at the token's text only, whatever its kind
    if (peek().value().equals("on")) {
      next();
      typeCondition = parseName();
    }
    List<Directive> directives = parseDirectives(false);
    List<Selection> selectionSet = parseRequiredSelectionSet();
    return new InlineFragment(typeCondition, directives, selectionSet, null, pos, c);
  }

  protected final FragmentDefinition parseFragmentDefinition() throws SyntaxError {
    Position pos = peekPos();
    CommentGroup c = comment;
    expectKeyword("fragment");
    String name = parseFragmentName();
    List<VariableDefinition> variables = parseVariableDefinitions();
    expectKeyword("on");
    String typeCondition = parseName();
    List<Directive> directives = parseDirectives(false);
    List<Selection> selectionSet = parseRequiredSelectionSet();
    return new FragmentDefinition(name, variables, typeCondition, directives, selectionSet, null, pos, c);
  }

  private String parseFragmentName() throws SyntaxError {
    if (peek().value().equals("on")) {
      throw unexpected();
    }
    return parseName();
  }

  protected final ValueNode parseValueLiteral(boolean isConst) throws SyntaxError {
    Token token = peek();
    ValueKind kind;
    switch (token.kind()) {
      case BRACKET_L:
        return parseList(isConst);
      case BRACE_L:
        return parseObject(isConst);
      case DOLLAR:
        if (isConst) {
          throw unexpected();
        }
        // as for literals, the comment is read once the variable is consumed: always none
        return ValueNode.of(ValueKind.VARIABLE, parseVariable(), List.of(), token.position(), null);
      case INT:
        kind = ValueKind.INT;
        break;
      case FLOAT:
        kind = ValueKind.FLOAT;
        break;
      case STRING:
        kind = ValueKind.STRING;
        break;
      case BLOCK_STRING:
        kind = ValueKind.BLOCK;
        break;
      case NAME:
        kind = switch (token.value()) {
          case "true", "false" -> ValueKind.BOOLEAN;
          case "null" -> ValueKind.NULL;
          default -> ValueKind.ENUM;
        };
        break;
      default:
        throw unexpected();
    }
    next();
    // the comment is read after the token is consumed, so literals never carry one
    return ValueNode.of(kind, token.value(), List.of(), token.position(), null);
  }

  private ValueNode parseList(boolean isConst) throws SyntaxError {
    enterNested();
    List<ChildValue> values = new ArrayList<>();
    Position pos = peekPos();
    CommentGroup c = comment;
    many(TokenKind.BRACKET_L, TokenKind.BRACKET_R, () -> values.add(new ChildValue("", parseValueLiteral(isConst), null, null)));
    exitNested();
    return ValueNode.of(ValueKind.LIST, "", values, pos, c);
  }

  private ValueNode parseObject(boolean isConst) throws SyntaxError {
    enterNested();
    List<ChildValue> fields = new ArrayList<>();
    Position pos = peekPos();
    CommentGroup c = comment;
    many(TokenKind.BRACE_L, TokenKind.BRACE_R, () -> {
      Position fieldPos = peekPos();
      CommentGroup fieldComment = comment;
      String name = parseName();
      expect(TokenKind.COLON);
      fields.add(new ChildValue(name, parseValueLiteral(isConst), fieldPos, fieldComment));
    });
    exitNested();
    return ValueNode.of(ValueKind.OBJECT, "", fields, pos, c);
  }

  protected final List<Directive> parseDirectives(boolean isConst) throws SyntaxError {
    List<Directive> directives = new ArrayList<>();
    while (peek().kind() == TokenKind.AT) {
      expect(TokenKind.AT);
      Position pos = peekPos();
      String name = parseName();
      directives.add(Directive.of(name, parseArguments(isConst), pos));
    }
    return directives;
  }

  protected final TypeRef parseTypeReference() throws SyntaxError {
    Position pos;
    String named = "";
    TypeRef elem = null;
    if (skip(TokenKind.BRACKET_L)) {
      enterNested();
      pos = peekPos();
      elem = parseTypeReference();
      expect(TokenKind.BRACKET_R);
      exitNested();
    } else {
      pos = peekPos();
      named = parseName();
    }
    boolean nonNull = skip(TokenKind.BANG);
    return new TypeRef(named, elem, nonNull, pos);
  }

  protected final String source() {
    return source;
  }
}
