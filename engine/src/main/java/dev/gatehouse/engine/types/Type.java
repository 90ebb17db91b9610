package dev.gatehouse.engine.types;

import java.util.List;

/**
 * OPA's type system for builtin signatures and the compiler's type checks. The JSON form (see
 * {@link TypeJson}) is exactly the {@code decl} shape of {@code opa capabilities}.
 */
public sealed interface Type
    permits Type.Any, Type.Null, Type.Bool, Type.Num, Type.Str, Type.Arr, Type.Obj, Type.SetOf, Type.Func, Type.Named {

  /** {@code any} (empty {@code of}) or a union of the listed types. */
  record Any(List<Type> of) implements Type {
    public Any {
      of = List.copyOf(of);
    }
  }

  record Null() implements Type {}

  record Bool() implements Type {}

  record Num() implements Type {}

  record Str() implements Type {}

  /** Array with fixed leading element types ({@code static}) and/or a type for all others ({@code dynamic}, may be null). */
  record Arr(List<Type> staticTypes, Type dynamic) implements Type {
    public Arr {
      staticTypes = List.copyOf(staticTypes);
    }
  }

  /** A statically known property of an object type. */
  record Property(Object key, Type value) {}

  /** Object with known properties and/or a dynamic key/value type (either may be null). */
  record Obj(List<Property> staticProps, Type dynamicKey, Type dynamicValue) implements Type {
    public Obj {
      staticProps = List.copyOf(staticProps);
    }
  }

  record SetOf(Type of) implements Type {}

  /** A function: argument types, result (null for none, e.g. print), optional variadic type. */
  record Func(List<Type> args, Type result, Type variadic) implements Type {
    public Func {
      args = List.copyOf(args);
    }
  }

  /** A type with the argument/result name and description OPA documents. */
  record Named(String name, String description, Type type) implements Type {}
}
