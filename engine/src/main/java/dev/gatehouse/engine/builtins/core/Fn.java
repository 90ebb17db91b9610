package dev.gatehouse.engine.builtins.core;

import dev.gatehouse.engine.builtins.Builtin;
import dev.gatehouse.engine.builtins.BuiltinContext;
import dev.gatehouse.engine.types.Type;
import dev.gatehouse.engine.value.Value;
import java.util.List;

/** A builtin defined by a lambda; {@link Def} is the way the category classes declare them. */
public record Fn(String name, Type.Func decl, Impl impl, String infix, List<String> categories, boolean nondeterministic,
    boolean deprecated, String description) implements Builtin {

  /** The implementation: returns null for undefined. */
  @FunctionalInterface
  public interface Impl {
    Value apply(BuiltinContext ctx, Value[] args);
  }

  /** A builtin without OPA's documentation; prefer {@link Def}, which records it. */
  public static Fn of(String category, String name, Type.Func decl, Impl impl) {
    return new Fn(name, decl, impl, null, List.of(category), false, false, null);
  }

  public Fn infixed(String op) {
    return new Fn(name, decl, impl, op, categories, nondeterministic, deprecated, description);
  }

  public Fn nondet() {
    return new Fn(name, decl, impl, infix, categories, true, deprecated, description);
  }

  public Fn deprecate() {
    return new Fn(name, decl, impl, infix, categories, nondeterministic, true, description);
  }

  @Override
  public Value call(BuiltinContext ctx, Value[] args) {
    return impl.apply(ctx, args);
  }

  @Override
  public boolean nondeterministic() {
    return nondeterministic;
  }

  @Override
  public boolean deprecated() {
    return deprecated;
  }
}
