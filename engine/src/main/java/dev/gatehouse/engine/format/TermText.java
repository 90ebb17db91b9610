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
