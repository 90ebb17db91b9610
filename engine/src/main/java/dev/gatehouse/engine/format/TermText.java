package dev.gatehouse.engine.format;

import dev.gatehouse.engine.ast.ArrayCompr;
import dev.gatehouse.engine.ast.ArrayTerm;
import dev.gatehouse.engine.ast.Body;
import dev.gatehouse.engine.ast.Call;
import dev.gatehouse.engine.ast.Expr;
import dev.gatehouse.engine.ast.Module;
import dev.gatehouse.engine.ast.ObjectCompr;
import dev.gatehouse.engine.ast.ObjectTerm;
import dev.gatehouse.engine.ast.Ref;
import dev.gatehouse.engine.ast.RegoVersion;
import dev.gatehouse.engine.ast.Rule;
import dev.gatehouse.engine.ast.SetCompr;
import dev.gatehouse.engine.ast.SetTerm;
import dev.gatehouse.engine.ast.TemplateString;
import dev.gatehouse.engine.ast.Term;
import dev.gatehouse.engine.ast.With;
import java.util.ArrayList;
import java.util.List;

/**
 * The source text of terms, as OPA's term locations hold it ({@code x + y}, {@code count(names)},
 * {@code y.a.b}, parentheses the parser dropped included): for reports that show a term by what
 * was written, such as {@code test --var-values}. Uses the formatter's token scan, which knows
 * where terms end.
 */
public final class TermText {
  private TermText() {}

  /** A call or reference written at the place asked for, and its text. */
  public record Found(Term term, String text) {}

  /**
   * The calls and references that start at (row, col) in the module, outer terms before the
   * terms inside them. An expression's own call ({@code equal} in {@code a == b}, {@code eq} in
   * {@code a = b}, a call statement) is not a term here, only its arguments are.
   */
  public static List<Found> at(Module module, String source, int row, int col) {
    List<Term> hits = new ArrayList<>();
    new Walk(row, col, hits).module(module);
    if (hits.isEmpty()) {
      return List.of();
    }
    TreeBuilder tb = new TreeBuilder(new SourceText(source), module.regoVersion() == RegoVersion.V0);
    List<Found> out = new ArrayList<>();
    for (Term t : hits) {
      try {
        out.add(new Found(t, tb.text(t)));
      } catch (RuntimeException e) {
        // a source the scan cannot place the term in (not the module's text): no title for it
      }
    }
    return out;
  }

  /**
   * The source text of the body expression that starts at (row, col) in the module, as opa's
   * location holds it (all its lines, {@code with} modifiers included); null when there is none.
   */
  public static String expression(Module module, String source, int row, int col) {
    Expr[] found = {null};
    for (Rule r : module.rules()) {
      for (Rule x = r; x != null && found[0] == null; x = x.elseRule()) {
        found[0] = find(x.body(), row, col);
      }
      if (found[0] != null) {
        break;
      }
    }
    if (found[0] == null) {
      return null;
    }
    try {
      return new TreeBuilder(new SourceText(source), module.regoVersion() == RegoVersion.V0).text(found[0]);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** Where a variable of an expression is shown: its row and column. */
  public record Place(int row, int col) {}

  /**
   * Where opa's report places each variable of the body expression at (row, col): of several
   * occurrences, the one most deeply nested in calls (the first of those), since opa reads
   * variables from the expressions its compiler lifts out, innermost last. Comprehensions'
   * variables are not the expression's. Empty when there is no such expression.
   */
  public static java.util.Map<String, Place> variables(Module module, int row, int col) {
    Expr e = null;
    for (Rule r : module.rules()) {
      for (Rule x = r; x != null && e == null; x = x.elseRule()) {
        e = find(x.body(), row, col);
      }
      if (e != null) {
        break;
      }
    }
    java.util.Map<String, Place> out = new java.util.HashMap<>();
    if (e == null) {
      return out;
    }
    java.util.Map<String, Integer> depths = new java.util.HashMap<>();
    Vars v = new Vars(out, depths);
    if (e.kind() instanceof Expr.CallExpr c) {
      c.call().args().forEach(a -> v.term(a, 0));
    } else if (e.kind() instanceof Expr.TermExpr t) {
      if (t.term() instanceof Call c) {
        c.args().forEach(a -> v.term(a, 0));
      } else {
        v.term(t.term(), 0);
      }
    }
    for (With w : e.with()) {
      v.term(w.value(), 0);
    }
    return out;
  }

  private record Vars(java.util.Map<String, Place> out, java.util.Map<String, Integer> depths) {
    void term(Term t, int depth) {
      if (t instanceof dev.gatehouse.engine.ast.Var v) {
        if (t.location() != null && depths.getOrDefault(v.name(), -1) < depth) {
          depths.put(v.name(), depth);
          out.put(v.name(), new Place(t.location().row(), t.location().col()));
        }
      } else if (t instanceof Ref r) {
        r.terms().forEach(x -> term(x, depth));
      } else if (t instanceof Call c) {
        c.args().forEach(x -> term(x, depth + 1));
      } else if (t instanceof ArrayTerm a) {
        a.elements().forEach(x -> term(x, depth));
      } else if (t instanceof SetTerm s) {
        s.elements().forEach(x -> term(x, depth));
      } else if (t instanceof ObjectTerm o) {
        for (ObjectTerm.Entry en : o.entries()) {
          term(en.key(), depth);
          term(en.value(), depth);
        }
      }
    }
  }

  private static Expr find(Body b, int row, int col) {
    if (b == null) {
      return null;
    }
    for (Expr e : b.exprs()) {
      if (e.location() != null && e.location().row() == row && e.location().col() == col) {
        return e;
      }
      Expr nested = null;
      if (e.kind() instanceof Expr.Every ev) {
        nested = find(ev.body(), row, col);
      } else if (e.kind() instanceof Expr.NotBody n) {
        nested = find(n.body(), row, col);
      } else if (e.kind() instanceof Expr.Logical l) {
        nested = find(l.lhs(), row, col);
        nested = nested != null ? nested : find(l.rhs(), row, col);
      }
      if (nested != null) {
        return nested;
      }
    }
    return null;
  }

  private record Walk(int row, int col, List<Term> hits) {
    void module(Module m) {
      for (Rule r : m.rules()) {
        for (Rule x = r; x != null; x = x.elseRule()) {
          if (x.head().value() != null) {
            term(x.head().value());
          }
          if (x.head().key() != null) {
            term(x.head().key());
          }
          body(x.body());
        }
      }
    }

    void body(Body b) {
      if (b == null) {
        return;
      }
      for (Expr e : b.exprs()) {
        expr(e);
      }
    }

    void expr(Expr e) {
      Expr.Kind k = e.kind();
      if (k instanceof Expr.TermExpr t) {
        if (t.term() instanceof Call c) {
          c.args().forEach(this::term);
        } else {
          term(t.term());
        }
      } else if (k instanceof Expr.CallExpr c) {
        c.call().args().forEach(this::term);
      } else if (k instanceof Expr.SomeDecl s) {
        s.symbols().forEach(this::term);
      } else if (k instanceof Expr.Every ev) {
        term(ev.domain());
        body(ev.body());
      } else if (k instanceof Expr.NotBody n) {
        body(n.body());
      } else if (k instanceof Expr.Logical l) {
        body(l.lhs());
        body(l.rhs());
      }
      for (With w : e.with()) {
        term(w.value());
      }
    }

    void term(Term t) {
      if (t == null) {
        return;
      }
      if ((t instanceof Call || t instanceof Ref) && t.location() != null && t.location().row() == row
          && t.location().col() == col) {
        hits.add(t);
      }
      if (t instanceof Ref r) {
        r.terms().forEach(this::term);
      } else if (t instanceof Call c) {
        c.args().forEach(this::term);
      } else if (t instanceof ArrayTerm a) {
        a.elements().forEach(this::term);
      } else if (t instanceof SetTerm s) {
        s.elements().forEach(this::term);
      } else if (t instanceof ObjectTerm o) {
        for (ObjectTerm.Entry en : o.entries()) {
          term(en.key());
          term(en.value());
        }
      } else if (t instanceof ArrayCompr c) {
        term(c.head());
        body(c.body());
      } else if (t instanceof SetCompr c) {
        term(c.head());
        body(c.body());
      } else if (t instanceof ObjectCompr c) {
        term(c.key());
        term(c.value());
        body(c.body());
      } else if (t instanceof TemplateString ts) {
        ts.parts().forEach(this::term);
      }
    }
  }
}
