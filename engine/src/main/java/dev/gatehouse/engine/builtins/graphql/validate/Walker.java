package dev.gatehouse.engine.builtins.graphql.validate;

import dev.gatehouse.engine.builtins.graphql.GraphQLError;
import dev.gatehouse.engine.builtins.graphql.Limits;
import dev.gatehouse.engine.builtins.graphql.ast.Argument;
import dev.gatehouse.engine.builtins.graphql.ast.ArgumentDefinition;
import dev.gatehouse.engine.builtins.graphql.ast.ChildValue;
import dev.gatehouse.engine.builtins.graphql.ast.Definition;
import dev.gatehouse.engine.builtins.graphql.ast.Directive;
import dev.gatehouse.engine.builtins.graphql.ast.DirectiveDefinition;
import dev.gatehouse.engine.builtins.graphql.ast.Field;
import dev.gatehouse.engine.builtins.graphql.ast.FieldDefinition;
import dev.gatehouse.engine.builtins.graphql.ast.FragmentDefinition;
import dev.gatehouse.engine.builtins.graphql.ast.FragmentSpread;
import dev.gatehouse.engine.builtins.graphql.ast.InlineFragment;
import dev.gatehouse.engine.builtins.graphql.ast.OperationDefinition;
import dev.gatehouse.engine.builtins.graphql.ast.QueryDocument;
import dev.gatehouse.engine.builtins.graphql.ast.Selection;
import dev.gatehouse.engine.builtins.graphql.ast.TypeRef;
import dev.gatehouse.engine.builtins.graphql.ast.ValueKind;
import dev.gatehouse.engine.builtins.graphql.ast.ValueNode;
import dev.gatehouse.engine.builtins.graphql.ast.VariableDefinition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Walks a query document against a schema in gqlparser's order: operations, then fragments;
 * within a node, its variables, arguments, directives and selections first, then the rules'
 * observers for the node itself. A fragment's body is walked at its first spread in each
 * operation, and once more on its own.
 */
final class Walker {
  private static final TypeRef STRING = TypeRef.named("String", false);

  final Schema schema;
  final QueryDocument document;
  final Annotations notes = new Annotations();
  private final List<Rule> rules;
  private final List<GraphQLError> errors = new ArrayList<>();
  private final Map<String, FragmentDefinition> fragmentsByName = new HashMap<>();
  private Set<String> validatedFragmentSpreads = new HashSet<>();
  private OperationDefinition currentOperation;
  private Map<String, VariableDefinition> currentVariables = Map.of();
  private int depth;

  Walker(Schema schema, QueryDocument document, List<Rule> rules) {
    this.schema = schema;
    this.document = document;
    this.rules = rules;
    for (FragmentDefinition f : document.fragments()) {
      fragmentsByName.putIfAbsent(f.name(), f);
    }
  }

  List<GraphQLError> walk() {
    for (OperationDefinition op : document.operations()) {
      validatedFragmentSpreads = new HashSet<>();
      walkOperation(op);
    }
    for (FragmentDefinition f : document.fragments()) {
      validatedFragmentSpreads = new HashSet<>();
      walkFragment(f);
    }
    return errors;
  }

  /** Reports an error at the given positions (null ones, from decoded ASTs, are left out). */
  void report(String message, dev.gatehouse.engine.builtins.graphql.ast.Position... at) {
    GraphQLError.Builder b = new GraphQLError.Builder().message(message);
    for (var p : at) {
      b.at(p);
    }
    errors.add(b.build());
  }

  OperationDefinition currentOperation() {
    return currentOperation;
  }

  /** The document's first fragment with this name, or null. */
  FragmentDefinition fragment(String name) {
    return fragmentsByName.get(name);
  }

  /** Guards recursion (the walk's and the rules') so fragment chains cannot exhaust the stack. */
  void enter() {
    if (++depth > Limits.MAX_VALIDATION_DEPTH) {
      throw new ValidationLimitExceeded("Exceeded maximum validation depth of " + Limits.MAX_VALIDATION_DEPTH);
    }
  }

  void exit() {
    depth--;
  }


  private void walkOperation(OperationDefinition op) {
    currentOperation = op;
    currentVariables = new HashMap<>();
    for (VariableDefinition v : op.variableDefinitions()) {
      currentVariables.putIfAbsent(v.variable(), v);
    }
    for (VariableDefinition v : op.variableDefinitions()) {
      notes.of(v).definition = schema.type(v.type().name());
      for (Rule r : rules) {
        r.onVariable(this, v);
      }
      if (v.defaultValue() != null) {
        Annotations.ValueInfo d = notes.of(v.defaultValue());
        d.expectedType = v.type();
        d.definition = schema.type(v.type().name());
      }
    }
    Definition def;
    String location;
    switch (op.operation()) {
      case "query", "" -> {
        def = schema.query();
        location = "QUERY";
      }
      case "mutation" -> {
        def = schema.mutation();
        location = "MUTATION";
      }
      case "subscription" -> {
        def = schema.subscription();
        location = "SUBSCRIPTION";
      }
      default -> {
        def = null;
        location = "";
      }
    }
    for (VariableDefinition v : op.variableDefinitions()) {
      if (v.defaultValue() != null) {
        walkValue(v.defaultValue());
      }
      walkDirectives(notes.of(v).definition, v.directives(), "VARIABLE_DEFINITION");
    }
    walkDirectives(def, op.directives(), location);
    walkSelectionSet(def, op.selectionSet());
    for (Rule r : rules) {
      r.onOperation(this, op);
    }
    currentOperation = null;
    currentVariables = Map.of();
  }

  private void walkFragment(FragmentDefinition f) {
    Definition def = schema.type(f.typeCondition());
    notes.setDefinition(f, def);
    walkDirectives(def, f.directives(), "FRAGMENT_DEFINITION");
    walkSelectionSet(def, f.selectionSet());
    for (Rule r : rules) {
      r.onFragment(this, f);
    }
  }

  private void walkDirectives(Definition parent, List<Directive> directives, String location) {
    for (Directive dir : directives) {
      DirectiveDefinition def = schema.directive(dir.name());
      Annotations.DirectiveInfo info = notes.of(dir);
      info.definition = def;
      info.parentDefinition = parent;
      info.location = location;
      for (Argument arg : dir.arguments()) {
        walkArgument(def != null ? ArgumentDefinition.find(def.arguments(), arg.name()) : null, arg);
      }
      for (Rule r : rules) {
        r.onDirective(this, dir);
      }
    }
    for (Rule r : rules) {
      r.onDirectiveList(this, directives);
    }
  }

  private void walkValue(ValueNode value) {
    enter();
    Annotations.ValueInfo info = notes.of(value);
    if (value.kindNumber() == ValueKind.VARIABLE.ordinal() && currentOperation != null) {
      VariableDefinition v = currentVariables.get(value.raw());
      info.variableDefinition = v;
      if (v != null) {
        notes.of(v).used = true;
      }
    }
    if (value.kindNumber() == ValueKind.OBJECT.ordinal()) {
      for (ChildValue child : value.children()) {
        if (info.definition != null) {
          FieldDefinition fieldDef = schema.field(info.definition, child.name());
          if (fieldDef != null) {
            Annotations.ValueInfo c = notes.of(child.value());
            c.expectedType = fieldDef.type();
            c.expectedTypeHasDefault = hasNonNullDefault(fieldDef.defaultValue());
            c.definition = schema.type(fieldDef.type().name());
          }
        }
        walkValue(child.value());
      }
    }
    if (value.kindNumber() == ValueKind.LIST.ordinal()) {
      for (ChildValue child : value.children()) {
        if (info.expectedType != null && info.expectedType.elem() != null) {
          Annotations.ValueInfo c = notes.of(child.value());
          c.expectedType = info.expectedType.elem();
          c.definition = info.definition;
        }
        walkValue(child.value());
      }
    }
    for (Rule r : rules) {
      r.onValue(this, value);
    }
    exit();
  }

  private static boolean hasNonNullDefault(ValueNode defaultValue) {
    return defaultValue != null && defaultValue.kindNumber() != ValueKind.NULL.ordinal();
  }

  private void walkArgument(ArgumentDefinition argDef, Argument arg) {
    if (argDef != null) {
      Annotations.ValueInfo v = notes.of(arg.value());
      v.expectedType = argDef.type();
      v.expectedTypeHasDefault = hasNonNullDefault(argDef.defaultValue());
      v.definition = schema.type(argDef.type().name());
    }
    walkValue(arg.value());
  }

  private void walkSelectionSet(Definition parent, List<Selection> selections) {
    for (Selection s : selections) {
      walkSelection(parent, s);
    }
  }

  private void walkSelection(Definition parent, Selection selection) {
    enter();
    if (selection instanceof Field field) {
      walkField(parent, field);
    } else if (selection instanceof InlineFragment inline) {
      notes.setObjectDefinition(inline, parent);
      Definition next = inline.typeCondition().isEmpty() ? parent : schema.type(inline.typeCondition());
      walkDirectives(next, inline.directives(), "INLINE_FRAGMENT");
      walkSelectionSet(next, inline.selectionSet());
      for (Rule r : rules) {
        r.onInlineFragment(this, inline);
      }
    } else if (selection instanceof FragmentSpread spread) {
      FragmentDefinition def = fragment(spread.name());
      Annotations.SpreadInfo info = notes.of(spread);
      info.definition = def;
      info.objectDefinition = parent;
      Definition next = def != null ? schema.type(def.typeCondition()) : null;
      walkDirectives(next, spread.directives(), "FRAGMENT_SPREAD");
      if (def != null && validatedFragmentSpreads.add(def.name())) {
        walkDirectives(next, def.directives(), "FRAGMENT_DEFINITION");
        walkSelectionSet(next, def.selectionSet());
      }
      for (Rule r : rules) {
        r.onFragmentSpread(this, spread);
      }
    }
    exit();
  }

  private void walkField(Definition parent, Field field) {
    FieldDefinition def = null;
    if (field.name().equals("__typename")) {
      def = new FieldDefinition("", "__typename", List.of(), null, STRING, List.of(), null, null, null);
    } else if (parent != null) {
      def = schema.field(parent, field.name());
    }
    Annotations.FieldInfo info = notes.of(field);
    info.definition = def;
    info.objectDefinition = parent;
    Definition next = def != null ? schema.type(def.type().name()) : null;
    for (Argument arg : field.arguments()) {
      walkArgument(def != null ? def.argument(arg.name()) : null, arg);
    }
    walkDirectives(next, field.directives(), "FIELD");
    walkSelectionSet(next, field.selectionSet());
    for (Rule r : rules) {
      r.onField(this, field);
    }
  }
}
