package dev.gatehouse.engine.types;

import java.util.Arrays;
import java.util.List;

/** Short constructors for writing builtin signatures. */
public final class Types {
  public static final Type ANY = new Type.Any(List.of());
  public static final Type NULL = new Type.Null();
  public static final Type BOOLEAN = new Type.Bool();
  public static final Type NUMBER = new Type.Num();
  public static final Type STRING = new Type.Str();
  public static final Type ANY_ARRAY = arrayOf(ANY);
  public static final Type ANY_SET = setOf(ANY);
  public static final Type ANY_OBJECT = objectOf(ANY, ANY);

  private Types() {}

  public static Type any(Type... of) { return new Type.Any(Arrays.asList(of)); }

  public static Type arrayOf(Type dynamic) { return new Type.Arr(List.of(), dynamic); }

  public static Type tuple(Type... statics) { return new Type.Arr(Arrays.asList(statics), null); }

  public static Type setOf(Type of) { return new Type.SetOf(of); }

  public static Type objectOf(Type key, Type value) { return new Type.Obj(List.of(), key, value); }

  /** An object with known properties and, unless both are null, a dynamic key/value type. */
  public static Type object(List<Type.Property> props, Type dynamicKey, Type dynamicValue) {
    return new Type.Obj(props, dynamicKey, dynamicValue);
  }

  public static Type.Property prop(Object key, Type value) { return new Type.Property(key, value); }

  /** An array with fixed leading element types and a type for the rest. */
  public static Type array(List<Type> statics, Type dynamic) { return new Type.Arr(statics, dynamic); }

  public static Type named(String name, Type t) { return new Type.Named(name, null, t); }

  public static Type named(String name, String description, Type t) { return new Type.Named(name, description, t); }

  public static Type.Func func(List<Type> args, Type result) { return new Type.Func(args, result, null); }

  public static Type.Func func(Type result, Type... args) { return new Type.Func(Arrays.asList(args), result, null); }
}
