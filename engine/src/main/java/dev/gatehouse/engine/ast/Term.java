package dev.gatehouse.engine.ast;

/**
 * A Rego term as written in source. Ground scalars are {@link Scalar}; composites may contain
 * variables and references. Equality and hash codes ignore locations, so terms can be compared
 * and used as keys by the compiler.
 */
public sealed interface Term
    permits Scalar, Var, Ref, ArrayTerm, ObjectTerm, SetTerm, ArrayCompr, SetCompr, ObjectCompr, Call,
        TemplateString {

  Location location();

  /** True when the term contains no variables, references, calls or comprehensions. */
  boolean isGround();

  /** Rego source form (not OPA-formatted; for messages and debugging). */
  @Override
  String toString();
}
