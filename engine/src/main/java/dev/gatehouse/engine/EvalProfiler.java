package dev.gatehouse.engine;

import dev.gatehouse.engine.ast.Location;

/**
 * An {@link EvalListener} that profiles ({@code gatehouse eval --profile}): told the own time of
 * every attempt at an expression and which expressions iterated base data through an index.
 * Unlike other listeners it does not turn data indexes off, since what it reports is how the
 * decision is really evaluated. Calls come from the evaluating thread.
 */
public interface EvalProfiler extends EvalListener {
  /**
   * One attempt at the expression at {@code location}: {@code selfNanos} is the time spent in it,
   * excluding the rest of the body it handed each solution to (but including rules and
   * comprehensions it evaluated); {@code solutions} is how many solutions it produced.
   */
  void expression(Location location, long selfNanos, int solutions);

  /**
   * The expression at {@code location} looked its members up in a data index instead of
   * iterating: {@code index} describes it ({@code data.grants[_] on .subject, .service}),
   * {@code members} is the collection's size, {@code matched} how many the lookup yielded.
   */
  void indexed(Location location, String index, int members, int matched);

  @Override
  default void evaluated(Location location, boolean succeeded) {}
}
