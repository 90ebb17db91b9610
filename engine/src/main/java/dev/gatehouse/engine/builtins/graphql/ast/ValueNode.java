package dev.gatehouse.engine.builtins.graphql.ast;

import dev.gatehouse.engine.builtins.graphql.MalformedAstException;
import java.util.ArrayList;
import java.util.List;

/**
 * An input value: a literal ({@code raw} holds its text, strings unescaped), a variable
 * ({@code raw} is the name without {@code $}), or a list/object of {@code children}.
 *
 * <p>{@code kindNumber} is the kind as written in an AST object: parsed values always have a valid
 * one, decoded ones may not (then {@link #kind()} is null). The last four components are
 * validator annotations; they are only non-default when decoded from an AST object.
 */
public record ValueNode(String raw, List<ChildValue> children, long kindNumber, Position position, CommentGroup comment,
    Definition definition, VariableDefinition variableDefinition, TypeRef expectedType, boolean expectedTypeHasDefault) {

  public ValueNode {
    children = Lists.copy(children);
  }

  public static ValueNode of(ValueKind kind, String raw, List<ChildValue> children, Position position, CommentGroup comment) {
    return new ValueNode(raw, children, kind.ordinal(), position, comment, null, null, null, false);
  }

  public ValueKind kind() {
    return ValueKind.of(kindNumber);
  }

  /** GraphQL-like rendering used in validation messages: {@code $v}, {@code "s"}, {@code [1,2]}, {@code {a:1}}. */
  @Override
  public String toString() {
    ValueKind k = kind();
    if (k == null) {
      throw new MalformedAstException("unknown value kind " + kindNumber);
    }
    return switch (k) {
      case VARIABLE -> "$" + raw;
      case INT, FLOAT, ENUM, BOOLEAN, NULL -> raw;
      case STRING, BLOCK -> GoQuote.quote(raw);
      case LIST -> {
        List<String> parts = new ArrayList<>();
        for (ChildValue c : children) {
          parts.add(c.value().toString());
        }
        yield "[" + String.join(",", parts) + "]";
      }
      case OBJECT -> {
        List<String> parts = new ArrayList<>();
        for (ChildValue c : children) {
          parts.add(c.name() + ":" + c.value());
        }
        yield "{" + String.join(",", parts) + "}";
      }
    };
  }

  /** The child with this name, or null. */
  public ChildValue child(String name) {
    for (ChildValue c : children) {
      if (c.name().equals(name)) {
        return c;
      }
    }
    return null;
  }
}
