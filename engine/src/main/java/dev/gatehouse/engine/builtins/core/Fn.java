package dev.gatehouse.engine.builtins.core;

import dev.gatehouse.engine.builtins.Builtin;
import dev.gatehouse.engine.builtins.BuiltinContext;
import dev.gatehouse.engine.types.Type;
import dev.gatehouse.engine.value.Value;
import java.util.List;

/** A builtin defined by a lambda: the compact way the category classes declare their functions. */
public record Fn(String name, Type.Func decl, Impl impl, String infix, List<String> categories, boolean nondeterministic,
    boolean deprecated) implements Builtin {

  /** The implementation: returns null for undefined. */
  @FunctionalInterface
  public interface Impl {
    Value apply(BuiltinContext ctx, Value[] args);
  }

  public static Fn of(String category, String name, Type.Func decl, Impl impl) {
    return new Fn(name, decl, impl, null, List.of(category), false, false);
  }

  public Fn infixed(String op) {
    return new Fn(name, decl, impl, op, categories, nondeterministic, deprecated);
  }

  public Fn nondet() {
    return new Fn(name, decl, impl, infix, categories, true, deprecated);
  }

  public Fn deprecate() {
    return new Fn(name, decl, impl, infix, categories, nondeterministic, true);
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
