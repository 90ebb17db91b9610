package dev.gatehouse.engine.builtins.graphql.validate;

import dev.gatehouse.engine.builtins.graphql.ast.Definition;
import dev.gatehouse.engine.builtins.graphql.ast.Field;

/** Leaf (scalar, enum) fields take no selection set; all other fields need one. */
final class ScalarLeafs implements Rule {
  @Override
  public void onField(Walker w, Field field) {
    Annotations.FieldInfo info = w.notes.of(field);
    if (info.definition == null) {
      return;
    }
    Definition type = w.schema.type(info.definition.type().name());
    if (type == null) {
      return;
    }
    if (type.isLeafType() && !field.selectionSet().isEmpty()) {
      w.report("Field \"" + field.name() + "\" must not have a selection since type \"" + type.name()
          + "\" has no subfields.", field.position());
    }
    if (!type.isLeafType() && field.selectionSet().isEmpty()) {
      w.report("Field \"" + field.name() + "\" of type \"" + info.definition.type()
          + "\" must have a selection of subfields. Did you mean \"" + field.name() + " { ... }\"?", field.position());
    }
  }
}
