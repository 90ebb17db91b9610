package dev.gatehouse.engine.builtins.graphql.validate;

import dev.gatehouse.engine.builtins.graphql.ast.Argument;
import dev.gatehouse.engine.builtins.graphql.ast.ArgumentDefinition;
import dev.gatehouse.engine.builtins.graphql.ast.Directive;
import dev.gatehouse.engine.builtins.graphql.ast.Field;
import java.util.List;

/** Non-null arguments without a default must be given. */
final class ProvidedRequiredArguments implements Rule {
  @Override
  public void onField(Walker w, Field field) {
    Annotations.FieldInfo info = w.notes.of(field);
    if (info.definition == null) {
      return;
    }
    for (ArgumentDefinition def : info.definition.arguments()) {
      if (missing(def, field.arguments())) {
        w.report("Field \"" + field.name() + "\" argument \"" + def.name() + "\" of type \"" + def.type()
            + "\" is required, but it was not provided.", field.position());
      }
    }
  }

  @Override
  public void onDirective(Walker w, Directive directive) {
    Annotations.DirectiveInfo info = w.notes.of(directive);
    if (info.definition == null) {
      return;
    }
    for (ArgumentDefinition def : info.definition.arguments()) {
      if (missing(def, directive.arguments())) {
        w.report("Directive \"@" + info.definition.name() + "\" argument \"" + def.name() + "\" of type \"" + def.type()
            + "\" is required, but it was not provided.", directive.position());
      }
    }
  }

  private static boolean missing(ArgumentDefinition def, List<Argument> given) {
    if (!def.type().nonNull() || def.defaultValue() != null) {
      return false;
    }
    for (Argument a : given) {
      if (a.name().equals(def.name())) {
        return false;
      }
    }
    return true;
  }
}
