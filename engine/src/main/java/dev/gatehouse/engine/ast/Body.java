package dev.gatehouse.engine.ast;

import java.util.List;
import java.util.stream.Collectors;

/** A conjunction of expressions: a rule body, a query, or a comprehension/every body. */
public record Body(List<Expr> exprs, Location location) {
  public Body {
    exprs = List.copyOf(exprs);
  }

  public boolean isEmpty() { return exprs.isEmpty(); }

  public int size() { return exprs.size(); }

  @Override public boolean equals(Object o) { return o instanceof Body b && b.exprs.equals(exprs); }

  @Override public int hashCode() { return exprs.hashCode(); }

  @Override
  public String toString() {
    return exprs.stream().map(Expr::toString).collect(Collectors.joining("; "));
  }
}
