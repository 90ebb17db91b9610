package dev.gatehouse.engine.parse;

/**
 * One token. {@code text} is the source text (for strings: the decoded value; for templates: the
 * raw content between the delimiters). {@code newlineBefore} tells the parser whether a line break
 * separates this token from the previous one, which is how Rego separates body expressions.
 */
record Token(TokenType type, String text, int offset, int end, int row, int col, boolean newlineBefore) {
  boolean is(TokenType t) {
    return type == t;
  }

  boolean isIdent(String word) {
    return type == TokenType.IDENT && text.equals(word);
  }
}
