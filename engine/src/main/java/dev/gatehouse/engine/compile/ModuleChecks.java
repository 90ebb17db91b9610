package dev.gatehouse.engine.compile;

import dev.gatehouse.engine.RegoError;
import dev.gatehouse.engine.ast.ArrayCompr;
import dev.gatehouse.engine.ast.ArrayTerm;
import dev.gatehouse.engine.ast.Body;
import dev.gatehouse.engine.ast.Call;
import dev.gatehouse.engine.ast.Expr;
import dev.gatehouse.engine.ast.Import;
import dev.gatehouse.engine.ast.Module;
import dev.gatehouse.engine.ast.ObjectCompr;
import dev.gatehouse.engine.ast.ObjectTerm;
import dev.gatehouse.engine.ast.Ref;
import dev.gatehouse.engine.ast.Rule;
import dev.gatehouse.engine.ast.SetCompr;
import dev.gatehouse.engine.ast.SetTerm;
import dev.gatehouse.engine.ast.TemplateString;
import dev.gatehouse.engine.ast.Term;
import dev.gatehouse.engine.ast.Var;
import dev.gatehouse.engine.ast.With;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Source-level checks OPA v1 makes on every module (an import may not shadow another, a variable
 * may not be named {@code input} or {@code data}) and, in strict mode, the unused-name checks
 * (imports, assigned variables, function arguments).
 */
public final class ModuleChecks {
  private ModuleChecks() {}

  public static List<RegoError> check(Module m, boolean strict) {
    List<RegoError> errors = new ArrayList<>();
    Map<String, Import> bound = new HashMap<>();
    for (Import imp : m.imports()) {
      String root = imp.path().head() instanceof Var v ? v.name() : "";
      if (!root.equals("data") && !root.equals("input")) {
        continue;
      }
      if (strict && !isUsed(m, imp.boundName())) {
        errors.add(new RegoError("rego_compile_error", "import " + describe(imp) + " unused", imp.location()));
      }
      Import previous = bound.putIfAbsent(imp.boundName(), imp);
      if (previous != null) {
        errors.add(new RegoError("rego_compile_error", "import must not shadow import " + describe(previous),
            imp.location()));
      }
    }
    for (Rule r : m.rules()) {
      for (Rule cur = r; cur != null; cur = cur.elseRule()) {
        checkRule(cur, strict, errors);
        if (strict && m.regoVersion() == dev.gatehouse.engine.ast.RegoVersion.V0) {
          deprecatedCalls(cur, errors);
        }
      }
      if (strict) {
        checkArguments(r, errors);
      }
    }
    errors.sort((a, b) -> Integer.compare(a.location().row(), b.location().row()));
    return errors;
  }

  private static String describe(Import imp) {
    return imp.path() + (imp.alias() == null ? "" : " as " + imp.alias().name());
  }

  private static boolean isUsed(Module m, String name) {
    boolean[] used = {false};
    for (Rule r : m.rules()) {
      for (Rule cur = r; cur != null && !used[0]; cur = cur.elseRule()) {
        visitRuleTerms(cur, t -> {
          if (t instanceof Var v && v.name().equals(name)) {
            used[0] = true;
          }
        });
      }
    }
    return used[0];
  }

  /** The rule body and the bodies of comprehensions in its head. */
  private static void ruleBodies(Rule r, Consumer<Body> visit) {
    visitBodies(r.body(), visit);
    var head = r.head();
    for (Term t : head.ref().terms()) {
      closures(t, visit);
    }
    if (head.key() != null) {
      closures(head.key(), visit);
    }
    if (head.value() != null) {
      closures(head.value(), visit);
    }
  }

  /** Names of the deprecated builtins (re_match, all, any, ...): v0's strict mode refuses calls of them. */
  private static final Set<String> DEPRECATED = deprecated();

  private static Set<String> deprecated() {
    Set<String> out = new HashSet<>();
    for (dev.gatehouse.engine.builtins.Builtin b : dev.gatehouse.engine.builtins.BuiltinRegistry.defaults().all()) {
      if (b.deprecated()) {
        out.add(b.name());
      }
    }
    return out;
  }

  /**
   * opa's strict mode in a v0 module: an expression calling a deprecated builtin is an error
   * (in v1 those builtins do not exist and the compiler says so).
   */
  private static void deprecatedCalls(Rule r, List<RegoError> errors) {
    ruleBodies(r, body -> {
      for (Expr e : body.exprs()) {
        List<String> names = new ArrayList<>();
        if (e.kind() instanceof Expr.CallExpr ce && DEPRECATED.contains(ce.call().name())) {
          names.add(ce.call().name());
        }
        visitExprTerms(e, t -> {
          if (t instanceof Call c && DEPRECATED.contains(c.name()) && !names.contains(c.name())) {
            names.add(c.name());
          }
        });
        if (!names.isEmpty()) {
          errors.add(new RegoError("rego_type_error", "deprecated built-in function calls in expression: "
              + String.join(", ", names), e.location()));
        }
      }
    });
  }

  private static void checkRule(Rule r, boolean strict, List<RegoError> errors) {
    // rules and function arguments must not be called input or data either
    String name = r.head().name();
    if (name.equals("input") || name.equals("data")) {
      errors.add(new RegoError("rego_compile_error", "rules must not shadow " + name + " (use a different rule name)",
          r.location()));
    }
    if (r.head().args() != null) {
      for (Term a : r.head().args()) {
        String arg = a instanceof Var v ? v.name() : a instanceof Ref ref && ref.size() == 1 && ref.head() instanceof Var v
            ? v.name() : null;
        if ("input".equals(arg) || "data".equals(arg)) {
          errors.add(new RegoError("rego_compile_error", "args must not shadow " + arg
              + " (use a different variable name)", a.location()));
        }
      }
    }
    // variables declared by := and some must not be called input or data; := may not declare a
    // variable again in the same body (opa: "var x assigned above" / "var x declared above")
    ruleBodies(r, body -> {
      Map<String, String> declared = new HashMap<>();
      for (Expr e : body.exprs()) {
        if (e.kind() instanceof Expr.CallExpr ce && ce.call().name().equals("assign")) {
          for (Var v : patternVars(ce.call().args().get(0))) {
            String how = v.isWildcard() ? null : declared.get(v.name());
            if (how != null) {
              errors.add(new RegoError("rego_compile_error", "var " + v.name() + " " + how + " above", e.location()));
            }
          }
        }
        for (Var v : declaredBy(e)) {
          declared.putIfAbsent(v.name(), e.kind() instanceof Expr.SomeDecl ? "declared" : "assigned");
        }
        for (Var v : declaredBy(e)) {
          if (v.name().equals("input") || v.name().equals("data")) {
            errors.add(new RegoError("rego_compile_error",
                "variables must not shadow " + v.name() + " (use a different variable name)", e.location()));
          }
        }
      }
    });
    if (!strict) {
      return;
    }
    Map<String, Integer> uses = new HashMap<>();
    visitRuleTerms(r, t -> {
      if (t instanceof Var v) {
        uses.merge(v.name(), 1, Integer::sum);
      }
    });
    Set<String> reported = new HashSet<>();
    // opa checks declared (some, every) variables only where no assigned variable was unused
    List<RegoError> declaredUnused = new ArrayList<>();
    int before = errors.size();
    ruleBodies(r, body -> {
      for (Expr e : body.exprs()) {
        if (e.kind() instanceof Expr.CallExpr ce && ce.call().name().equals("assign")) {
          for (Var v : patternVars(ce.call().args().get(0))) {
            if (!v.isWildcard() && !v.isGenerated() && uses.getOrDefault(v.name(), 0) <= 1 && reported.add(v.name())) {
              errors.add(new RegoError("rego_compile_error", "assigned var " + v.name() + " unused", e.location()));
            }
          }
        } else if (e.kind() instanceof Expr.SomeDecl sd) { // `some y` declares y; it must be used
          for (Term t : sd.symbols()) {
            if (t instanceof Var v && !v.isWildcard() && uses.getOrDefault(v.name(), 0) <= 1 && reported.add(v.name())) {
              declaredUnused.add(new RegoError("rego_compile_error", "declared var " + v.name() + " unused", e.location()));
            }
          }
        } else if (e.kind() instanceof Expr.Every ev) { // every's variables must be used in its body
          Map<String, Integer> inBody = new HashMap<>();
          visitBody(ev.body(), t -> {
            if (t instanceof Var v) {
              inBody.merge(v.name(), 1, Integer::sum);
            }
          });
          for (Term t : java.util.Arrays.asList(ev.key(), ev.value())) {
            if (t instanceof Var v && !v.isWildcard() && !v.isGenerated() && !inBody.containsKey(v.name())) {
              declaredUnused.add(new RegoError("rego_compile_error", "declared var " + v.name() + " unused", e.location()));
            }
          }
        }
      }
    });
    if (errors.size() == before) {
      errors.addAll(declaredUnused);
    }
  }

  /** A function argument is used when any branch of its else chain uses it. */
  private static void checkArguments(Rule r, List<RegoError> errors) {
    if (r.head().args() == null) {
      return;
    }
    Map<String, Integer> uses = new HashMap<>();
    for (Rule cur = r; cur != null; cur = cur.elseRule()) {
      boolean first = cur == r;
      visitRuleTerms(cur, t -> {
        if (t instanceof Var v) {
          uses.merge(v.name(), 1, Integer::sum);
        }
      });
      if (!first && cur.head().args() != null) {
        // an else branch repeats the arguments in its head: those are declarations, not uses
        for (Term a : cur.head().args()) {
          for (Var v : patternVars(a)) {
            uses.merge(v.name(), -1, Integer::sum);
          }
        }
      }
    }
    for (Term a : r.head().args()) {
      for (Var v : patternVars(a)) {
        if (!v.isWildcard() && !v.isGenerated() && uses.getOrDefault(v.name(), 0) <= 1) {
          errors.add(new RegoError("rego_compile_error",
              "unused argument " + v.name() + ". (hint: use _ (wildcard variable) instead)", r.head().location()));
        }
      }
    }
  }

  private static List<Var> declaredBy(Expr e) {
    List<Var> out = new ArrayList<>();
    if (e.kind() instanceof Expr.CallExpr ce && ce.call().name().equals("assign")) {
      out.addAll(patternVars(ce.call().args().get(0)));
    } else if (e.kind() instanceof Expr.SomeDecl sd) {
      for (Term s : sd.symbols()) {
        if (s instanceof Var v) {
          out.add(v);
        } else if (s instanceof Call member) {
          for (int i = 0; i < member.args().size() - 1; i++) {
            out.addAll(patternVars(member.args().get(i)));
          }
        }
      }
    }
    return out;
  }

  private static List<Var> patternVars(Term t) {
    List<Var> out = new ArrayList<>();
    if (t instanceof Var v) {
      out.add(v);
    } else if (t instanceof ArrayTerm a) {
      for (Term x : a.elements()) {
        out.addAll(patternVars(x));
      }
    } else if (t instanceof ObjectTerm o) {
      for (ObjectTerm.Entry x : o.entries()) {
        out.addAll(patternVars(x.value()));
      }
    }
    return out;
  }

  // ---- traversal

  /** Every body of the rule, nested ones (comprehensions, every, not-bodies, operands) included, once each. */
  private static void visitBodies(Body b, Consumer<Body> visit) {
    visit.accept(b);
    for (Expr e : b.exprs()) {
      Expr.Kind k = e.kind();
      if (k instanceof Expr.TermExpr te) {
        closures(te.term(), visit);
      } else if (k instanceof Expr.CallExpr ce) {
        closures(ce.call(), visit);
      } else if (k instanceof Expr.SomeDecl sd) {
        sd.symbols().forEach(t -> closures(t, visit));
      } else if (k instanceof Expr.Every ev) {
        closures(ev.domain(), visit);
        visitBodies(ev.body(), visit);
      } else if (k instanceof Expr.NotBody nb) {
        visitBodies(nb.body(), visit);
      } else if (k instanceof Expr.Logical l) {
        visitBodies(l.lhs(), visit);
        visitBodies(l.rhs(), visit);
      }
      for (With w : e.with()) {
        closures(w.value(), visit);
      }
    }
  }

  /** The bodies of comprehensions inside a term (each visited with its own nested ones). */
  private static void closures(Term t, Consumer<Body> visit) {
    if (t instanceof ArrayCompr c) {
      closures(c.head(), visit);
      visitBodies(c.body(), visit);
    } else if (t instanceof SetCompr c) {
      closures(c.head(), visit);
      visitBodies(c.body(), visit);
    } else if (t instanceof ObjectCompr c) {
      closures(c.key(), visit);
      closures(c.value(), visit);
      visitBodies(c.body(), visit);
    } else if (t instanceof Ref r) {
      r.terms().forEach(x -> closures(x, visit));
    } else if (t instanceof Call c) {
      c.args().forEach(x -> closures(x, visit));
    } else if (t instanceof ArrayTerm a) {
      a.elements().forEach(x -> closures(x, visit));
    } else if (t instanceof SetTerm st) {
      st.elements().forEach(x -> closures(x, visit));
    } else if (t instanceof ObjectTerm o) {
      for (ObjectTerm.Entry x : o.entries()) {
        closures(x.key(), visit);
        closures(x.value(), visit);
      }
    } else if (t instanceof TemplateString ts) {
      ts.parts().forEach(x -> closures(x, visit));
    }
  }

  private static void visitRuleTerms(Rule r, Consumer<Term> visit) {
    var head = r.head();
    for (Term t : head.ref().terms().subList(1, head.ref().size())) {
      visitTerm(t, visit);
    }
    if (head.args() != null) {
      head.args().forEach(a -> visitTerm(a, visit));
    }
    if (head.key() != null) {
      visitTerm(head.key(), visit);
    }
    if (head.value() != null) {
      visitTerm(head.value(), visit);
    }
    visitBody(r.body(), visit);
  }

  private static void visitBody(Body b, Consumer<Term> visit) {
    for (Expr e : b.exprs()) {
      visitExprTerms(e, visit);
    }
  }

  private static void visitExprTerms(Expr e, Consumer<Term> visit) {
    Expr.Kind k = e.kind();
    if (k instanceof Expr.TermExpr te) {
      visitTerm(te.term(), visit);
    } else if (k instanceof Expr.CallExpr ce) {
      visitTerm(ce.call(), visit);
    } else if (k instanceof Expr.SomeDecl sd) {
      sd.symbols().forEach(s -> visitTerm(s, visit));
    } else if (k instanceof Expr.Every ev) {
      if (ev.key() != null) {
        visit.accept(ev.key());
      }
      visit.accept(ev.value());
      visitTerm(ev.domain(), visit);
      visitBody(ev.body(), visit);
    } else if (k instanceof Expr.NotBody nb) {
      visitBody(nb.body(), visit);
    } else if (k instanceof Expr.Logical l) {
      visitBody(l.lhs(), visit);
      visitBody(l.rhs(), visit);
    }
    for (With w : e.with()) {
      visitTerm(w.target(), visit);
      visitTerm(w.value(), visit);
    }
  }

  private static void visitTerm(Term t, Consumer<Term> visit) {
    visit.accept(t);
    if (t instanceof Ref r) {
      r.terms().forEach(x -> visitTerm(x, visit));
    } else if (t instanceof Call c) {
      c.operator().terms().forEach(x -> visitTerm(x, visit));
      c.args().forEach(x -> visitTerm(x, visit));
    } else if (t instanceof ArrayTerm a) {
      a.elements().forEach(x -> visitTerm(x, visit));
    } else if (t instanceof SetTerm s) {
      s.elements().forEach(x -> visitTerm(x, visit));
    } else if (t instanceof ObjectTerm o) {
      for (ObjectTerm.Entry x : o.entries()) {
        visitTerm(x.key(), visit);
        visitTerm(x.value(), visit);
      }
    } else if (t instanceof ArrayCompr c) {
      visitTerm(c.head(), visit);
      visitBody(c.body(), visit);
    } else if (t instanceof SetCompr c) {
      visitTerm(c.head(), visit);
      visitBody(c.body(), visit);
    } else if (t instanceof ObjectCompr c) {
      visitTerm(c.key(), visit);
      visitTerm(c.value(), visit);
      visitBody(c.body(), visit);
    } else if (t instanceof TemplateString ts) {
      ts.parts().forEach(x -> visitTerm(x, visit));
      ts.modifiers().forEach(ws -> ws.forEach(w -> {
        visitTerm(w.target(), visit);
        visitTerm(w.value(), visit);
      }));
    }
  }
}
