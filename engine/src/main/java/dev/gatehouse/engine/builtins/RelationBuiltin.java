package dev.gatehouse.engine.builtins;

import dev.gatehouse.engine.value.Value;
import java.util.function.Predicate;

/**
 * A builtin that yields several results for the same arguments (OPA's "relation", e.g.
 * {@code walk}). The evaluator calls {@link #each}; {@code emit} returns false to stop early.
 */
public interface RelationBuiltin extends Builtin {
  void each(BuiltinContext ctx, Value[] args, Predicate<Value> emit);

  /** Single-result calls are not meaningful for relations; the evaluator always uses {@link #each}. */
  @Override
  default Value call(BuiltinContext ctx, Value[] args) {
    Value[] first = new Value[1];
    each(ctx, args, v -> {
      first[0] = v;
      return false;
    });
    return first[0];
  }
}
