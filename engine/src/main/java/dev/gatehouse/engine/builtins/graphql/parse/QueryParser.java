package dev.gatehouse.engine.builtins.graphql.parse;

import dev.gatehouse.engine.builtins.graphql.ast.CommentGroup;
import dev.gatehouse.engine.builtins.graphql.ast.Directive;
import dev.gatehouse.engine.builtins.graphql.ast.FragmentDefinition;
import dev.gatehouse.engine.builtins.graphql.ast.OperationDefinition;
import dev.gatehouse.engine.builtins.graphql.ast.Position;
import dev.gatehouse.engine.builtins.graphql.ast.QueryDocument;
import dev.gatehouse.engine.builtins.graphql.ast.Selection;
import dev.gatehouse.engine.builtins.graphql.ast.VariableDefinition;
import java.util.ArrayList;
import java.util.List;

/** The executable-document grammar: operations and fragments. */
public final class QueryParser extends Parser {

  private QueryParser(String input) {
    super(input, "");
  }

  /** Parses an executable document written by the caller. */
  public static QueryDocument parse(String input) throws SyntaxError {
    return new QueryParser(input).document();
  }

  private QueryDocument document() throws SyntaxError {
    List<OperationDefinition> operations = new ArrayList<>();
    List<FragmentDefinition> fragments = new ArrayList<>();
    while (peek().kind() != TokenKind.EOF) {
      Token t = peek();
      if (t.kind() == TokenKind.BRACE_L) {
        operations.add(operation());
      } else if (t.kind() == TokenKind.NAME) {
        switch (t.value()) {
          case "query", "mutation", "subscription" -> operations.add(operation());
          case "fragment" -> fragments.add(parseFragmentDefinition());
          default -> throw unexpected();
        }
      } else {
        throw unexpected();
      }
    }
    return new QueryDocument(operations, fragments, null);
  }

  private OperationDefinition operation() throws SyntaxError {
    Position pos = peekPos();
    if (peek().kind() == TokenKind.BRACE_L) {
      // gqlparser reads the comment field only after the selection set is parsed (Go evaluates a
      // composite literal's calls before its plain field reads), when it has been cleared
      return new OperationDefinition("query", "", List.of(), List.of(), parseRequiredSelectionSet(), pos, null);
    }
    CommentGroup c = comment;
    String operation = parseOperationType();
    String name = peek().kind() == TokenKind.NAME ? next().value() : "";
    List<VariableDefinition> variables = parseVariableDefinitions();
    List<Directive> directives = parseDirectives(false);
    List<Selection> selectionSet = parseRequiredSelectionSet();
    return new OperationDefinition(operation, name, variables, directives, selectionSet, pos, c);
  }
}
