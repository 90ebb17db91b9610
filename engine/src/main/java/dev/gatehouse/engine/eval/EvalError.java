package dev.gatehouse.engine.eval;

import dev.gatehouse.engine.RegoError;
import dev.gatehouse.engine.RegoException;
import dev.gatehouse.engine.ast.Location;

/** Evaluation errors with OPA's codes. */
final class EvalError {
  private EvalError() {}

  static RegoException conflict(String message, Location at) {
    return new RegoException(new RegoError("eval_conflict_error", message, at));
  }

  static RegoException builtin(String message, Location at) {
    return new RegoException(new RegoError("eval_builtin_error", message, at));
  }

  static RegoException type(String message, Location at) {
    return new RegoException(new RegoError("eval_type_error", message, at));
  }

  static RegoException cancelled(String message) {
    return new RegoException(new RegoError("eval_cancel_error", message, null));
  }
}
