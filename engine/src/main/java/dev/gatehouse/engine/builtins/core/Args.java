package dev.gatehouse.engine.builtins.core;

import dev.gatehouse.engine.builtins.BuiltinException;
import dev.gatehouse.engine.value.ArrayValue;
import dev.gatehouse.engine.value.NumberValue;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.SetValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

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

  /**
   * OPA's IntOperand: a number written as a 64-bit integer ({@code 1.0} and {@code 1e2} are not).
   */
  public static long intOperand(Value[] a, int i) {
    NumberValue n = num(a, i);
    if (!n.isIntLiteral()) {
      throw notInteger(i);
    }
    return n.longValue();
  }

  /** OPA's IntOperand, for a position or count that has to fit in an int. */
  public static int integer(Value[] a, int i) {
    long v = intOperand(a, i);
    if (v > Integer.MAX_VALUE) {
      return Integer.MAX_VALUE;
    }
    if (v < Integer.MIN_VALUE) {
      return Integer.MIN_VALUE;
    }
    return (int) v;
  }

  /** OPA's BigIntOperand: any integral number, however written. */
  public static BigInteger bigInt(Value[] a, int i) {
    if (!(a[i] instanceof NumberValue n)) {
      throw BuiltinException.operandType(i + 1, a[i], "integer");
    }
    if (!n.isInteger()) {
      throw notInteger(i);
    }
    return n.bigIntegerValue();
  }

  private static BuiltinException notInteger(int i) {
    return BuiltinException.typeError("operand " + (i + 1) + " must be integer number but got floating-point number");
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

  /** OPA's element error: {@code operand 1 must be array of strings but got array containing number}. */
  public static BuiltinException elementType(int position, Value composite, Value got, String expected) {
    String tpe = composite.typeName();
    return BuiltinException.typeError("operand " + position + " must be " + tpe + " of " + expected + "s but got " + tpe
        + " containing " + got.typeName());
  }

  /** OPA's StringSliceOperand: the strings of an array or set; elements must all be strings. */
  public static List<String> strings(Value[] a, int i) {
    Iterable<Value> it;
    int size;
    if (a[i] instanceof ArrayValue v) {
      it = v.elements();
      size = v.size();
    } else if (a[i] instanceof SetValue s) {
      it = s;
      size = s.size();
    } else {
      throw BuiltinException.operandType(i + 1, a[i], "array", "set");
    }
    List<String> out = new ArrayList<>(size);
    for (Value e : it) {
      if (!(e instanceof StringValue s)) {
        throw elementType(i + 1, a[i], e, "string");
      }
      out.add(s.value());
    }
    return out;
  }
}
