package dev.gatehouse.engine;

import dev.gatehouse.engine.ast.Location;

/**
 * Observes expression evaluation, for coverage and for test failure reports. {@link #evaluated} is called once per
 * attempt at an expression, after it has produced all its solutions in that attempt:
 * {@code succeeded} is false when the expression had none (it failed there). Calls come from the
 * evaluating thread; an implementation shared by parallel evaluations must be thread-safe.
 */
@FunctionalInterface
public interface EvalListener {
  void evaluated(Location location, boolean succeeded);

  /** A rule (at its location) produced a value: coverage counts its head as reached. */
  default void ruleProduced(Location ruleLocation) {}
}
