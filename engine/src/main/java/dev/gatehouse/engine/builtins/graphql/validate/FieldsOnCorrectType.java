package dev.gatehouse.engine.builtins.graphql.validate;

import dev.gatehouse.engine.builtins.graphql.ast.Definition;
import dev.gatehouse.engine.builtins.graphql.ast.DefinitionKind;
import dev.gatehouse.engine.builtins.graphql.ast.Field;
import dev.gatehouse.engine.builtins.graphql.ast.FieldDefinition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A selected field must exist on its parent type; suggests inline fragments or similar names. */
final class FieldsOnCorrectType implements Rule {
  @Override
  public void onField(Walker w, Field field) {
    Annotations.FieldInfo info = w.notes.of(field);
    if (info.objectDefinition == null || info.definition != null) {
      return;
    }
    Definition parent = info.objectDefinition;
    String message = "Cannot query field \"" + field.name() + "\" on type \"" + parent.name() + "\".";
    List<String> typeNames = suggestedTypeNames(w, parent, field.name());
    if (!typeNames.isEmpty()) {
      message += " Did you mean to use an inline fragment on " + Suggestions.quotedOrList(typeNames) + "?";
    } else if (parent.kind().equals(DefinitionKind.OBJECT) || parent.kind().equals(DefinitionKind.INTERFACE)) {
      List<String> names = new ArrayList<>();
      for (FieldDefinition f : parent.fields()) {
        names.add(f.name());
      }
      List<String> similar = Suggestions.suggestionList(field.name(), names);
      if (!similar.isEmpty()) {
        message += " Did you mean " + Suggestions.quotedOrList(similar) + "?";
      }
    }
    w.report(message, field.position());
  }

  /**
   * For an abstract parent: the possible types that have the field, preceded by the interfaces
   * (of those types) that declare it, most used interface first, then by name.
   */
  private static List<String> suggestedTypeNames(Walker w, Definition parent, String name) {
    if (!parent.isAbstractType()) {
      return List.of();
    }
    List<String> objectTypes = new ArrayList<>();
    List<String> interfaceTypes = new ArrayList<>();
    Map<String, Integer> usage = new HashMap<>();
    for (Definition possible : w.schema.possibleTypes(parent)) {
      if (possible == null || w.schema.field(possible, name) == null) {
        continue;
      }
      objectTypes.add(possible.name());
      for (String intf : possible.interfaces()) {
        Definition intfDef = w.schema.type(intf);
        if (intfDef != null && w.schema.field(intfDef, name) != null) {
          if (usage.getOrDefault(intf, 0) == 0) {
            interfaceTypes.add(intf);
          }
          usage.merge(intf, 1, Integer::sum);
        }
      }
    }
    List<String> all = new ArrayList<>(interfaceTypes);
    all.addAll(objectTypes);
    all.sort((a, b) -> {
      int diff = usage.getOrDefault(b, 0) - usage.getOrDefault(a, 0);
      return diff != 0 ? diff : a.compareTo(b);
    });
    return all;
  }
}
