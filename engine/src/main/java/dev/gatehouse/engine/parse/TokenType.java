package dev.gatehouse.engine.parse;

/** Lexical token kinds of Rego, displayed in errors as opa names them. Keywords are identifiers; the parser decides by context. */
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
  ASSIGN("assign"),
  UNIFY("eq"),
  EQUAL("equal"),
  NOT_EQUAL("neq"),
  LT("lt"),
  LTE("lte"),
  GT("gt"),
  GTE("gte"),
  PLUS("plus"),
  MINUS("minus"),
  STAR("mul"),
  SLASH("div"),
  PERCENT("rem"),
  AMP("and"),
  BAR("or"),
  ILLEGAL("illegal");

  final String display;

  TokenType(String display) {
    this.display = display;
  }
}
