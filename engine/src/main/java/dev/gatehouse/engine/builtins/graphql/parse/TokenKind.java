package dev.gatehouse.engine.builtins.graphql.parse;

/** Lexical token kinds, each with the spelling gqlparser uses for it in messages. */
public enum TokenKind {
  INVALID("<Invalid>"), EOF("<EOF>"), BANG("!"), DOLLAR("$"), AMP("&"), PAREN_L("("), PAREN_R(")"), SPREAD("..."),
  COLON(":"), EQUALS("="), AT("@"), BRACKET_L("["), BRACKET_R("]"), BRACE_L("{"), BRACE_R("}"), PIPE("|"),
  NAME("Name"), INT("Int"), FLOAT("Float"), STRING("String"), BLOCK_STRING("BlockString"), COMMENT("Comment");

  private final String display;

  TokenKind(String display) {
    this.display = display;
  }

  @Override
  public String toString() {
    return display;
  }
}
