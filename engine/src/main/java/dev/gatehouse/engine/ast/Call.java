package dev.gatehouse.engine.ast;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A function or builtin call used as a term, e.g. {@code count(x)} inside {@code count(x) > 1}.
 * Infix operators are calls too: {@code a + b} is {@code plus(a, b)}, {@code x in xs} is
 * {@code internal.member_2(x, xs)}; the operator is the builtin's name as a ref of vars/strings.
 */
public record Call(Ref operator, List<Term> args, Location location) implements Term {
  public Call {
    args = List.copyOf(args);
  }

  /** The operator's dotted name ({@code plus}, {@code strings.replace_n}, {@code data.lib.f}). */
  public String name() {
    return operator.toDottedName();
  }

  @Override public boolean isGround() { return false; }

  @Override public boolean equals(Object o) { return o instanceof Call c && c.operator.equals(operator) && c.args.equals(args); }

  @Override public int hashCode() { return operator.hashCode() * 31 + args.hashCode(); }

  @Override
  public String toString() {
    return args.stream().map(Term::toString).collect(Collectors.joining(", ", name() + "(", ")"));
  }
}
