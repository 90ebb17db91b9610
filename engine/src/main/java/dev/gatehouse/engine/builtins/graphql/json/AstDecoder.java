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
import dev.gatehouse.engine.builtins.graphql.ast.Position;
import dev.gatehouse.engine.builtins.graphql.ast.QueryDocument;
import dev.gatehouse.engine.builtins.graphql.ast.SchemaDefinition;
import dev.gatehouse.engine.builtins.graphql.ast.SchemaDocument;
import dev.gatehouse.engine.builtins.graphql.ast.Selection;
import dev.gatehouse.engine.builtins.graphql.ast.TypeRef;
import dev.gatehouse.engine.builtins.graphql.ast.ValueNode;
import dev.gatehouse.engine.builtins.graphql.ast.VariableDefinition;
import dev.gatehouse.engine.builtins.graphql.json.GoType.CustomKind;
import dev.gatehouse.engine.value.ObjectValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * AST objects (as the GraphQL builtins return them, or hand-made) back into AST records, decoded
 * as OPA decodes them. What Go leaves nil stays null here (list elements, a missing type or
 * value): gqlparser dereferences such nils only on some paths, and exactly there OPA crashes,
 * so the validator must meet them where gqlparser would.
 */
public final class AstDecoder {
  private AstDecoder() {}

  public static QueryDocument query(ObjectValue v) throws AstDecodeException {
    AstDecoder d = new AstDecoder();
    Map<String, Object> m = d.decode(v, GoTypes.QUERY_DOCUMENT);
    return new QueryDocument(d.list(m, "Operations", d::operation), d.list(m, "Fragments", d::fragment),
        d.comments(m.get("Comment")));
  }

  public static SchemaDocument schema(ObjectValue v) throws AstDecodeException {
    AstDecoder d = new AstDecoder();
    Map<String, Object> m = d.decode(v, GoTypes.SCHEMA_DOCUMENT);
    return new SchemaDocument(d.list(m, "Schema", d::schemaDefinition),
        d.list(m, "SchemaExtension", d::schemaDefinition), d.list(m, "Directives", d::directiveDefinition),
        d.list(m, "Definitions", d::definition), d.list(m, "Extensions", d::definition), d.comments(m.get("Comment")));
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> decode(ObjectValue v, GoType.Struct type) throws AstDecodeException {
    try {
      Object out = new GoJson().unmarshal(v, type);
      return out == null ? Map.of() : (Map<String, Object>) out;
    } catch (GoJson.TypeError e) {
      throw new AstDecodeException(e.getMessage());
    } catch (GoJson.TooDeep e) {
      throw new AstDecodeException(e.getMessage());
    }
  }

  // ---- field access on decoded structs

  private static String str(Map<String, Object> m, String key) {
    Object v = m.get(key);
    return v == null ? "" : (String) v;
  }

  private static boolean bool(Map<String, Object> m, String key) {
    return Boolean.TRUE.equals(m.get(key));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> struct(Object o) {
    return (Map<String, Object>) o;
  }

  /** A list of structs, null elements kept. */
  @SuppressWarnings("unchecked")
  private <T> List<T> list(Map<String, Object> m, String key, Function<Map<String, Object>, T> f) {
    Object v = m.get(key);
    if (v == null) {
      return List.of();
    }
    List<T> out = new ArrayList<>();
    for (Object e : (List<Object>) v) {
      out.add(e == null ? null : f.apply((Map<String, Object>) e));
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static List<String> strings(Map<String, Object> m, String key) {
    Object v = m.get(key);
    if (v == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (Object e : (List<Object>) v) {
      out.add(e == null ? "" : (String) e);
    }
    return out;
  }

  private CommentGroup comments(Object o) {
    if (o == null) {
      return null;
    }
    List<Comment> list = list(struct(o), "List", c -> new Comment(str(c, "Value"), position(c.get("Position"))));
    return new CommentGroup(list);
  }

  private static Position position(Object o) {
    if (o == null) {
      return null;
    }
    Map<String, Object> p = struct(o);
    Map<String, Object> src = p.get("Src") == null ? null : struct(p.get("Src"));
    return new Position(intOf(p, "Start"), intOf(p, "End"), intOf(p, "Line"), intOf(p, "Column"),
        src == null ? null : str(src, "Name"));
  }

  private static int intOf(Map<String, Object> m, String key) {
    Object v = m.get(key);
    return v == null ? 0 : (int) (long) (Long) v;
  }

  private TypeRef type(Object o) {
    if (o == null) {
      return null;
    }
    Map<String, Object> t = struct(o);
    return new TypeRef(str(t, "NamedType"), type(t.get("Elem")), bool(t, "NonNull"), null);
  }

  private ValueNode value(Object o) {
    if (o == null) {
      return null;
    }
    Map<String, Object> v = struct(o);
    Object kind = v.get("Kind");
    return new ValueNode(str(v, "Raw"), list(v, "Children", this::child), kind == null ? 0 : (Long) kind, null,
        comments(v.get("Comment")), optionalDefinition(v.get("Definition")), optionalVariable(v.get("VariableDefinition")),
        type(v.get("ExpectedType")), bool(v, "ExpectedTypeHasDefault"));
  }

  private ChildValue child(Map<String, Object> c) {
    return new ChildValue(str(c, "Name"), value(c.get("Value")), null, comments(c.get("Comment")));
  }

  private Argument argument(Map<String, Object> a) {
    return new Argument(str(a, "Name"), value(a.get("Value")), position(a.get("Position")),
        comments(a.get("Comment")));
  }

  private Directive directive(Map<String, Object> d) {
    return new Directive(str(d, "Name"), list(d, "Arguments", this::argument), null,
        optionalDefinition(d.get("ParentDefinition")),
        d.get("Definition") == null ? null : directiveDefinition(struct(d.get("Definition"))), str(d, "Location"));
  }

  private Definition optionalDefinition(Object o) {
    return o == null ? null : definition(struct(o));
  }

  private VariableDefinition optionalVariable(Object o) {
    return o == null ? null : variable(struct(o));
  }

  private VariableDefinition variable(Map<String, Object> v) {
    return new VariableDefinition(str(v, "Variable"), type(v.get("Type")),
        value(v.get("DefaultValue")), list(v, "Directives", this::directive), null, comments(v.get("Comment")),
        optionalDefinition(v.get("Definition")), bool(v, "Used"));
  }

  private OperationDefinition operation(Map<String, Object> o) {
    return new OperationDefinition(str(o, "Operation"), str(o, "Name"), list(o, "VariableDefinitions", this::variable),
        list(o, "Directives", this::directive), selections(o.get("SelectionSet")), position(o.get("Position")), null);
  }

  private FragmentDefinition fragment(Map<String, Object> f) {
    return new FragmentDefinition(str(f, "Name"), list(f, "VariableDefinition", this::variable),
        str(f, "TypeCondition"), list(f, "Directives", this::directive), selections(f.get("SelectionSet")),
        optionalDefinition(f.get("Definition")), position(f.get("Position")), null);
  }

  @SuppressWarnings("unchecked")
  private List<Selection> selections(Object o) {
    if (o == null) {
      return List.of();
    }
    List<Selection> out = new ArrayList<>();
    for (GoJson.Sel s : (List<GoJson.Sel>) o) {
      out.add(selection(s));
    }
    return out;
  }

  private Selection selection(GoJson.Sel s) {
    Map<String, Object> m = s.fields();
    if (s.spread()) {
      return new FragmentSpread(str(m, "Name"), list(m, "Directives", this::directive),
          optionalDefinition(m.get("ObjectDefinition")),
          m.get("Definition") == null ? null : fragment(struct(m.get("Definition"))), null, comments(m.get("Comment")));
    }
    if (s.kindOrNull() == CustomKind.FIELD) {
      return new Field(str(m, "Alias"), str(m, "Name"), list(m, "Arguments", this::argument),
          list(m, "Directives", this::directive), selections(m.get("SelectionSet")), position(m.get("Position")), null,
          m.get("Definition") == null ? null : fieldDefinition(struct(m.get("Definition"))),
          optionalDefinition(m.get("ObjectDefinition")));
    }
    return new InlineFragment(str(m, "TypeCondition"), list(m, "Directives", this::directive),
        selections(m.get("SelectionSet")), optionalDefinition(m.get("ObjectDefinition")), position(m.get("Position")), null);
  }

  private SchemaDefinition schemaDefinition(Map<String, Object> s) {
    return new SchemaDefinition(str(s, "Description"), list(s, "Directives", this::directive),
        list(s, "OperationTypes", o -> new OperationTypeDefinition(str(o, "Operation"), str(o, "Type"), null,
            comments(o.get("Comment")))),
        null, comments(s.get("BeforeDescriptionComment")), comments(s.get("AfterDescriptionComment")),
        comments(s.get("EndOfDefinitionComment")));
  }

  private Definition definition(Map<String, Object> d) {
    return new Definition(str(d, "Kind"), str(d, "Description"), str(d, "Name"), list(d, "Directives", this::directive),
        strings(d, "Interfaces"), list(d, "Fields", this::fieldDefinition), strings(d, "Types"),
        list(d, "EnumValues", this::enumValue), null, List.of(), bool(d, "BuiltIn"),
        comments(d.get("BeforeDescriptionComment")), comments(d.get("AfterDescriptionComment")),
        comments(d.get("EndOfDefinitionComment")));
  }

  private FieldDefinition fieldDefinition(Map<String, Object> f) {
    return new FieldDefinition(str(f, "Description"), str(f, "Name"), list(f, "Arguments", this::argumentDefinition),
        value(f.get("DefaultValue")), type(f.get("Type")), list(f, "Directives", this::directive), null,
        comments(f.get("BeforeDescriptionComment")), comments(f.get("AfterDescriptionComment")));
  }

  private ArgumentDefinition argumentDefinition(Map<String, Object> a) {
    return new ArgumentDefinition(str(a, "Description"), str(a, "Name"), value(a.get("DefaultValue")),
        type(a.get("Type")), list(a, "Directives", this::directive), null,
        comments(a.get("BeforeDescriptionComment")), comments(a.get("AfterDescriptionComment")));
  }

  private EnumValueDefinition enumValue(Map<String, Object> e) {
    return new EnumValueDefinition(str(e, "Description"), str(e, "Name"), list(e, "Directives", this::directive), null,
        comments(e.get("BeforeDescriptionComment")), comments(e.get("AfterDescriptionComment")));
  }

  private DirectiveDefinition directiveDefinition(Map<String, Object> d) {
    List<String> locations = strings(d, "Locations");
    return new DirectiveDefinition(str(d, "Description"), str(d, "Name"), list(d, "Arguments", this::argumentDefinition),
        locations, bool(d, "IsRepeatable"), null, comments(d.get("BeforeDescriptionComment")),
        comments(d.get("AfterDescriptionComment")));
  }
}
