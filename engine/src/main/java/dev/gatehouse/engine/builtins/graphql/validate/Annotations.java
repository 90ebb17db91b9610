package dev.gatehouse.engine.builtins.graphql.validate;

import dev.gatehouse.engine.builtins.graphql.ast.Definition;
import dev.gatehouse.engine.builtins.graphql.ast.Directive;
import dev.gatehouse.engine.builtins.graphql.ast.DirectiveDefinition;
import dev.gatehouse.engine.builtins.graphql.ast.Field;
import dev.gatehouse.engine.builtins.graphql.ast.FieldDefinition;
import dev.gatehouse.engine.builtins.graphql.ast.FragmentDefinition;
import dev.gatehouse.engine.builtins.graphql.ast.FragmentSpread;
import dev.gatehouse.engine.builtins.graphql.ast.InlineFragment;
import dev.gatehouse.engine.builtins.graphql.ast.TypeRef;
import dev.gatehouse.engine.builtins.graphql.ast.ValueNode;
import dev.gatehouse.engine.builtins.graphql.ast.VariableDefinition;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * What the walk learns about each node (its schema definitions, expected types, whether a
 * variable is used), kept beside the immutable AST. A node starts with the annotations it was
 * decoded with; the walk overwrites them exactly where gqlparser's walker assigns its fields,
 * so rules see the same values gqlparser's rules do, stale ones included.
 */
final class Annotations {
  static final class FieldInfo {
    FieldDefinition definition;
    Definition objectDefinition;
  }

  static final class SpreadInfo {
    FragmentDefinition definition;
    Definition objectDefinition;
  }

  static final class DirectiveInfo {
    DirectiveDefinition definition;
    Definition parentDefinition;
    String location;
  }

  static final class ValueInfo {
    Definition definition;
    VariableDefinition variableDefinition;
    TypeRef expectedType;
    boolean expectedTypeHasDefault;
  }

  static final class VariableInfo {
    Definition definition;
    boolean used;
  }

  private final Map<Field, FieldInfo> fields = new IdentityHashMap<>();
  private final Map<FragmentSpread, SpreadInfo> spreads = new IdentityHashMap<>();
  private final Map<InlineFragment, Definition> inlineObjectDefs = new IdentityHashMap<>();
  private final Map<FragmentDefinition, Definition> fragmentDefs = new IdentityHashMap<>();
  private final Map<Directive, DirectiveInfo> directives = new IdentityHashMap<>();
  private final Map<ValueNode, ValueInfo> values = new IdentityHashMap<>();
  private final Map<VariableDefinition, VariableInfo> variables = new IdentityHashMap<>();

  FieldInfo of(Field f) {
    return fields.computeIfAbsent(f, k -> {
      FieldInfo i = new FieldInfo();
      i.definition = k.definition();
      i.objectDefinition = k.objectDefinition();
      return i;
    });
  }

  SpreadInfo of(FragmentSpread s) {
    return spreads.computeIfAbsent(s, k -> {
      SpreadInfo i = new SpreadInfo();
      i.definition = k.definition();
      i.objectDefinition = k.objectDefinition();
      return i;
    });
  }

  Definition objectDefinition(InlineFragment f) {
    return inlineObjectDefs.containsKey(f) ? inlineObjectDefs.get(f) : f.objectDefinition();
  }

  void setObjectDefinition(InlineFragment f, Definition d) {
    inlineObjectDefs.put(f, d);
  }

  Definition definition(FragmentDefinition f) {
    return fragmentDefs.containsKey(f) ? fragmentDefs.get(f) : f.definition();
  }

  void setDefinition(FragmentDefinition f, Definition d) {
    fragmentDefs.put(f, d);
  }

  DirectiveInfo of(Directive d) {
    return directives.computeIfAbsent(d, k -> {
      DirectiveInfo i = new DirectiveInfo();
      i.definition = k.definition();
      i.parentDefinition = k.parentDefinition();
      i.location = k.location();
      return i;
    });
  }

  ValueInfo of(ValueNode v) {
    return values.computeIfAbsent(v, k -> {
      ValueInfo i = new ValueInfo();
      i.definition = k.definition();
      i.variableDefinition = k.variableDefinition();
      i.expectedType = k.expectedType();
      i.expectedTypeHasDefault = k.expectedTypeHasDefault();
      return i;
    });
  }

  VariableInfo of(VariableDefinition v) {
    return variables.computeIfAbsent(v, k -> {
      VariableInfo i = new VariableInfo();
      i.definition = k.definition();
      i.used = k.used();
      return i;
    });
  }
}
