package dev.gatehouse.engine.ast;

import java.util.List;
import java.util.stream.Collectors;

/**
 * One expression of a body: a term, a call (including {@code =}, {@code :=} and infix operators),
 * a {@code some} declaration or an {@code every}; optionally negated with {@code not} and followed
 * by {@code with} modifiers. {@code index} is the position in the enclosing body as written.
 */
public record Expr(Kind kind, boolean negated, List<With> with, int index, Location location) {

  /** What the expression is. */
  public sealed interface Kind permits TermExpr, CallExpr, SomeDecl, Every, NotBody, Logical {}

  /** A term evaluated for truthiness: defined and not {@code false}. */
  public record TermExpr(Term term) implements Kind {
    @Override public String toString() { return term.toString(); }
  }

  /**
   * A call statement. Operators: {@code eq} ({@code =}, unification), {@code assign} ({@code :=}),
   * {@code equal} ({@code ==}), {@code neq}, {@code lt}, {@code lte}, {@code gt}, {@code gte},
   * {@code plus}, {@code minus}, {@code mul}, {@code div}, {@code rem}, {@code and} ({@code &}),
   * {@code or} ({@code |}), {@code internal.member_2} / {@code internal.member_3} ({@code in}),
   * or any builtin/function ref.
   */
  public record CallExpr(Call call) implements Kind {
    @Override public String toString() { return call.toString(); }
  }

  /**
   * {@code some x, y} (symbols are {@link Var}s) or {@code some x in xs} / {@code some k, v in xs}
   * (one symbol: a {@link Call} to {@code internal.member_2} or {@code internal.member_3}).
   */
  public record SomeDecl(List<Term> symbols) implements Kind {
    public SomeDecl {
      symbols = List.copyOf(symbols);
    }

    @Override
    public String toString() {
      return symbols.stream().map(Term::toString).collect(Collectors.joining(", ", "some ", ""));
    }
  }

  /** {@code every key, value in domain { body }}; key is null for the one-variable form. */
  public record Every(Var key, Var value, Term domain, Body body) implements Kind {
    @Override
    public String toString() {
      return "every " + (key == null ? "" : key + ", ") + value + " in " + domain + " { " + body + " }";
    }
  }

  /**
   * {@code not { body }} or {@code not (a or b)} (OPA 1.22, with {@code future.keywords.not} or
   * {@code rego.v2}): true when the body has no solution. The body is a closed scope.
   */
  public record NotBody(Body body) implements Kind {
    @Override public String toString() { return "not { " + body + " }"; }
  }

  /**
   * {@code lhs and rhs} / {@code lhs or rhs} (OPA 1.22). Each operand is a closed scope that
   * succeeds at most once and binds nothing outside; {@code explicitLhs}/{@code explicitRhs} say
   * whether the operand was written as a braced body.
   */
  public record Logical(boolean and, Body lhs, Body rhs, boolean explicitLhs, boolean explicitRhs) implements Kind {
    @Override
    public String toString() {
      return operand(lhs, explicitLhs) + (and ? " and " : " or ") + operand(rhs, explicitRhs);
    }

    private static String operand(Body b, boolean explicit) {
      return explicit ? "{ " + b + " }" : b.toString();
    }
  }

  public Expr {
    with = List.copyOf(with);
  }

  /** A copy with a different kind, keeping negation, modifiers, index and location. */
  public Expr withKind(Kind k) {
    return new Expr(k, negated, with, index, location);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Expr e && e.kind.equals(kind) && e.negated == negated && e.with.equals(with);
  }

  @Override public int hashCode() { return kind.hashCode() * 31 + (negated ? 1 : 0); }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    if (negated) {
      sb.append("not ");
    }
    sb.append(kind);
    for (With w : with) {
      sb.append(' ').append(w);
    }
    return sb.toString();
  }
}
