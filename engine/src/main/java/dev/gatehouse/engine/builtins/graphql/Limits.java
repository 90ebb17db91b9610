package dev.gatehouse.engine.builtins.graphql;

/**
 * Bounds that keep pathological documents from exhausting the stack. gqlparser has none (Go
 * stacks grow); ours are far above what real queries and schemas nest, and exceeding one is a
 * clear error rather than a crash.
 */
public final class Limits {
  /** Nesting of selection sets, list/object values and list types in one document. */
  public static final int MAX_NESTING = 256;

  /** Depth of the validator's recursion through nested selections and fragment spreads. */
  public static final int MAX_VALIDATION_DEPTH = 500;

  private Limits() {}

  public static String nestingMessage() {
    return "Exceeded maximum nesting depth of " + MAX_NESTING;
  }
}
