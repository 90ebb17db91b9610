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
   * An attempt at the expression at this location starts (opa's {@code Eval} event); its end is
   * {@link #evaluated}. For explanations ({@code test --explain full}).
   */
  default void attempt(Location location) {}

  /**
   * Evaluation backtracks into the expression at this location after the rest of its body was
   * tried with one of its solutions, to look for another (opa's {@code Redo} event).
   */
  default void redo(Location location) {}

  /**
   * True when {@link #failed} should be called: collecting the values an expression saw costs a
   * walk of the expression per failure, so it is only done when asked for ({@code test --var-values}).
   */
  default boolean wantsFailedValues() {
    return false;
  }

  /**
   * An expression failed (right after {@code evaluated(location, false)}), with the values it saw,
   * in the order they appear: its named local variables as bound when it failed, the results of
   * calls nested in it, references through variables, into input and to rules (evaluated again
   * under the expression's {@code with} modifiers).
   */
  default void failed(Location location, List<Seen> seen) {}

  /**
   * A term of a failed expression and its value (null: undefined). {@code name} is a local's name
   * (its column is not known: {@code at} is null, kind {@link Kind#VAR}); otherwise {@code at} is
   * where the term is written: a reference ({@link Kind#RULE_REF} for one without variables into
   * data, {@link Kind#REF} for others) or a call ({@link Kind#CALL}; of several calls written at
   * one place, as in {@code a + b + c}, the outer one comes first).
   */
  record Seen(String name, Location at, Value value, Kind kind) {
    public enum Kind { VAR, RULE_REF, REF, CALL }

    /** A variable (name set) or a reference without variables into data. */
    public Seen(String name, Location at, Value value) {
      this(name, at, value, name != null ? Kind.VAR : Kind.RULE_REF);
    }
  }
}
