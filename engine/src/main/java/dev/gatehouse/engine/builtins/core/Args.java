package dev.gatehouse.engine.builtins.core;

import dev.gatehouse.engine.builtins.BuiltinException;
import dev.gatehouse.engine.value.ArrayValue;
import dev.gatehouse.engine.value.NumberValue;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.SetValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;

/** Operand checks with OPA's error wording ({@code operand 1 must be string but got number}). */
public final class Args {
  private Args() {}

  public static String str(Value[] a, int i) {
    if (a[i] instanceof StringValue s) {
      return s.value();
    }
    throw BuiltinException.operandType(i + 1, a[i], "string");
  }

  public static NumberValue num(Value[] a, int i) {
    if (a[i] instanceof NumberValue n) {
      return n;
    }
    throw BuiltinException.operandType(i + 1, a[i], "number");
  }

  /** An integer operand as int; OPA's message for non-integers. */
  public static int integer(Value[] a, int i) {
    NumberValue n = num(a, i);
    if (!n.isInteger()) {
      throw BuiltinException.operandType(i + 1, a[i], "integer");
    }
    return n.intValue().orElseThrow(() -> BuiltinException.error("operand " + (i + 1) + " out of range"));
  }

  public static ArrayValue arr(Value[] a, int i) {
    if (a[i] instanceof ArrayValue v) {
      return v;
    }
    throw BuiltinException.operandType(i + 1, a[i], "array");
  }

  public static SetValue set(Value[] a, int i) {
    if (a[i] instanceof SetValue v) {
      return v;
    }
    throw BuiltinException.operandType(i + 1, a[i], "set");
  }

  public static ObjectValue obj(Value[] a, int i) {
    if (a[i] instanceof ObjectValue v) {
      return v;
    }
    throw BuiltinException.operandType(i + 1, a[i], "object");
  }

  public static boolean bool(Value[] a, int i) {
    if (a[i] instanceof dev.gatehouse.engine.value.BooleanValue b) {
      return b.value();
    }
    throw BuiltinException.operandType(i + 1, a[i], "boolean");
  }

  /** Elements of an array or set operand (OPA's "one of {array, set}"). */
  public static Iterable<Value> collection(Value[] a, int i) {
    if (a[i] instanceof ArrayValue v) {
      return v.elements();
    }
    if (a[i] instanceof SetValue s) {
      return s;
    }
    throw BuiltinException.operandType(i + 1, a[i], "array", "set");
  }
}
