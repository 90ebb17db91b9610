package dev.gatehouse.engine.builtins.graphql.ast;

import dev.gatehouse.engine.builtins.graphql.MalformedAstException;

/** A type reference: a named type ({@code Int}) or a list of {@code elem}, either possibly non-null. */
public record TypeRef(String namedType, TypeRef elem, boolean nonNull, Position position) {

  public static TypeRef named(String name, boolean nonNull) {
    return new TypeRef(name, null, nonNull, null);
  }

  /** The innermost named type. */
  public String name() {
    TypeRef t = this;
    while (t.namedType.isEmpty()) {
      if (t.elem == null) {
        throw new MalformedAstException("type reference without a named type");
      }
      t = t.elem;
    }
    return t.namedType;
  }

  /** A type reference a validator can use: some level names a type. */
  public boolean isWellFormed() {
    TypeRef t = this;
    while (t.namedType.isEmpty()) {
      if (t.elem == null) {
        return false;
      }
      t = t.elem;
    }
    return true;
  }

  /** GraphQL notation: {@code [String!]!}. */
  @Override
  public String toString() {
    String bang = nonNull ? "!" : "";
    if (namedType.isEmpty() && elem == null) {
      throw new MalformedAstException("type reference without a named type");
    }
    return namedType.isEmpty() ? "[" + elem + "]" + bang : namedType + bang;
  }

  /** Whether a value of this type may be used where {@code other} is expected (same shape, nullability allowing). */
  public boolean isCompatible(TypeRef other) {
    if (!namedType.equals(other.namedType)) {
      return false;
    }
    if (elem != null && other.elem == null) {
      return false;
    }
    if (elem != null && !elem.isCompatible(other.elem)) {
      return false;
    }
    return !other.nonNull || nonNull;
  }

  public TypeRef withNonNull(boolean nn) {
    return new TypeRef(namedType, elem, nn, position);
  }
}
