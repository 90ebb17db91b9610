package dev.gatehouse.engine.ast;

import java.util.List;

/**
 * A rule head. {@code ref} is the rule's path relative to its package ({@code p}, or
 * {@code a.b[x].c} for ref heads). The combinations:
 * <ul>
 *   <li>complete rule {@code p := v} / {@code p = v} / {@code p if ...}: args null, key null, value set
 *       ({@code true} when omitted);</li>
 *   <li>multi-value rule {@code p contains x} (v0: {@code p[x]}): key = x, value null;</li>
 *   <li>partial object / ref head {@code p[k] := v}, {@code a.b[x].c := v}: the variable parts are in
 *       ref, value set, key null;</li>
 *   <li>function {@code f(a, b) := v}: args set, value set.</li>
 * </ul>
 * {@code assign} is true for {@code :=}, false for {@code =} or no operator.
 */
public record Head(Ref ref, List<Term> args, Term key, Term value, boolean assign, Location location) {
  public Head {
    args = args == null ? null : List.copyOf(args);
  }

  public boolean isFunction() { return args != null; }

  /** True for {@code contains} (multi-value) rules. */
  public boolean isMultiValue() { return key != null && value == null; }

  /** The rule's name: the first element of its ref. */
  public String name() {
    return ((Var) ref.head()).name();
  }
}
