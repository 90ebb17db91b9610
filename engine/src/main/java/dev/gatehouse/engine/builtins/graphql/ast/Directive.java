package dev.gatehouse.engine.builtins.graphql.ast;

import java.util.List;

/**
 * A directive use, {@code @name(args)}. The last three components are validator annotations, only
 * ever set when decoded from an AST object ({@code location} is {@code ""} otherwise).
 */
public record Directive(String name, List<Argument> arguments, Position position,
    Definition parentDefinition, DirectiveDefinition definition, String location) {

  public Directive {
    arguments = Lists.copy(arguments);
  }

  public static Directive of(String name, List<Argument> arguments, Position position) {
    return new Directive(name, arguments, position, null, null, "");
  }
}
