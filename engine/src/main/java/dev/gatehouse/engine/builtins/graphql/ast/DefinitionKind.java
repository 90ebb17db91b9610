package dev.gatehouse.engine.builtins.graphql.ast;

/** The kinds of type definitions, as their {@code Kind} strings appear in AST objects. */
public final class DefinitionKind {
  public static final String SCALAR = "SCALAR";
  public static final String OBJECT = "OBJECT";
  public static final String INTERFACE = "INTERFACE";
  public static final String UNION = "UNION";
  public static final String ENUM = "ENUM";
  public static final String INPUT_OBJECT = "INPUT_OBJECT";

  private DefinitionKind() {}
}
