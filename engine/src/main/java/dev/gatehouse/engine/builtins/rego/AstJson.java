package dev.gatehouse.engine.builtins.rego;

import dev.gatehouse.engine.ast.ArrayCompr;
import dev.gatehouse.engine.ast.ArrayTerm;
import dev.gatehouse.engine.ast.Body;
import dev.gatehouse.engine.ast.Call;
import dev.gatehouse.engine.ast.Comment;
import dev.gatehouse.engine.ast.Expr;
import dev.gatehouse.engine.ast.Head;
import dev.gatehouse.engine.ast.Import;
import dev.gatehouse.engine.ast.Module;
import dev.gatehouse.engine.ast.ObjectCompr;
import dev.gatehouse.engine.ast.ObjectTerm;
import dev.gatehouse.engine.ast.Ref;
import dev.gatehouse.engine.ast.Rule;
import dev.gatehouse.engine.ast.Scalar;
import dev.gatehouse.engine.ast.SetCompr;
import dev.gatehouse.engine.ast.SetTerm;
import dev.gatehouse.engine.ast.TemplateString;
import dev.gatehouse.engine.ast.Term;
import dev.gatehouse.engine.ast.Var;
import dev.gatehouse.engine.ast.With;
import dev.gatehouse.engine.value.ArrayValue;
import dev.gatehouse.engine.value.BooleanValue;
import dev.gatehouse.engine.value.NullValue;
import dev.gatehouse.engine.value.NumberValue;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.SetValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;

/**
 * Our AST in the JSON shape OPA's {@code ast} package marshals (without locations, as OPA's
 * default options leave them out): terms are {@code {"type", "value"}}, expressions carry their
 * index and terms, heads their name/ref/key/value/args/assign. This is what
 * {@code rego.parse_module} returns. METADATA blocks stay comments: OPA parses this builtin's
 * input without processing annotations.
 */
public final class AstJson {
  private AstJson() {}

  public static ObjectValue module(Module m) {
    ObjectValue.Builder b = ObjectValue.builder();
    b.put("package", ObjectValue.of("path", refArray(m.pkg().path())));
    if (!m.imports().isEmpty()) {
      List<Value> imports = new ArrayList<>();
      for (Import i : m.imports()) {
        imports.add(importJson(i));
      }
      b.put("imports", ArrayValue.of(imports));
    }
    if (!m.rules().isEmpty()) {
      List<Value> rules = new ArrayList<>();
      for (Rule r : m.rules()) {
        rules.add(rule(r));
      }
      b.put("rules", ArrayValue.of(rules));
    }
    if (!m.comments().isEmpty()) {
      List<Value> cs = new ArrayList<>();
      for (Comment c : m.comments()) {
        cs.add(comment(c));
      }
      b.put("comments", ArrayValue.of(cs));
    }
    return b.build();
  }

  private static Value importJson(Import i) {
    ObjectValue.Builder b = ObjectValue.builder().put("path", term(i.path()));
    if (i.alias() != null) {
      b.put("alias", StringValue.of(i.alias().name()));
    }
    return b.build();
  }

  /** Go marshals a comment's text as bytes (base64) and, lacking JSON tags, with capitalised keys. */
  private static Value comment(Comment c) {
    String text = Base64.getEncoder().encodeToString(c.text().getBytes(StandardCharsets.UTF_8));
    Value loc = c.location() == null ? NullValue.INSTANCE : ObjectValue.of("file", StringValue.of(c.location().file()),
        "row", NumberValue.of(c.location().row()), "col", NumberValue.of(c.location().col()));
    return ObjectValue.of("Text", StringValue.of(text), "Location", loc);
  }

  static Value rule(Rule r) {
    ObjectValue.Builder b = ObjectValue.builder();
    if (r.isDefault()) {
      b.put("default", BooleanValue.TRUE);
    }
    b.put("head", head(r.head(), r.isDefault()));
    b.put("body", body(r.body(), generatedBody(r)));
    if (r.elseRule() != null) {
      b.put("else", rule(r.elseRule()));
    }
    return b.build();
  }

  /** The parser stands a lone {@code true} at the head's location in for a missing body. */
  private static boolean generatedBody(Rule r) {
    List<Expr> es = r.body().exprs();
    return es.size() == 1 && isImplicitTrue(es.get(0).kind() instanceof Expr.TermExpr t ? t.term() : null, r.head())
        && es.get(0).location() != null && es.get(0).location().equals(r.head().location());
  }

  private static boolean isImplicitTrue(Term t, Head h) {
    return t instanceof Scalar s && s.value() == BooleanValue.TRUE && s.location() != null
        && s.location().equals(h.location());
  }

  /**
   * OPA's head fields: {@code name} only where the rule has a plain name (one-element ref, or a
   * two-element ref written with a value, the old partial-object form), {@code key} for
   * {@code contains} and for two-element refs.
   */
  private static Value head(Head h, boolean isDefault) {
    ObjectValue.Builder b = ObjectValue.builder();
    Ref ref = h.ref();
    boolean implicitValue = h.value() != null && isImplicitTrue(h.value(), h);
    Term key = h.key();
    boolean named = ref.size() == 1;
    if (key == null && !isDefault && !h.isFunction() && ref.size() == 2) {
      key = ref.get(1);
      named = !implicitValue;
    }
    if (named) {
      b.put("name", StringValue.of(((Var) ref.head()).name()));
    }
    b.put("ref", refArray(ref));
    if (h.isFunction() && !h.args().isEmpty()) {
      b.put("args", terms(h.args()));
    }
    if (key != null) {
      b.put("key", term(key));
    }
    if (h.value() != null) {
      b.put("value", term(h.value()));
    }
    if (h.assign()) {
      b.put("assign", BooleanValue.TRUE);
    }
    return b.build();
  }

  static Value body(Body body, boolean generated) {
    List<Value> out = new ArrayList<>();
    for (Expr e : body.exprs()) {
      out.add(expr(e, generated));
    }
    return ArrayValue.of(out);
  }

  private static Value expr(Expr e, boolean generated) {
    ObjectValue.Builder b = ObjectValue.builder();
    b.put("index", NumberValue.of(e.index()));
    if (e.negated()) {
      b.put("negated", BooleanValue.TRUE);
    }
    if (generated) {
      b.put("generated", BooleanValue.TRUE);
    }
    b.put("terms", exprTerms(e.kind()));
    if (!e.with().isEmpty()) {
      List<Value> ws = new ArrayList<>();
      for (With w : e.with()) {
        ws.add(ObjectValue.of("target", term(w.target()), "value", term(w.value())));
      }
      b.put("with", ArrayValue.of(ws));
    }
    return b.build();
  }

  private static Value exprTerms(Expr.Kind k) {
    if (k instanceof Expr.TermExpr t) {
      return term(t.term());
    }
    if (k instanceof Expr.CallExpr c) {
      return callArray(c.call());
    }
    if (k instanceof Expr.SomeDecl s) {
      return ObjectValue.of("symbols", declared(s.symbols()));
    }
    Expr.Every ev = (Expr.Every) k;
    return ObjectValue.of("key", ev.key() == null ? NullValue.INSTANCE : plainVar(ev.key()),
        "value", plainVar(ev.value()), "domain", term(ev.domain()), "body", body(ev.body(), false));
  }

  private static ArrayValue callArray(Call c) {
    List<Value> out = new ArrayList<>();
    out.add(term(c.operator()));
    for (Term t : c.args()) {
      out.add(term(t));
    }
    return ArrayValue.of(out);
  }

  /** A ref's elements; its head stays a plain var. */
  private static ArrayValue refArray(Ref r) {
    List<Value> out = new ArrayList<>();
    for (int i = 0; i < r.size(); i++) {
      Term t = r.get(i);
      out.add(i == 0 && t instanceof Var v ? plainVar(v) : term(t));
    }
    return ArrayValue.of(out);
  }

  private static Value plainVar(Var v) {
    return typed("var", StringValue.of(varName(v.name())));
  }

  /** Variables declared by {@code some} and {@code every} stay vars even when named input or data. */
  private static ArrayValue declared(List<Term> ts) {
    List<Value> out = new ArrayList<>();
    for (Term t : ts) {
      out.add(t instanceof Var v ? plainVar(v) : term(t));
    }
    return ArrayValue.of(out);
  }

  private static ArrayValue terms(List<Term> ts) {
    List<Value> out = new ArrayList<>();
    for (Term t : ts) {
      out.add(term(t));
    }
    return ArrayValue.of(out);
  }

  private static Value typed(String type, Value value) {
    return ObjectValue.of("type", StringValue.of(type), "value", value);
  }

  static Value term(Term t) {
    if (t instanceof Scalar s) {
      return value(s.value());
    }
    if (t instanceof Var v) {
      // OPA's parser turns a bare root document name into a one-element ref
      if (v.name().equals("input") || v.name().equals("data")) {
        return typed("ref", ArrayValue.of(plainVar(v)));
      }
      return plainVar(v);
    }
    if (t instanceof Ref r) {
      return typed("ref", refArray(r));
    }
    if (t instanceof ArrayTerm a) {
      return typed("array", terms(a.elements()));
    }
    if (t instanceof SetTerm s) {
      List<Term> members = new ArrayList<>();
      for (Term e : s.elements()) {
        if (!members.contains(e)) {
          members.add(e);
        }
      }
      members.sort(TERM_ORDER);
      return typed("set", terms(members));
    }
    if (t instanceof ObjectTerm o) {
      List<ObjectTerm.Entry> entries = new ArrayList<>();
      for (ObjectTerm.Entry e : o.entries()) {
        entries.removeIf(x -> x.key().equals(e.key())); // a repeated key keeps the last value
        entries.add(e);
      }
      entries.sort(Comparator.comparing(ObjectTerm.Entry::key, TERM_ORDER));
      List<Value> pairs = new ArrayList<>();
      for (ObjectTerm.Entry e : entries) {
        pairs.add(ArrayValue.of(term(e.key()), term(e.value())));
      }
      return typed("object", ArrayValue.of(pairs));
    }
    if (t instanceof ArrayCompr c) {
      return typed("arraycomprehension", ObjectValue.of("term", term(c.head()), "body", body(c.body(), false)));
    }
    if (t instanceof SetCompr c) {
      return typed("setcomprehension", ObjectValue.of("term", term(c.head()), "body", body(c.body(), false)));
    }
    if (t instanceof ObjectCompr c) {
      return typed("objectcomprehension", ObjectValue.of("key", term(c.key()), "value", term(c.value()),
          "body", body(c.body(), false)));
    }
    if (t instanceof Call c) {
      return typed("call", callArray(c));
    }
    TemplateString ts = (TemplateString) t;
    List<Value> parts = new ArrayList<>();
    for (Term p : ts.parts()) {
      if (p instanceof Scalar s && s.value() instanceof StringValue) {
        parts.add(term(p));
      } else {
        // an embedded expression is an expression of its own, as OPA parses it
        Expr.Kind kind = p instanceof Call c ? new Expr.CallExpr(c) : new Expr.TermExpr(p);
        parts.add(expr(new Expr(kind, false, List.of(), 0, p.location()), false));
      }
    }
    return typed("templatestring", ObjectValue.of("multi_line", BooleanValue.of(ts.raw()), "parts", ArrayValue.of(parts)));
  }

  /** A ground value as a term; Go marshals null as an empty struct. */
  static Value value(Value v) {
    if (v instanceof NullValue) {
      return typed("null", ObjectValue.EMPTY);
    }
    if (v instanceof BooleanValue) {
      return typed("boolean", v);
    }
    if (v instanceof NumberValue) {
      return typed("number", v);
    }
    if (v instanceof StringValue) {
      return typed("string", v);
    }
    if (v instanceof ArrayValue a) {
      List<Value> out = new ArrayList<>();
      for (Value e : a.elements()) {
        out.add(value(e));
      }
      return typed("array", ArrayValue.of(out));
    }
    if (v instanceof SetValue s) {
      List<Value> out = new ArrayList<>();
      for (Value e : s.sorted()) {
        out.add(value(e));
      }
      return typed("set", ArrayValue.of(out));
    }
    ObjectValue o = (ObjectValue) v;
    List<Value> pairs = new ArrayList<>();
    for (Value k : o.keys()) {
      pairs.add(ArrayValue.of(value(k), value(o.get(k))));
    }
    return typed("object", ArrayValue.of(pairs));
  }

  /** The parser names wildcards {@code $_N}; OPA's are {@code $N}. */
  private static String varName(String name) {
    return name.startsWith("$_") ? "$" + name.substring(2) : name;
  }

  /** OPA's term order, enough to sort object keys and set members as it marshals them. */
  static final Comparator<Term> TERM_ORDER = AstJson::compare;

  private static int rank(Term t) {
    if (t instanceof Scalar s) {
      return switch (s.value().typeName()) {
        case "null" -> 0;
        case "boolean" -> 1;
        case "number" -> 2;
        case "string" -> 3;
        case "array" -> 7;
        case "object" -> 8;
        default -> 9;
      };
    }
    if (t instanceof TemplateString) {
      return 4;
    }
    if (t instanceof Var) {
      return 5;
    }
    if (t instanceof Ref) {
      return 6;
    }
    if (t instanceof ArrayTerm) {
      return 7;
    }
    if (t instanceof ObjectTerm) {
      return 8;
    }
    if (t instanceof SetTerm) {
      return 9;
    }
    if (t instanceof ArrayCompr) {
      return 10;
    }
    if (t instanceof ObjectCompr) {
      return 11;
    }
    if (t instanceof SetCompr) {
      return 12;
    }
    return 13;
  }

  private static int compare(Term a, Term b) {
    int c = Integer.compare(rank(a), rank(b));
    if (c != 0) {
      return c;
    }
    if (a instanceof Scalar x && b instanceof Scalar y) {
      return x.value().compareTo(y.value());
    }
    if (a instanceof Var x && b instanceof Var y) {
      return x.name().compareTo(y.name());
    }
    if (a instanceof Ref x && b instanceof Ref y) {
      return compareLists(x.terms(), y.terms());
    }
    if (a instanceof ArrayTerm x && b instanceof ArrayTerm y) {
      return compareLists(x.elements(), y.elements());
    }
    if (a instanceof Call x && b instanceof Call y) {
      List<Term> xs = new ArrayList<>(List.of(x.operator()));
      xs.addAll(x.args());
      List<Term> ys = new ArrayList<>(List.of(y.operator()));
      ys.addAll(y.args());
      return compareLists(xs, ys);
    }
    return a.toString().compareTo(b.toString());
  }

  private static int compareLists(List<Term> a, List<Term> b) {
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      int c = compare(a.get(i), b.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.size(), b.size());
  }
}
