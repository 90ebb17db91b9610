package dev.gatehouse.cli;

import dev.gatehouse.engine.ast.ArrayCompr;
import dev.gatehouse.engine.ast.ArrayTerm;
import dev.gatehouse.engine.ast.Body;
import dev.gatehouse.engine.ast.Call;
import dev.gatehouse.engine.ast.Expr;
import dev.gatehouse.engine.ast.Import;
import dev.gatehouse.engine.ast.Location;
import dev.gatehouse.engine.ast.Module;
import dev.gatehouse.engine.ast.ObjectCompr;
import dev.gatehouse.engine.ast.ObjectTerm;
import dev.gatehouse.engine.ast.Ref;
import dev.gatehouse.engine.ast.Rule;
import dev.gatehouse.engine.ast.Scalar;
import dev.gatehouse.engine.ast.SetCompr;
import dev.gatehouse.engine.ast.SetTerm;
import dev.gatehouse.engine.ast.Term;
import dev.gatehouse.engine.ast.Var;
import dev.gatehouse.engine.ast.With;
import dev.gatehouse.engine.value.StringValue;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * An expression as opa's explanations print it: the compiled form, so {@code x := 1} and
 * {@code x == 1} are {@code x = 1}, other operators are calls ({@code gt(x, 2)}), and names of
 * rules and imports are their full paths ({@code data.t.allow}). opa also lifts nested calls
 * and iterations into expressions of their own with generated variables
 * ({@code count(__local8__, __local6__)}); those are not reproduced: such an expression is
 * printed whole.
 */
final class OpaExprText {
  private static final Pattern IDENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final Map<String, String> globals = new HashMap<>();
  private final Module module;

  private OpaExprText(Module module) {
    this.module = module;
    String pkg = module.pkg().path().toString();
    for (Rule r : module.rules()) {
      Term head = r.head().ref().terms().get(0);
      if (head instanceof Var v) {
        globals.put(v.name(), pkg + "." + v.name());
      }
    }
    for (Import imp : module.imports()) {
      String root = imp.path().terms().get(0).toString();
      if (root.equals("data") || root.equals("input")) {
        globals.put(imp.boundName(), imp.path().toString());
      }
    }
  }

  /** The text of the expression at the location, or null when the module has none there. */
  static String at(Module module, Location at) {
    if (module == null || at == null) {
      return null;
    }
    OpaExprText t = new OpaExprText(module);
    for (Rule r : module.rules()) {
      for (Rule x = r; x != null; x = x.elseRule()) {
        Expr e = find(x.body(), at);
        if (e != null) {
          return t.expr(e);
        }
      }
    }
    return null;
  }

  /** True when the expression at the location is a declaration ({@code some x}) opa never evaluates. */
  static boolean isDeclaration(Module module, Location at) {
    if (module == null || at == null) {
      return false;
    }
    for (Rule r : module.rules()) {
      for (Rule x = r; x != null; x = x.elseRule()) {
        Expr e = find(x.body(), at);
        if (e != null) {
          return e.kind() instanceof Expr.SomeDecl s && s.symbols().stream().allMatch(Var.class::isInstance);
        }
      }
    }
    return false;
  }

  private static Expr find(Body b, Location at) {
    if (b == null) {
      return null;
    }
    for (Expr e : b.exprs()) {
      if (e.location() != null && e.location().row() == at.row() && e.location().col() == at.col()) {
        return e;
      }
      Expr nested = null;
      if (e.kind() instanceof Expr.Every ev) {
        nested = find(ev.body(), at);
      } else if (e.kind() instanceof Expr.NotBody n) {
        nested = find(n.body(), at);
      } else if (e.kind() instanceof Expr.Logical l) {
        nested = find(l.lhs(), at);
        nested = nested != null ? nested : find(l.rhs(), at);
      }
      if (nested != null) {
        return nested;
      }
    }
    return null;
  }

  private String expr(Expr e) {
    StringBuilder sb = new StringBuilder();
    if (e.negated()) {
      sb.append("not ");
    }
    Expr.Kind k = e.kind();
    if (k instanceof Expr.CallExpr c) {
      sb.append(call(c.call(), true));
    } else if (k instanceof Expr.TermExpr t) {
      sb.append(t.term() instanceof Call c ? call(c, true) : term(t.term()));
    } else if (k instanceof Expr.Every ev) {
      sb.append("every ").append(ev.key() == null ? "" : term(ev.key()) + ", ").append(term(ev.value()))
          .append(" in ").append(term(ev.domain())).append(" { ").append(body(ev.body())).append(" }");
    } else if (k instanceof Expr.SomeDecl s && s.symbols().size() == 1 && s.symbols().get(0) instanceof Call c
        && c.name().startsWith("internal.member_")) {
      // opa prints the iteration it compiles this to, with a generated key variable
      List<Term> a = c.args();
      sb.append("some ").append(a.subList(0, a.size() - 1).stream().map(this::term).collect(Collectors.joining(", ")))
          .append(" in ").append(term(a.get(a.size() - 1)));
    } else {
      sb.append(k);
    }
    for (With w : e.with()) {
      sb.append(" with ").append(term(w.target())).append(" as ").append(term(w.value()));
    }
    return sb.toString();
  }

  private String call(Call c, boolean statement) {
    String name = c.name();
    List<Term> args = c.args();
    if (statement && args.size() == 2 && (name.equals("eq") || name.equals("assign") || name.equals("equal"))) {
      return term(args.get(0)) + " = " + term(args.get(1));
    }
    String fn = globals.getOrDefault(c.operator().terms().get(0) instanceof Var v ? v.name() : "", null);
    String callee = fn != null && c.operator().terms().size() == 1 ? fn : name;
    return args.stream().map(this::term).collect(Collectors.joining(", ", callee + "(", ")"));
  }

  private String term(Term t) {
    if (t instanceof Var v) {
      return globals.getOrDefault(v.name(), v.name());
    }
    if (t instanceof Scalar s) {
      return s.value() instanceof StringValue str ? dev.gatehouse.engine.value.Json.quote(str.value()) : s.value().toString();
    }
    if (t instanceof Ref r) {
      StringBuilder sb = new StringBuilder(term(r.terms().get(0)));
      for (Term op : r.terms().subList(1, r.terms().size())) {
        if (op instanceof Scalar s && s.value() instanceof StringValue str && IDENT.matcher(str.value()).matches()) {
          sb.append('.').append(str.value());
        } else {
          sb.append('[').append(term(op)).append(']');
        }
      }
      return sb.toString();
    }
    if (t instanceof Call c) {
      return call(c, false);
    }
    if (t instanceof ArrayTerm a) {
      return a.elements().stream().map(this::term).collect(Collectors.joining(", ", "[", "]"));
    }
    if (t instanceof SetTerm s) {
      return s.elements().isEmpty() ? "set()" : s.elements().stream().map(this::term).collect(Collectors.joining(", ", "{", "}"));
    }
    if (t instanceof ObjectTerm o) {
      return o.entries().stream().map(en -> term(en.key()) + ": " + term(en.value()))
          .collect(Collectors.joining(", ", "{", "}"));
    }
    if (t instanceof ArrayCompr c) {
      return "[" + term(c.head()) + " | " + body(c.body()) + "]";
    }
    if (t instanceof SetCompr c) {
      return "{" + term(c.head()) + " | " + body(c.body()) + "}";
    }
    if (t instanceof ObjectCompr c) {
      return "{" + term(c.key()) + ": " + term(c.value()) + " | " + body(c.body()) + "}";
    }
    return t.toString();
  }

  private String body(Body b) {
    return b.exprs().stream().map(this::expr).collect(Collectors.joining("; "));
  }

  Module module() {
    return module;
  }
}
