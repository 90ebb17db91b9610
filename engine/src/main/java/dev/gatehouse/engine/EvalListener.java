package dev.gatehouse.engine;

import dev.gatehouse.engine.ast.Location;
import dev.gatehouse.engine.value.Value;
import java.util.List;

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

  /**
   * True when {@link #failed} should be called: collecting the values an expression saw costs a
   * walk of the expression per failure, so it is only done when asked for ({@code test --var-values}).
   */
  default boolean wantsFailedValues() {
    return false;
  }

  /**
   * An expression failed (right after {@code evaluated(location, false)}), with the values it saw:
   * its named local variables as bound when it failed, and references to rules without variables
   * (evaluated outside any {@code with} of the expression), in the order they appear.
   */
  default void failed(Location location, List<Seen> seen) {}

  /**
   * A term of a failed expression and its value (null: undefined). {@code name} is a local's name
   * (its column is not known: {@code at} is null) or, for a rule reference, null with {@code at}
   * where the reference is written.
   */
  record Seen(String name, Location at, Value value) {}
}
