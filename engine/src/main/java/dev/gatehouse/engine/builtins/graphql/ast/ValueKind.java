package dev.gatehouse.engine.builtins.graphql.ast;

/** The kinds of input values; the ordinal is the {@code Kind} number in AST objects. */
public enum ValueKind {
  VARIABLE, INT, FLOAT, STRING, BLOCK, BOOLEAN, NULL, ENUM, LIST, OBJECT;

  private static final ValueKind[] ALL = values();

  /** The kind with this number, or null when there is none. */
  public static ValueKind of(long n) {
    return n >= 0 && n < ALL.length ? ALL[(int) n] : null;
  }
}
