package dev.gatehouse.engine.builtins.graphql.ast;

import java.util.List;

/**
 * A type definition or type extension of any kind (one shape for all, as in gqlparser's AST).
 * {@code kind} is a {@link DefinitionKind} string (decoded ASTs may hold anything).
 * {@code typePositions} parallels {@code types} (union members) and is empty when unknown.
 */
public record Definition(String kind, String description, String name, List<Directive> directives,
    List<String> interfaces, List<FieldDefinition> fields, List<String> types, List<EnumValueDefinition> enumValues,
    Position position, List<Position> typePositions, boolean builtIn,
    CommentGroup beforeDescriptionComment, CommentGroup afterDescriptionComment, CommentGroup endOfDefinitionComment) {

  public Definition {
    directives = Lists.copy(directives);
    interfaces = Lists.copy(interfaces);
    fields = Lists.copy(fields);
    types = Lists.copy(types);
    enumValues = Lists.copy(enumValues);
    typePositions = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(typePositions));
  }

  public boolean isLeafType() {
    return kind.equals(DefinitionKind.ENUM) || kind.equals(DefinitionKind.SCALAR);
  }

  public boolean isAbstractType() {
    return kind.equals(DefinitionKind.INTERFACE) || kind.equals(DefinitionKind.UNION);
  }

  public boolean isCompositeType() {
    return kind.equals(DefinitionKind.OBJECT) || isAbstractType();
  }

  public boolean isInputType() {
    return kind.equals(DefinitionKind.SCALAR) || kind.equals(DefinitionKind.ENUM) || kind.equals(DefinitionKind.INPUT_OBJECT);
  }

  public boolean nameIsOneOf(String... names) {
    for (String n : names) {
      if (n.equals(name)) {
        return true;
      }
    }
    return false;
  }

  /** The first field with this name, or null. */
  public FieldDefinition field(String fieldName) {
    for (FieldDefinition f : fields) {
      if (f.name().equals(fieldName)) {
        return f;
      }
    }
    return null;
  }

  public EnumValueDefinition enumValue(String valueName) {
    for (EnumValueDefinition v : enumValues) {
      if (v.name().equals(valueName)) {
        return v;
      }
    }
    return null;
  }

  public Directive directive(String directiveName) {
    for (Directive d : directives) {
      if (d.name().equals(directiveName)) {
        return d;
      }
    }
    return null;
  }
}
