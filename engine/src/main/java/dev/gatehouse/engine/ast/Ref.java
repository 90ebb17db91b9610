package dev.gatehouse.engine.ast;

import java.util.List;

/**
 * A reference: a head term (usually a {@link Var} such as {@code data}, {@code input} or a local,
 * but possibly a composite or call) followed by operands. {@code data.a["b"][x]} is
 * {@code [Var data, Scalar "a", Scalar "b", Var x]}: dotted names are string scalars.
 */
public record Ref(List<Term> terms, Location location) implements Term {
  public Ref {
    terms = List.copyOf(terms);
  }

  public Term head() { return terms.get(0); }

  public int size() { return terms.size(); }

  public Term get(int i) { return terms.get(i); }

  /** True when the head is a variable named {@code name} (e.g. data, input). */
  public boolean hasRoot(String name) {
    return terms.get(0) instanceof Var v && v.name().equals(name);
  }

  /** The dotted name for an operator or function reference, e.g. {@code strings.replace_n}. */
  public String toDottedName() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < terms.size(); i++) {
      Term t = terms.get(i);
      if (i > 0) {
        sb.append('.');
      }
      if (t instanceof Var v) {
        sb.append(v.name());
      } else if (t instanceof Scalar s && s.value() instanceof dev.gatehouse.engine.value.StringValue str) {
        sb.append(str.value());
      } else {
        sb.append(t);
      }
    }
    return sb.toString();
  }

  @Override
  public boolean isGround() {
    return false;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Ref r && r.terms.equals(terms);
  }

  @Override public int hashCode() { return terms.hashCode() * 31 + 1; }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(terms.get(0).toString());
    for (int i = 1; i < terms.size(); i++) {
      Term t = terms.get(i);
      if (t instanceof Scalar s && s.value() instanceof dev.gatehouse.engine.value.StringValue str
          && str.value().matches("[A-Za-z_][A-Za-z0-9_]*")) {
        sb.append('.').append(str.value());
      } else {
        sb.append('[').append(t).append(']');
      }
    }
    return sb.toString();
  }
}
