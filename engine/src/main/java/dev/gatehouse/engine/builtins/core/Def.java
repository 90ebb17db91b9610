package dev.gatehouse.engine.builtins.core;

import dev.gatehouse.engine.builtins.Builtin;
import dev.gatehouse.engine.builtins.BuiltinContext;
import dev.gatehouse.engine.builtins.RelationBuiltin;
import dev.gatehouse.engine.types.Type;
import dev.gatehouse.engine.types.Types;
import dev.gatehouse.engine.value.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Declares one builtin the way OPA documents it (name, description, categories, named arguments
 * and result), then binds the implementation. The declaration is what {@code capabilities} prints,
 * so it follows OPA's exactly; {@code BuiltinDeclsTest} compares it with a recorded fixture.
 */
public final class Def {
  private final String name;
  private final String description;
  private List<String> categories = List.of();
  private final List<Type> args = new ArrayList<>();
  private Type variadic;
  private Type result;
  private String infix;
  private boolean nondeterministic;
  private boolean deprecated;

  private Def(String name, String description) {
    this.name = name;
    this.description = description;
  }

  public static Def def(String name) {
    return new Def(name, null);
  }

  public static Def def(String name, String description) {
    return new Def(name, description);
  }

  public Def categories(String... cs) {
    categories = List.of(cs);
    return this;
  }

  /** A named argument; the description may be null (OPA omits it for some operators). */
  public Def arg(String argName, String argDescription, Type t) {
    args.add(Types.named(argName, argDescription, t));
    return this;
  }

  /** An unnamed argument (OPA's internal and deprecated builtins). */
  public Def arg(Type t) {
    args.add(t);
    return this;
  }

  public Def variadic(Type t) {
    variadic = t;
    return this;
  }

  public Def returns(String resultName, String resultDescription, Type t) {
    result = Types.named(resultName, resultDescription, t);
    return this;
  }

  public Def returns(Type t) {
    result = t;
    return this;
  }

  public Def infix(String op) {
    infix = op;
    return this;
  }

  public Def nondeterministic() {
    nondeterministic = true;
    return this;
  }

  public Def deprecated() {
    deprecated = true;
    return this;
  }

  private Type.Func decl() {
    return new Type.Func(args, result, variadic);
  }

  /** The builtin with this implementation (which returns null for undefined). */
  public Fn impl(Fn.Impl impl) {
    return new Fn(name, decl(), impl, infix, categories, nondeterministic, deprecated, description);
  }

  /** A builtin that may yield several results (OPA's "relation", e.g. walk). */
  public Builtin relation(Relation impl) {
    return new RelationFn(name, decl(), impl, categories, description);
  }

  /** A relation's implementation: calls {@code emit} per result until it returns false. */
  @FunctionalInterface
  public interface Relation {
    void each(BuiltinContext ctx, Value[] args, Predicate<Value> emit);
  }

  record RelationFn(String name, Type.Func decl, Relation impl, List<String> categories, String description)
      implements RelationBuiltin {
    @Override
    public void each(BuiltinContext ctx, Value[] args, Predicate<Value> emit) {
      impl.each(ctx, args, emit);
    }
  }
}
