package dev.gatehouse.engine.builtins.graphql.ast;

import java.util.List;

/**
 * A field selection, {@code alias: name(args) @dirs { ... }}; {@code alias} equals {@code name}
 * when none was written. {@code definition}/{@code objectDefinition} are validator annotations,
 * only set when decoded from an AST object.
 */
public record Field(String alias, String name, List<Argument> arguments, List<Directive> directives,
    List<Selection> selectionSet, Position position, CommentGroup comment,
    FieldDefinition definition, Definition objectDefinition) implements Selection {

  public Field {
    arguments = Lists.copy(arguments);
    directives = Lists.copy(directives);
    selectionSet = Lists.copy(selectionSet);
  }

  /** The key this field has in a response. */
  public String responseName() {
    return alias.isEmpty() ? name : alias;
  }
}
