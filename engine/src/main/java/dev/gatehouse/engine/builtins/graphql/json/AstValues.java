package dev.gatehouse.engine.builtins.graphql.json;

import dev.gatehouse.engine.builtins.graphql.ast.Argument;
import dev.gatehouse.engine.builtins.graphql.ast.ArgumentDefinition;
import dev.gatehouse.engine.builtins.graphql.ast.ChildValue;
import dev.gatehouse.engine.builtins.graphql.ast.Comment;
import dev.gatehouse.engine.builtins.graphql.ast.CommentGroup;
import dev.gatehouse.engine.builtins.graphql.ast.Definition;
import dev.gatehouse.engine.builtins.graphql.ast.Directive;
import dev.gatehouse.engine.builtins.graphql.ast.DirectiveDefinition;
import dev.gatehouse.engine.builtins.graphql.ast.EnumValueDefinition;
import dev.gatehouse.engine.builtins.graphql.ast.Field;
import dev.gatehouse.engine.builtins.graphql.ast.FieldDefinition;
import dev.gatehouse.engine.builtins.graphql.ast.FragmentDefinition;
import dev.gatehouse.engine.builtins.graphql.ast.FragmentSpread;
import dev.gatehouse.engine.builtins.graphql.ast.InlineFragment;
import dev.gatehouse.engine.builtins.graphql.ast.OperationDefinition;
import dev.gatehouse.engine.builtins.graphql.ast.OperationTypeDefinition;
import dev.gatehouse.engine.builtins.graphql.ast.QueryDocument;
import dev.gatehouse.engine.builtins.graphql.ast.SchemaDefinition;
import dev.gatehouse.engine.builtins.graphql.ast.SchemaDocument;
import dev.gatehouse.engine.builtins.graphql.ast.Selection;
import dev.gatehouse.engine.builtins.graphql.ast.TypeRef;
import dev.gatehouse.engine.builtins.graphql.ast.ValueNode;
import dev.gatehouse.engine.builtins.graphql.ast.VariableDefinition;
import dev.gatehouse.engine.value.ArrayValue;
import dev.gatehouse.engine.value.BooleanValue;
import dev.gatehouse.engine.value.NumberValue;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * ASTs as the Rego objects OPA returns: every field of gqlparser's structs under its Go name,
 * then pruned as OPA prunes them: no {@code Position}, no nulls, no empty arrays or objects
 * (empty strings, {@code false} and {@code 0} stay). Pruning happens while building, children
 * first, which gives the same result as OPA's pass over the finished value.
 */
public final class AstValues {
  private AstValues() {}

  /** An object under construction that drops absent and empty members. */
  private static final class Obj {
    private final ObjectValue.Builder b = ObjectValue.builder();

    Obj put(String key, Value v) {
      if (v != null && !isEmpty(v)) {
        b.put(key, v);
      }
      return this;
    }

    Obj str(String key, String s) {
      return put(key, StringValue.of(s));
    }

    Obj bool(String key, boolean v) {
      return put(key, BooleanValue.of(v));
    }

    ObjectValue build() {
      return b.build();
    }
  }

  private static boolean isEmpty(Value v) {
    return (v instanceof ArrayValue a && a.size() == 0) || (v instanceof ObjectValue o && o.isEmpty());
  }

  private static <T> Value list(List<T> items, Function<T, Value> f) {
    List<Value> out = new ArrayList<>(items.size());
    for (T item : items) {
      Value v = item == null ? null : f.apply(item);
      if (v != null && !isEmpty(v)) {
        out.add(v);
      }
    }
    return ArrayValue.of(out);
  }

  private static Value strings(List<String> items) {
    return list(items, StringValue::of);
  }

  public static ObjectValue query(QueryDocument d) {
    return new Obj()
        .put("Operations", list(d.operations(), AstValues::operation))
        .put("Fragments", list(d.fragments(), AstValues::fragment))
        .put("Comment", comments(d.comment()))
        .build();
  }

  public static ObjectValue schema(SchemaDocument d) {
    return new Obj()
        .put("Schema", list(d.schema(), AstValues::schemaDefinition))
        .put("SchemaExtension", list(d.schemaExtension(), AstValues::schemaDefinition))
        .put("Directives", list(d.directives(), AstValues::directiveDefinition))
        .put("Definitions", list(d.definitions(), AstValues::definition))
        .put("Extensions", list(d.extensions(), AstValues::definition))
        .put("Comment", comments(d.comment()))
        .build();
  }

  private static Value comments(CommentGroup g) {
    if (g == null) {
      return null;
    }
    return new Obj().put("List", list(g.list(), (Comment c) -> new Obj().str("Value", c.value()).build())).build();
  }

  private static Value operation(OperationDefinition o) {
    return new Obj()
        .str("Operation", o.operation())
        .str("Name", o.name())
        .put("VariableDefinitions", list(o.variableDefinitions(), AstValues::variable))
        .put("Directives", list(o.directives(), AstValues::directive))
        .put("SelectionSet", list(o.selectionSet(), AstValues::selection))
        .put("Comment", comments(o.comment()))
        .build();
  }

  private static Value variable(VariableDefinition v) {
    return new Obj()
        .str("Variable", v.variable())
        .put("Type", type(v.type()))
        .put("DefaultValue", value(v.defaultValue()))
        .put("Directives", list(v.directives(), AstValues::directive))
        .put("Comment", comments(v.comment()))
        .put("Definition", v.definition() == null ? null : definition(v.definition()))
        .bool("Used", v.used())
        .build();
  }

  private static Value type(TypeRef t) {
    if (t == null) {
      return null;
    }
    return new Obj().str("NamedType", t.namedType()).put("Elem", type(t.elem())).bool("NonNull", t.nonNull()).build();
  }

  private static Value value(ValueNode v) {
    if (v == null) {
      return null;
    }
    return new Obj()
        .str("Raw", v.raw())
        .put("Children", list(v.children(), AstValues::child))
        .put("Kind", NumberValue.of(v.kindNumber()))
        .put("Comment", comments(v.comment()))
        .put("Definition", v.definition() == null ? null : definition(v.definition()))
        .put("VariableDefinition", v.variableDefinition() == null ? null : variable(v.variableDefinition()))
        .put("ExpectedType", type(v.expectedType()))
        .bool("ExpectedTypeHasDefault", v.expectedTypeHasDefault())
        .build();
  }

  private static Value child(ChildValue c) {
    return new Obj().str("Name", c.name()).put("Value", value(c.value())).put("Comment", comments(c.comment())).build();
  }

  private static Value selection(Selection s) {
    if (s instanceof Field f) {
      return new Obj()
          .str("Alias", f.alias())
          .str("Name", f.name())
          .put("Arguments", list(f.arguments(), AstValues::argument))
          .put("Directives", list(f.directives(), AstValues::directive))
          .put("SelectionSet", list(f.selectionSet(), AstValues::selection))
          .put("Comment", comments(f.comment()))
          .put("Definition", f.definition() == null ? null : fieldDefinition(f.definition()))
          .put("ObjectDefinition", f.objectDefinition() == null ? null : definition(f.objectDefinition()))
          .build();
    }
    if (s instanceof FragmentSpread f) {
      return new Obj()
          .str("Name", f.name())
          .put("Directives", list(f.directives(), AstValues::directive))
          .put("ObjectDefinition", f.objectDefinition() == null ? null : definition(f.objectDefinition()))
          .put("Definition", f.definition() == null ? null : fragment(f.definition()))
          .put("Comment", comments(f.comment()))
          .build();
    }
    InlineFragment f = (InlineFragment) s;
    return new Obj()
        .str("TypeCondition", f.typeCondition())
        .put("Directives", list(f.directives(), AstValues::directive))
        .put("SelectionSet", list(f.selectionSet(), AstValues::selection))
        .put("ObjectDefinition", f.objectDefinition() == null ? null : definition(f.objectDefinition()))
        .put("Comment", comments(f.comment()))
        .build();
  }

  private static Value argument(Argument a) {
    return new Obj().str("Name", a.name()).put("Value", value(a.value())).put("Comment", comments(a.comment())).build();
  }

  private static Value fragment(FragmentDefinition f) {
    return new Obj()
        .str("Name", f.name())
        .put("VariableDefinition", list(f.variableDefinition(), AstValues::variable))
        .str("TypeCondition", f.typeCondition())
        .put("Directives", list(f.directives(), AstValues::directive))
        .put("SelectionSet", list(f.selectionSet(), AstValues::selection))
        .put("Definition", f.definition() == null ? null : definition(f.definition()))
        .put("Comment", comments(f.comment()))
        .build();
  }

  private static Value directive(Directive d) {
    return new Obj()
        .str("Name", d.name())
        .put("Arguments", list(d.arguments(), AstValues::argument))
        .put("ParentDefinition", d.parentDefinition() == null ? null : definition(d.parentDefinition()))
        .put("Definition", d.definition() == null ? null : directiveDefinition(d.definition()))
        .str("Location", d.location())
        .build();
  }

  private static Value schemaDefinition(SchemaDefinition s) {
    return new Obj()
        .str("Description", s.description())
        .put("Directives", list(s.directives(), AstValues::directive))
        .put("OperationTypes", list(s.operationTypes(), AstValues::operationType))
        .put("BeforeDescriptionComment", comments(s.beforeDescriptionComment()))
        .put("AfterDescriptionComment", comments(s.afterDescriptionComment()))
        .put("EndOfDefinitionComment", comments(s.endOfDefinitionComment()))
        .build();
  }

  private static Value operationType(OperationTypeDefinition o) {
    return new Obj().str("Operation", o.operation()).str("Type", o.type()).put("Comment", comments(o.comment())).build();
  }

  private static Value definition(Definition d) {
    return new Obj()
        .str("Kind", d.kind())
        .str("Description", d.description())
        .str("Name", d.name())
        .put("Directives", list(d.directives(), AstValues::directive))
        .put("Interfaces", strings(d.interfaces()))
        .put("Fields", list(d.fields(), AstValues::fieldDefinition))
        .put("Types", strings(d.types()))
        .put("EnumValues", list(d.enumValues(), AstValues::enumValue))
        .bool("BuiltIn", d.builtIn())
        .put("BeforeDescriptionComment", comments(d.beforeDescriptionComment()))
        .put("AfterDescriptionComment", comments(d.afterDescriptionComment()))
        .put("EndOfDefinitionComment", comments(d.endOfDefinitionComment()))
        .build();
  }

  private static Value fieldDefinition(FieldDefinition f) {
    return new Obj()
        .str("Description", f.description())
        .str("Name", f.name())
        .put("Arguments", list(f.arguments(), AstValues::argumentDefinition))
        .put("DefaultValue", value(f.defaultValue()))
        .put("Type", type(f.type()))
        .put("Directives", list(f.directives(), AstValues::directive))
        .put("BeforeDescriptionComment", comments(f.beforeDescriptionComment()))
        .put("AfterDescriptionComment", comments(f.afterDescriptionComment()))
        .build();
  }

  private static Value argumentDefinition(ArgumentDefinition a) {
    return new Obj()
        .str("Description", a.description())
        .str("Name", a.name())
        .put("DefaultValue", value(a.defaultValue()))
        .put("Type", type(a.type()))
        .put("Directives", list(a.directives(), AstValues::directive))
        .put("BeforeDescriptionComment", comments(a.beforeDescriptionComment()))
        .put("AfterDescriptionComment", comments(a.afterDescriptionComment()))
        .build();
  }

  private static Value enumValue(EnumValueDefinition e) {
    return new Obj()
        .str("Description", e.description())
        .str("Name", e.name())
        .put("Directives", list(e.directives(), AstValues::directive))
        .put("BeforeDescriptionComment", comments(e.beforeDescriptionComment()))
        .put("AfterDescriptionComment", comments(e.afterDescriptionComment()))
        .build();
  }

  private static Value directiveDefinition(DirectiveDefinition d) {
    return new Obj()
        .str("Description", d.description())
        .str("Name", d.name())
        .put("Arguments", list(d.arguments(), AstValues::argumentDefinition))
        .put("Locations", strings(d.locations()))
        .bool("IsRepeatable", d.isRepeatable())
        .put("BeforeDescriptionComment", comments(d.beforeDescriptionComment()))
        .put("AfterDescriptionComment", comments(d.afterDescriptionComment()))
        .build();
  }
}
