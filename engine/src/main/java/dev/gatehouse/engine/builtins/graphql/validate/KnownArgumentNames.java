package dev.gatehouse.engine.builtins.graphql.validate;

import dev.gatehouse.engine.builtins.graphql.ast.Argument;
import dev.gatehouse.engine.builtins.graphql.ast.ArgumentDefinition;
import dev.gatehouse.engine.builtins.graphql.ast.Directive;
import dev.gatehouse.engine.builtins.graphql.ast.Field;
import java.util.ArrayList;
import java.util.List;

/** Every argument given to a field or directive must be one it declares. */
final class KnownArgumentNames implements Rule {
  @Override
  public void onField(Walker w, Field field) {
    Annotations.FieldInfo info = w.notes.of(field);
    if (info.definition == null || info.objectDefinition == null) {
      return;
    }
    for (Argument arg : field.arguments()) {
      if (info.definition.argument(arg.name()) != null) {
        continue;
      }
      w.report("Unknown argument \"" + arg.name() + "\" on field \"" + info.objectDefinition.name() + "." + field.name()
          + "\"." + Suggestions.quoted("Did you mean", arg.name(), names(info.definition.arguments())), field.position());
    }
  }

  @Override
  public void onDirective(Walker w, Directive directive) {
    Annotations.DirectiveInfo info = w.notes.of(directive);
    if (info.definition == null) {
      return;
    }
    for (Argument arg : directive.arguments()) {
      if (ArgumentDefinition.find(info.definition.arguments(), arg.name()) != null) {
        continue;
      }
      w.report("Unknown argument \"" + arg.name() + "\" on directive \"@" + directive.name() + "\"."
          + Suggestions.quoted("Did you mean", arg.name(), names(info.definition.arguments())), directive.position());
    }
  }

  private static List<String> names(List<ArgumentDefinition> args) {
    List<String> out = new ArrayList<>();
    for (ArgumentDefinition a : args) {
      out.add(a.name());
    }
    return out;
  }
}
