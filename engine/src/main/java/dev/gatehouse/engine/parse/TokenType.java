package dev.gatehouse.engine.parse;

/** Lexical token kinds of Rego. Keywords are identifiers; the parser decides by context. */
enum TokenType {
  EOF("eof"),
  IDENT("identifier"),
  NUMBER("number"),
  STRING("string"),
  RAW_STRING("string"),
  TEMPLATE("template string"),
  LBRACE("{"),
  RBRACE("}"),
  LBRACK("["),
  RBRACK("]"),
  LPAREN("("),
  RPAREN(")"),
  DOT("."),
  COMMA(","),
  SEMICOLON(";"),
  COLON(":"),
  ASSIGN(":="),
  UNIFY("="),
  EQUAL("=="),
  NOT_EQUAL("!="),
  LT("<"),
  LTE("<="),
  GT(">"),
  GTE(">="),
  PLUS("+"),
  MINUS("-"),
  STAR("*"),
  SLASH("/"),
  PERCENT("%"),
  AMP("&"),
  BAR("|"),
  ILLEGAL("illegal");

  final String display;

  TokenType(String display) {
    this.display = display;
  }
}
