package dev.gatehouse.engine.compile;

import dev.gatehouse.engine.RegoError;
import dev.gatehouse.engine.ast.Location;
import dev.gatehouse.engine.types.Type;
import dev.gatehouse.engine.types.TypeOps;
import dev.gatehouse.engine.types.Types;
import dev.gatehouse.engine.value.NumberValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * OPA's builtin argument check ({@code rego_type_error: plus: invalid argument(s)}): types are
 * inferred from constants, comprehensions, builtin results and rule values along each compiled
 * body, and a builtin argument whose type is known and cannot be a value of the declared type is
 * an error. Input and base data are of unknown type, so only mistakes that are certain are
 * reported; references into missing keys are not checked.
 */
final class TypeCheck {
  private final RuleTree tree;
  private final Map<RuleTree.Node, Type> nodeTypes = new IdentityHashMap<>();
  private final Set<RuleTree.Node> inProgress = new HashSet<>();
  private final List<RegoError> errors = new ArrayList<>();
  private final Set<Location> reported = new HashSet<>();
  private boolean report;

  private TypeCheck(RuleTree tree) {
    this.tree = tree;
  }

  private Type inputType = Types.ANY;

  static List<RegoError> checkRules(RuleTree tree) {
    return checkRules(tree, null);
  }

  /** The rules' errors, with input of the given type (null: any). */
  static List<RegoError> checkRules(RuleTree tree, Type inputType) {
    TypeCheck tc = new TypeCheck(tree);
    if (inputType != null) {
      tc.inputType = inputType;
    }
    tc.report = true;
    tc.allRules(tree.root);
    return tc.errors;
  }

  /** One rule's errors (with its else branches), with input of the given type. */
  static List<RegoError> checkRule(RuleTree tree, Ir.Rule rule, Type inputType) {
    TypeCheck tc = new TypeCheck(tree);
    tc.inputType = inputType;
    tc.report = true;
    for (Ir.Rule cur = rule; cur != null; cur = cur.elseRule()) {
      tc.ruleTypes(cur);
    }
    return tc.errors;
  }

  static List<RegoError> checkQuery(RuleTree tree, Ir.Body body, int frameSize) {
    TypeCheck tc = new TypeCheck(tree);
    tc.report = true;
    tc.body(body, new Type[frameSize]);
    return tc.errors;
  }

  /**
   * {@code f()} calls of rules that are not functions: opa's type checker refuses them
   * ({@code undefined function data.pkg.f}) unless the rule's type is unknown.
   */
  static List<RegoError> zeroArgCalls(RuleTree tree, List<Compiler.ZeroArgCall> calls) {
    TypeCheck tc = new TypeCheck(tree);
    List<RegoError> out = new ArrayList<>();
    for (Compiler.ZeroArgCall c : calls) {
      RuleTree.Node n = tree.find(c.path());
      if (n != null && !Types.ANY.equals(tc.nodeType(n))) {
        out.add(new RegoError("rego_type_error", "undefined function data." + String.join(".", c.path()),
            c.location()));
      }
    }
    return out;
  }

  private void allRules(RuleTree.Node n) {
    for (Ir.Rule r : n.rules) {
      for (Ir.Rule cur = r; cur != null; cur = cur.elseRule()) {
        ruleTypes(cur);
      }
    }
    if (n.defaultRule != null) {
      ruleTypes(n.defaultRule);
    }
    for (RuleTree.Node c : n.children.values()) {
      allRules(c);
    }
  }

  /** Infers the body of a rule and returns the slot types (args are unknown). */
  private Type[] ruleTypes(Ir.Rule r) {
    Type[] slots = new Type[r.frameSize()];
    if (r.args() != null) {
      for (Ir.T a : r.args()) {
        bindPattern(a, Types.ANY, slots);
      }
    }
    body(r.body(), slots);
    for (Ir.T s : r.suffix()) {
      type(s, slots);
    }
    type(r.key(), slots);
    type(r.value(), slots);
    return slots;
  }

  /** The type of a rule node's document (a function node: its result). */
  private Type nodeType(RuleTree.Node n) {
    Type known = nodeTypes.get(n);
    if (known != null) {
      return known;
    }
    if (!inProgress.add(n) || n.hasRuleDescendants()) {
      return Types.ANY;
    }
    boolean saved = report;
    report = false;
    try {
      List<Type> values = new ArrayList<>();
      boolean multi = false;
      boolean object = false;
      List<Ir.Rule> all = new ArrayList<>(n.rules);
      if (n.defaultRule != null) {
        all.add(n.defaultRule);
      }
      for (Ir.Rule r : all) {
        for (Ir.Rule cur = r; cur != null; cur = cur.elseRule()) {
          Type[] slots = ruleTypes(cur);
          if (cur.kind() == Ir.RuleKind.MULTI_VALUE) {
            multi = true;
            values.add(orAny(type(cur.key(), slots)));
          } else {
            values.add(orAny(type(cur.value(), slots)));
          }
          object |= cur.suffix().length > 0;
        }
      }
      Type t = TypeOps.or(values);
      if (t == null) {
        t = Types.ANY;
      }
      if (object) {
        t = Types.ANY; // ref heads with variables: the object's shape depends on the solutions
      } else if (multi) {
        t = Types.setOf(t);
      }
      nodeTypes.put(n, t);
      return t;
    } finally {
      report = saved;
      inProgress.remove(n);
    }
  }

  private void body(Ir.Body b, Type[] slots) {
    for (Ir.E e : b.exprs()) {
      expr(e, slots);
    }
  }

  private void expr(Ir.E e, Type[] slots) {
    if (e instanceof Ir.Unify u) {
      Type l = type(u.left(), slots);
      Type r = type(u.right(), slots);
      matches(u.left(), l, u.right(), r, u.location());
      // opa leaves a variable untyped when it is bound to a reference whose type holds the empty
      // set (a set of nothing); from a literal it takes the literal's type
      bindPattern(u.left(), u.right() instanceof Ir.Ref && r != null && emptySet(r) ? Types.ANY : r, slots);
      bindPattern(u.right(), u.left() instanceof Ir.Ref && l != null && emptySet(l) ? Types.ANY : l, slots);
    } else if (e instanceof Ir.TermE t) {
      type(t.term(), slots);
    } else if (e instanceof Ir.CallE c) {
      if (c.callee() instanceof Ir.BuiltinCallee b && b.name().equals("equal") && c.out() == null
          && c.args().length == 2) {
        // opa rewrites a == b to a = b before its type check: both sides must unify
        matches(c.args()[0], type(c.args()[0], slots), c.args()[1], type(c.args()[1], slots), c.location());
      }
      Type result = call(c.callee(), c.args(), c.out(), true, c.location(), slots);
      if (c.out() != null) {
        bindPattern(c.out(), result, slots);
      }
    } else if (e instanceof Ir.SomeIn s) {
      Type d = TypeOps.unwrap(type(s.domain(), slots));
      Type key = Types.ANY;
      Type value = Types.ANY;
      if (d instanceof Type.Arr a) {
        key = Types.NUMBER;
        value = elementsOf(a);
      } else if (d instanceof Type.SetOf set && set.of() != null) {
        key = set.of();
        value = set.of();
      } else if (d instanceof Type.Obj o) { // keys and values as opa types an object's members
        List<Type> keys = new ArrayList<>();
        List<Type> values = new ArrayList<>();
        for (Type.Property p : o.staticProps()) {
          keys.add(p.key() instanceof dev.gatehouse.engine.value.Value v ? TypeOps.of(v) : Types.STRING);
          values.add(p.value());
        }
        if (o.dynamicKey() != null) {
          keys.add(o.dynamicKey());
          values.add(o.dynamicValue());
        }
        key = orAny(TypeOps.or(keys));
        value = orAny(TypeOps.or(values));
      }
      if (s.key() != null) {
        bindPattern(s.key(), key, slots);
      }
      bindPattern(s.value(), value, slots);
    } else if (e instanceof Ir.Every ev) {
      type(ev.domain(), slots);
      if (ev.key() != null) {
        slots[ev.key().slot()] = Types.ANY;
      }
      slots[ev.value().slot()] = Types.ANY;
      body(ev.body(), slots);
    } else if (e instanceof Ir.Not n) {
      expr(n.inner(), slots);
    } else if (e instanceof Ir.NotBody n) {
      body(n.body(), slots);
    } else if (e instanceof Ir.Logical l) {
      body(l.lhs(), slots);
      body(l.rhs(), slots);
    } else if (e instanceof Ir.WithE w) {
      for (Ir.With with : w.withs()) {
        if (with.value() != null) {
          type(with.value(), slots);
        }
      }
      expr(w.inner(), slots);
    }
  }

  /**
   * opa's {@code match error} for {@code a = b} (and {@code a == b}): both sides have known types
   * that no value can have at once ({@code {"x": 1} == {"a": "s"}}). A side with an unbound
   * local is a pattern and is not compared here.
   */
  private void matches(Ir.T lt, Type l, Ir.T rt, Type r, Location at) {
    if (!report || l == null || r == null) {
      return;
    }
    // opa types the empty set as a set of nothing ("set"), which unifies with no set type: two
    // sides holding one never match; with one such side, the other side's type must fit its
    // shape (a set of nothing taking any set)
    boolean nilL = emptySet(l);
    boolean nilR = emptySet(r);
    boolean bad;
    if (nilL && nilR) {
      bad = true;
    } else if (nilL || nilR) {
      bad = !TypeOps.unifies(l, r);
    } else {
      bad = !TypeOps.unifies(l, r);
    }
    if (!bad || !reported.add(at)) {
      return;
    }
    String msg = "match error\n\tleft  : " + TypeOps.render(l) + "\n\tright : " + TypeOps.render(r);
    Type ul = TypeOps.unwrap(l);
    Type ur = TypeOps.unwrap(r);
    String both = ul instanceof Type.Obj && ur instanceof Type.Obj ? "objects"
        : ul instanceof Type.Arr && ur instanceof Type.Arr ? "arrays"
        : ul instanceof Type.SetOf && ur instanceof Type.SetOf ? "sets" : null;
    if (both != null) { // opa 1.x adds a hint when the sides are of one kind
      msg += "\n\thint  : both sides are " + both + " but their types differ, so they can never be equal"
          + " (see https://www.openpolicyagent.org/docs/errors/rego-type-error/match-error)";
    }
    java.util.Map<String, Value> details = new java.util.LinkedHashMap<>();
    details.put("a", dev.gatehouse.engine.types.TypeJson.toValue(l));
    details.put("b", dev.gatehouse.engine.types.TypeJson.toValue(r));
    errors.add(new RegoError("rego_type_error", msg, at, details));
  }

  /** True when the type holds opa's type of the empty set (a set of nothing) anywhere. */
  private static boolean emptySet(Type t) {
    Type u = TypeOps.unwrap(t);
    if (u instanceof Type.SetOf s) {
      return s.of() == null || emptySet(s.of());
    }
    if (u instanceof Type.Arr a) {
      return a.staticTypes().stream().anyMatch(TypeCheck::emptySet) || a.dynamic() != null && emptySet(a.dynamic());
    }
    if (u instanceof Type.Obj o) {
      return o.staticProps().stream().anyMatch(p -> emptySet(p.value()))
          || o.dynamicValue() != null && emptySet(o.dynamicValue());
    }
    if (u instanceof Type.Any a) {
      return a.of().stream().anyMatch(TypeCheck::emptySet);
    }
    return false;
  }

  /** Gives unbound locals in a pattern the types of what they are unified with. */
  private void bindPattern(Ir.T p, Type t, Type[] slots) {
    if (p instanceof Ir.Local l) {
      if (slots[l.slot()] == null) {
        slots[l.slot()] = t == null ? Types.ANY : t;
      }
    } else if (p instanceof Ir.Arr a) {
      Type u = t == null ? null : TypeOps.unwrap(t);
      for (int i = 0; i < a.elems().length; i++) {
        bindPattern(a.elems()[i], u instanceof Type.Arr at ? TypeOps.element(at, i) : Types.ANY, slots);
      }
    } else if (p instanceof Ir.Obj o) {
      Type u = t == null ? null : TypeOps.unwrap(t);
      for (int i = 0; i < o.keys().length; i++) {
        Type v = Types.ANY;
        if (u instanceof Type.Obj ot && o.keys()[i] instanceof Ir.Const k && k.value() instanceof StringValue s) {
          v = TypeOps.property(ot, s.value());
        }
        bindPattern(o.values()[i], v, slots);
      }
    }
  }

  private static Type elementsOf(Type.Arr a) {
    List<Type> all = new ArrayList<>(a.staticTypes());
    all.add(a.dynamic());
    Type t = TypeOps.or(all);
    return t == null ? Types.ANY : t;
  }

  /** The type of a term; null for a local not bound yet. */
  private Type type(Ir.T t, Type[] slots) {
    if (t == null) {
      return null;
    }
    if (t instanceof Ir.Const c) {
      return TypeOps.of(c.value());
    }
    if (t instanceof Ir.Local l) {
      return slots[l.slot()];
    }
    if (t instanceof Ir.Ref r) {
      return ref(r, slots);
    }
    if (t instanceof Ir.Arr a) {
      List<Type> elems = new ArrayList<>();
      for (Ir.T x : a.elems()) {
        Type et = type(x, slots);
        elems.add(et == null ? Types.ANY : et);
      }
      return new Type.Arr(elems, null);
    }
    if (t instanceof Ir.Obj o) {
      List<Type.Property> props = new ArrayList<>();
      boolean constKeys = true;
      List<Type> values = new ArrayList<>();
      for (int i = 0; i < o.keys().length; i++) {
        type(o.keys()[i], slots);
        Type v = type(o.values()[i], slots);
        values.add(v == null ? Types.ANY : v);
        if (o.keys()[i] instanceof Ir.Const k && k.value() instanceof StringValue s) {
          props.add(new Type.Property(s.value(), v == null ? Types.ANY : v));
        } else {
          constKeys = false;
        }
      }
      return constKeys ? new Type.Obj(props, null, null) : Types.objectOf(Types.ANY, TypeOps.or(values));
    }
    if (t instanceof Ir.SetT s) {
      List<Type> elems = new ArrayList<>();
      for (Ir.T x : s.elems()) {
        elems.add(type(x, slots));
      }
      Type of = TypeOps.or(elems);
      return Types.setOf(of == null ? Types.ANY : of);
    }
    if (t instanceof Ir.ArrCompr c) {
      body(c.body(), slots);
      return Types.arrayOf(orAny(type(c.head(), slots)));
    }
    if (t instanceof Ir.SetCompr c) {
      body(c.body(), slots);
      return Types.setOf(orAny(type(c.head(), slots)));
    }
    if (t instanceof Ir.ObjCompr c) {
      body(c.body(), slots);
      return Types.objectOf(orAny(type(c.key(), slots)), orAny(type(c.value(), slots)));
    }
    if (t instanceof Ir.CallT c) {
      return call(c.callee(), c.args(), null, false, c.location(), slots);
    }
    if (t instanceof Ir.Template tp) {
      for (Ir.T p : tp.parts()) {
        type(p, slots);
      }
      return Types.STRING;
    }
    if (t instanceof Ir.Modified m) {
      return type(m.term(), slots);
    }
    return Types.ANY;
  }

  private static Type orAny(Type t) {
    return t == null ? Types.ANY : t;
  }

  private Type ref(Ir.Ref r, Type[] slots) {
    Type t;
    int i = 0;
    Ir.T[] ops = r.ops();
    if (r.root() == Ir.Root.INPUT) {
      t = inputType;
    } else if (r.root() == Ir.Root.TERM) {
      t = type(r.head(), slots);
      if (t == null) {
        t = Types.ANY;
      }
    } else {
      RuleTree.Node n = tree.root;
      t = Types.ANY;
      while (true) {
        if (n.hasRules()) {
          t = n.isFunction() ? Types.ANY : nodeType(n);
          break;
        }
        if (i == ops.length || !(ops[i] instanceof Ir.Const c && c.value() instanceof StringValue s)) {
          break;
        }
        n = n.child(s.value());
        i++;
        if (n == null) {
          break;
        }
      }
    }
    for (; i < ops.length; i++) {
      Ir.T op = ops[i];
      if (op instanceof Ir.Local l && slots[l.slot()] == null) {
        slots[l.slot()] = Types.ANY; // bound by iterating the reference
      } else {
        type(op, slots);
      }
      undefinedRef(r, i, t);
      t = select(t, op);
    }
    return t;
  }

  /**
   * opa's {@code undefined ref}: a constant key that a known, closed object type does not have
   * ({@code f(1).b} when f returns {@code {"a": x}}), an index a known array cannot hold, or any
   * key into a scalar. Reported with the reference as opa prints it, a caret under the key and
   * what was had and wanted.
   */
  private void undefinedRef(Ir.Ref r, int i, Type t) {
    if (!report || !(r.ops()[i] instanceof Ir.Const c) || t == null) {
      return;
    }
    Type u = TypeOps.unwrap(t);
    String have;
    String want;
    boolean scalar = false;
    // opa's details object: what the key should have been (and the keys there are), or the type had
    java.util.Map<String, Value> details = new java.util.LinkedHashMap<>();
    if (u instanceof Type.Obj o && o.dynamicValue() == null && o.dynamicKey() == null) {
      if (TypeOps.property(o, c.value() instanceof StringValue sv ? sv.value() : c.value()) != null) {
        return;
      }
      List<String> keys = new ArrayList<>();
      for (Type.Property p : o.staticProps()) {
        keys.add(p.key() instanceof String k ? dev.gatehouse.engine.value.Json.quote(k) : String.valueOf(p.key()));
      }
      java.util.Collections.sort(keys);
      have = c.value().toString();
      want = "want (one of): [" + String.join(" ", keys) + "]";
      List<Value> oneOf = new ArrayList<>();
      List<Object> sortedKeys = new ArrayList<>();
      for (Type.Property p : o.staticProps()) {
        sortedKeys.add(p.key());
      }
      sortedKeys.sort(java.util.Comparator.comparing(k -> k instanceof String ks ? (Value) StringValue.of(ks)
          : k instanceof Value kv ? kv : StringValue.of(String.valueOf(k))));
      for (Object k : sortedKeys) {
        oneOf.add(k instanceof String ks ? StringValue.of(ks) : k instanceof Value kv ? kv : StringValue.of(String.valueOf(k)));
      }
      details.put("want", dev.gatehouse.engine.types.TypeJson.toValue(Types.STRING));
      details.put("oneOf", dev.gatehouse.engine.value.ArrayValue.of(oneOf));
    } else if (u instanceof Type.Arr a) {
      boolean inRange = c.value() instanceof NumberValue n && n.isLong() && n.longValue() >= 0
          && (a.dynamic() != null || n.longValue() < a.staticTypes().size());
      if (inRange || (a.dynamic() != null && c.value() instanceof NumberValue)) {
        return;
      }
      have = c.value().toString();
      want = "want (type): number";
      details.put("want", dev.gatehouse.engine.types.TypeJson.toValue(Types.NUMBER));
      details.put("oneOf", dev.gatehouse.engine.value.NullValue.INSTANCE);
    } else if (u instanceof Type.Str || u instanceof Type.Num || u instanceof Type.Bool || u instanceof Type.Null) {
      have = TypeOps.render(u);
      want = null;
      scalar = true;
      details.put("have", dev.gatehouse.engine.types.TypeJson.toValue(u));
    } else {
      return;
    }
    String[] text = refText(r, i);
    if (text == null) {
      return; // a generated name in the reference: opa shows the term it stands for
    }
    Location at = r.location();
    if (at == null || !reported.add(at)) {
      return;
    }
    String full = text[0];
    // a missing key: a caret under it; a key into a scalar: carets under the scalar's reference
    String pad = scalar ? "" : " ".repeat(Integer.parseInt(text[1]));
    String marks = "^".repeat(scalar ? Integer.parseInt(text[2]) : 1);
    StringBuilder msg = new StringBuilder("undefined ref: ").append(full).append("\n\t").append(full)
        .append("\n\t").append(pad).append(marks).append("\n\t").append(pad).append("have: ").append(have);
    if (want != null) {
      msg.append("\n\t").append(pad).append(want);
    }
    List<Value> terms = refTerms(r);
    java.util.Map<String, Value> all = null;
    if (terms != null) {
      all = new java.util.LinkedHashMap<>();
      all.put("ref", dev.gatehouse.engine.value.ArrayValue.of(terms));
      all.put("pos", NumberValue.of(scalar ? i : i + 1)); // a key into a scalar: the scalar's term
      all.putAll(details);
    }
    errors.add(new RegoError("rego_type_error", msg.toString(), at, all));
  }

  /**
   * The whole reference as opa prints it, the column (0-based) of op i's key, and the length of
   * the text before op i; null when the reference holds a generated local.
   */
  private static String[] refText(Ir.Ref r, int i) {
    StringBuilder sb = new StringBuilder();
    if (r.root() == Ir.Root.DATA) {
      sb.append("data");
    } else if (r.root() == Ir.Root.INPUT) {
      sb.append("input");
    } else if (!termText(r.head(), sb)) {
      return null;
    }
    int caret = -1;
    int prefix = -1;
    for (int j = 0; j < r.ops().length; j++) {
      Ir.T op = r.ops()[j];
      if (j == i) {
        prefix = sb.length();
      }
      if (op instanceof Ir.Const c && c.value() instanceof StringValue s && s.value().matches("[A-Za-z_][A-Za-z0-9_]*")) {
        sb.append('.');
        if (j == i) {
          caret = sb.length();
        }
        sb.append(s.value());
      } else {
        sb.append('[');
        if (j == i) {
          caret = sb.length();
        }
        if (!termText(op, sb)) {
          return null;
        }
        sb.append(']');
      }
    }
    return new String[] {sb.toString(), Integer.toString(caret), Integer.toString(prefix)};
  }

  /**
   * The reference's terms in opa's AST JSON ({@code {"type": "var", "value": "input"}}, ...) for
   * an error's details; null when a term is not a constant or a named variable.
   */
  private static List<Value> refTerms(Ir.Ref r) {
    List<Value> out = new ArrayList<>();
    if (r.root() == Ir.Root.DATA || r.root() == Ir.Root.INPUT) {
      out.add(astTerm("var", StringValue.of(r.root() == Ir.Root.DATA ? "data" : "input")));
    } else if (r.head() instanceof Ir.Local l && !l.name().startsWith("$")) {
      out.add(astTerm("var", StringValue.of(l.name())));
    } else if (r.head() instanceof Ir.Const c && constTerm(c.value()) != null) {
      out.add(constTerm(c.value()));
    } else {
      return null;
    }
    for (Ir.T op : r.ops()) {
      Value v = op instanceof Ir.Const c ? constTerm(c.value())
          : op instanceof Ir.Local l && !l.name().startsWith("$") ? astTerm("var", StringValue.of(l.name())) : null;
      if (v == null) {
        return null;
      }
      out.add(v);
    }
    return out;
  }

  /** A constant as an AST JSON term (scalars, arrays of them); null for others. */
  private static Value constTerm(Value v) {
    if (v instanceof StringValue) {
      return astTerm("string", v);
    }
    if (v instanceof NumberValue) {
      return astTerm("number", v);
    }
    if (v instanceof dev.gatehouse.engine.value.BooleanValue) {
      return astTerm("boolean", v);
    }
    if (v instanceof dev.gatehouse.engine.value.NullValue) {
      return astTerm("null", v);
    }
    if (v instanceof dev.gatehouse.engine.value.ArrayValue a) {
      List<Value> elems = new ArrayList<>();
      for (Value e : a.elements()) {
        Value t = constTerm(e);
        if (t == null) {
          return null;
        }
        elems.add(t);
      }
      return astTerm("array", dev.gatehouse.engine.value.ArrayValue.of(elems));
    }
    return null;
  }

  private static Value astTerm(String type, Value value) {
    return dev.gatehouse.engine.value.ObjectValue.of("type", StringValue.of(type), "value", value);
  }

  private static boolean termText(Ir.T t, StringBuilder sb) {
    if (t instanceof Ir.Const c) {
      sb.append(c.value());
      return true;
    }
    if (t instanceof Ir.Local l) {
      if (l.name().startsWith("$")) {
        return false;
      }
      sb.append(l.name());
      return true;
    }
    if (t instanceof Ir.Arr a) {
      sb.append('[');
      for (int j = 0; j < a.elems().length; j++) {
        sb.append(j == 0 ? "" : ", ");
        if (!termText(a.elems()[j], sb)) {
          return false;
        }
      }
      sb.append(']');
      return true;
    }
    if (t instanceof Ir.CallT c && c.callee() instanceof Ir.FunctionCallee f) {
      sb.append("data.").append(String.join(".", f.path())).append('(');
      for (int j = 0; j < c.args().length; j++) {
        sb.append(j == 0 ? "" : ", ");
        if (!termText(c.args()[j], sb)) {
          return false;
        }
      }
      sb.append(')');
      return true;
    }
    return false;
  }

  private static Type select(Type t, Ir.T op) {
    Type u = TypeOps.unwrap(t);
    if (u instanceof Type.Arr a) {
      if (op instanceof Ir.Const c && c.value() instanceof NumberValue n && n.isLong()) {
        Type e = TypeOps.element(a, (int) Math.min(Integer.MAX_VALUE, Math.max(0, n.longValue())));
        return e == null ? Types.ANY : e;
      }
      return elementsOf(a);
    }
    if (u instanceof Type.Obj o) {
      if (op instanceof Ir.Const c && c.value() instanceof StringValue s) {
        Type p = TypeOps.property(o, s.value());
        return p == null ? Types.ANY : p;
      }
      List<Type> values = new ArrayList<>();
      for (Type.Property p : o.staticProps()) {
        values.add(p.value());
      }
      values.add(o.dynamicValue());
      return orAny(TypeOps.or(values));
    }
    if (u instanceof Type.SetOf s && s.of() != null) {
      return s.of();
    }
    return Types.ANY;
  }

  /** Checks a call's arguments against its declaration and returns its result type. */
  private Type call(Ir.Callee callee, Ir.T[] args, Ir.T out, boolean statement, Location at, Type[] slots) {
    Type[] have = new Type[args.length];
    for (int i = 0; i < args.length; i++) {
      have[i] = type(args[i], slots);
    }
    if (callee instanceof Ir.FunctionCallee f) {
      RuleTree.Node n = tree.find(f.path());
      return n == null ? Types.ANY : nodeType(n);
    }
    Type.Func decl = ((Ir.BuiltinCallee) callee).builtin().decl();
    for (int i = 0; i < args.length; i++) {
      Type want = i < decl.args().size() ? decl.args().get(i) : decl.variadic();
      if (want != null && have[i] != null && !TypeOps.unifies(have[i], want)) {
        reportArgs(callee.name(), have, out, statement, decl, at, slots);
        break;
      }
    }
    return decl.result() == null ? Types.ANY : TypeOps.unwrap(decl.result());
  }

  private void reportArgs(String name, Type[] have, Ir.T out, boolean statement, Type.Func decl, Location at,
      Type[] slots) {
    if (!report || !reported.add(at)) {
      return;
    }
    List<Type> haveList = new ArrayList<>(List.of(have));
    if (out != null) {
      haveList.add(type(out, slots));
    } else if (!statement && decl.result() != null) {
      haveList.add(null);
    }
    List<Type> wantList = new ArrayList<>(decl.args());
    if (decl.result() != null) {
      wantList.add(decl.result());
    }
    String haveLine = "have: " + render(haveList, false, null);
    String wantLine = "want: " + render(wantList, false, decl.variadic());
    if (haveLine.length() > 80 || wantLine.length() > 80) {
      haveLine = "have: " + render(haveList, true, null);
      wantLine = "want: " + render(wantList, true, decl.variadic());
    }
    java.util.Map<String, Value> details = new java.util.LinkedHashMap<>();
    details.put("have", typesJson(haveList));
    Map<Value, Value> want = new java.util.LinkedHashMap<>();
    want.put(StringValue.of("args"), typesJson(wantList));
    if (decl.variadic() != null) {
      want.put(StringValue.of("variadic"), dev.gatehouse.engine.types.TypeJson.toValue(decl.variadic()));
    }
    details.put("want", dev.gatehouse.engine.value.ObjectValue.of(want));
    errors.add(new RegoError("rego_type_error", name + ": invalid argument(s)\n\t" + haveLine + "\n\t" + wantLine, at,
        details));
  }

  private static Value typesJson(List<Type> ts) {
    List<Value> out = new ArrayList<>();
    for (Type t : ts) {
      out.add(t == null ? dev.gatehouse.engine.value.NullValue.INSTANCE : dev.gatehouse.engine.types.TypeJson.toValue(t));
    }
    return dev.gatehouse.engine.value.ArrayValue.of(out);
  }

  private static String render(List<Type> ts, boolean shorten, Type variadic) {
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < ts.size(); i++) {
      sb.append(i == 0 ? "" : ", ").append(shorten ? TypeOps.renderShort(ts.get(i)) : TypeOps.render(ts.get(i)));
    }
    if (variadic != null) {
      sb.append(ts.isEmpty() ? "" : ", ").append(shorten ? TypeOps.renderShort(variadic) : TypeOps.render(variadic))
          .append("...");
    }
    return sb.append(')').toString();
  }
}
