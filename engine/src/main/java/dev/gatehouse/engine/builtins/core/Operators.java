package dev.gatehouse.engine.builtins.core;

import static dev.gatehouse.engine.types.Types.ANY;
import static dev.gatehouse.engine.types.Types.BOOLEAN;
import static dev.gatehouse.engine.types.Types.NUMBER;
import static dev.gatehouse.engine.types.Types.any;
import static dev.gatehouse.engine.types.Types.arrayOf;
import static dev.gatehouse.engine.types.Types.func;
import static dev.gatehouse.engine.types.Types.setOf;

import dev.gatehouse.engine.builtins.Builtin;
import dev.gatehouse.engine.builtins.BuiltinException;
import dev.gatehouse.engine.value.ArrayValue;
import dev.gatehouse.engine.value.BooleanValue;
import dev.gatehouse.engine.value.NumberValue;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.SetValue;
import dev.gatehouse.engine.value.Value;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/** Comparison, membership, arithmetic, set operators, rounding, ranges and bit operations. */
final class Operators {
  private Operators() {}

  static List<Builtin> all() {
    List<Builtin> b = new ArrayList<>();
    b.add(Fn.of("comparison", "equal", func(BOOLEAN, ANY, ANY), (c, a) -> BooleanValue.of(a[0].equals(a[1]))).infixed("=="));
    b.add(Fn.of("comparison", "neq", func(BOOLEAN, ANY, ANY), (c, a) -> BooleanValue.of(!a[0].equals(a[1]))).infixed("!="));
    b.add(Fn.of("comparison", "lt", func(BOOLEAN, ANY, ANY), (c, a) -> BooleanValue.of(a[0].compareTo(a[1]) < 0)).infixed("<"));
    b.add(Fn.of("comparison", "lte", func(BOOLEAN, ANY, ANY), (c, a) -> BooleanValue.of(a[0].compareTo(a[1]) <= 0)).infixed("<="));
    b.add(Fn.of("comparison", "gt", func(BOOLEAN, ANY, ANY), (c, a) -> BooleanValue.of(a[0].compareTo(a[1]) > 0)).infixed(">"));
    b.add(Fn.of("comparison", "gte", func(BOOLEAN, ANY, ANY), (c, a) -> BooleanValue.of(a[0].compareTo(a[1]) >= 0)).infixed(">="));
    b.add(Fn.of("internal", "internal.member_2", func(BOOLEAN, ANY, ANY), (c, a) -> BooleanValue.of(member(a[0], a[1]))).infixed("in"));
    b.add(Fn.of("internal", "internal.member_3", func(BOOLEAN, ANY, ANY, ANY), (c, a) -> {
      Value v = lookup(a[2], a[0]);
      return BooleanValue.of(v != null && v.equals(a[1]));
    }).infixed("in"));

    b.add(Fn.of("numbers", "plus", func(NUMBER, NUMBER, NUMBER), (c, a) -> Arith.plus(Args.num(a, 0), Args.num(a, 1))).infixed("+"));
    b.add(Fn.of("numbers", "minus", func(any(NUMBER, setOf(ANY)), any(NUMBER, setOf(ANY)), any(NUMBER, setOf(ANY))), (c, a) -> {
      if (a[0] instanceof SetValue x && a[1] instanceof SetValue y) {
        return x.minus(y);
      }
      if (a[0] instanceof NumberValue x && a[1] instanceof NumberValue y) {
        return Arith.minus(x, y);
      }
      if (!(a[0] instanceof NumberValue) && !(a[0] instanceof SetValue)) {
        throw BuiltinException.operandType(1, a[0], "number", "set");
      }
      throw BuiltinException.operandType(2, a[1], a[0] instanceof SetValue ? "set" : "number");
    }).infixed("-"));
    b.add(Fn.of("numbers", "mul", func(NUMBER, NUMBER, NUMBER), (c, a) -> Arith.mul(Args.num(a, 0), Args.num(a, 1))).infixed("*"));
    b.add(Fn.of("numbers", "div", func(NUMBER, NUMBER, NUMBER), (c, a) -> {
      NumberValue x = Args.num(a, 0);
      NumberValue y = Args.num(a, 1);
      if (y.signum() == 0) {
        throw BuiltinException.error("divide by zero");
      }
      return Arith.div(x, y);
    }).infixed("/"));
    b.add(Fn.of("numbers", "rem", func(NUMBER, NUMBER, NUMBER), (c, a) -> {
      NumberValue x = Args.num(a, 0);
      NumberValue y = Args.num(a, 1);
      if (!x.isInteger() || !y.isInteger()) {
        throw BuiltinException.error("modulo on floating-point number");
      }
      if (y.signum() == 0) {
        throw BuiltinException.error("modulo by zero");
      }
      return NumberValue.of(x.bigIntegerValue().remainder(y.bigIntegerValue()));
    }).infixed("%"));
    b.add(Fn.of("numbers", "abs", func(NUMBER, NUMBER), (c, a) -> {
      NumberValue x = Args.num(a, 0);
      return x.signum() >= 0 ? x : NumberValue.of(x.bigDecimalValue().negate());
    }));
    b.add(Fn.of("numbers", "round", func(NUMBER, NUMBER), (c, a) -> integral(Args.num(a, 0), RoundingMode.HALF_UP)));
    b.add(Fn.of("numbers", "ceil", func(NUMBER, NUMBER), (c, a) -> integral(Args.num(a, 0), RoundingMode.CEILING)));
    b.add(Fn.of("numbers", "floor", func(NUMBER, NUMBER), (c, a) -> integral(Args.num(a, 0), RoundingMode.FLOOR)));
    b.add(Fn.of("numbers", "numbers.range", func(arrayOf(NUMBER), NUMBER, NUMBER), (c, a) -> {
      NumberValue x = Args.num(a, 0);
      NumberValue y = Args.num(a, 1);
      if (!x.isInteger()) {
        throw BuiltinException.operandType(1, a[0], "integer");
      }
      if (!y.isInteger()) {
        throw BuiltinException.operandType(2, a[1], "integer");
      }
      return range(c, x.bigIntegerValue(), y.bigIntegerValue(), BigInteger.ONE);
    }));
    b.add(Fn.of("numbers", "numbers.range_step", func(arrayOf(NUMBER), NUMBER, NUMBER, NUMBER), (c, a) -> {
      NumberValue x = Args.num(a, 0);
      NumberValue y = Args.num(a, 1);
      NumberValue s = Args.num(a, 2);
      if (!x.isInteger()) {
        throw BuiltinException.operandType(1, a[0], "integer");
      }
      if (!y.isInteger()) {
        throw BuiltinException.operandType(2, a[1], "integer");
      }
      if (!s.isInteger()) {
        throw BuiltinException.operandType(3, a[2], "integer");
      }
      if (s.signum() <= 0) {
        throw BuiltinException.error("step must be a positive integer");
      }
      return range(c, x.bigIntegerValue(), y.bigIntegerValue(), s.bigIntegerValue());
    }));
    b.add(Fn.of("sets", "and", func(setOf(ANY), setOf(ANY), setOf(ANY)), (c, a) -> Args.set(a, 0).intersect(Args.set(a, 1))).infixed("&"));
    b.add(Fn.of("sets", "or", func(setOf(ANY), setOf(ANY), setOf(ANY)), (c, a) -> Args.set(a, 0).union(Args.set(a, 1))).infixed("|"));
    b.add(Fn.of("bits", "bits.and", func(NUMBER, NUMBER, NUMBER), (c, a) -> NumberValue.of(bigInt(a, 0).and(bigInt(a, 1)))));
    b.add(Fn.of("bits", "bits.or", func(NUMBER, NUMBER, NUMBER), (c, a) -> NumberValue.of(bigInt(a, 0).or(bigInt(a, 1)))));
    b.add(Fn.of("bits", "bits.xor", func(NUMBER, NUMBER, NUMBER), (c, a) -> NumberValue.of(bigInt(a, 0).xor(bigInt(a, 1)))));
    b.add(Fn.of("bits", "bits.negate", func(NUMBER, NUMBER), (c, a) -> NumberValue.of(bigInt(a, 0).not())));
    b.add(Fn.of("bits", "bits.lsh", func(NUMBER, NUMBER, NUMBER), (c, a) -> NumberValue.of(bigInt(a, 0).shiftLeft(shift(a)))));
    b.add(Fn.of("bits", "bits.rsh", func(NUMBER, NUMBER, NUMBER), (c, a) -> NumberValue.of(bigInt(a, 0).shiftRight(shift(a)))));
    return b;
  }

  private static BigInteger bigInt(Value[] a, int i) {
    NumberValue n = Args.num(a, i);
    if (!n.isInteger()) {
      throw BuiltinException.operandType(i + 1, a[i], "integer");
    }
    return n.bigIntegerValue();
  }

  private static int shift(Value[] a) {
    BigInteger s = bigInt(a, 1);
    if (s.signum() < 0) {
      throw BuiltinException.error("shift amount must be non-negative");
    }
    return s.intValueExact();
  }

  private static Value range(dev.gatehouse.engine.builtins.BuiltinContext c, BigInteger from, BigInteger to, BigInteger step) {
    List<Value> out = new ArrayList<>();
    if (from.compareTo(to) <= 0) {
      for (BigInteger i = from; i.compareTo(to) <= 0; i = i.add(step)) {
        out.add(NumberValue.of(i));
        if ((out.size() & 0xFFF) == 0) {
          c.checkCancelled();
        }
      }
    } else {
      for (BigInteger i = from; i.compareTo(to) >= 0; i = i.subtract(step)) {
        out.add(NumberValue.of(i));
        if ((out.size() & 0xFFF) == 0) {
          c.checkCancelled();
        }
      }
    }
    return ArrayValue.of(out);
  }

  private static Value integral(NumberValue n, RoundingMode mode) {
    if (n.isInteger()) {
      return n.isLong() ? NumberValue.of(n.longValue()) : NumberValue.of(n.bigIntegerValue());
    }
    BigDecimal r = n.bigDecimalValue().setScale(0, mode);
    return NumberValue.of(r.toBigInteger());
  }

  static boolean member(Value x, Value coll) {
    if (coll instanceof ArrayValue a) {
      for (Value v : a.elements()) {
        if (v.equals(x)) {
          return true;
        }
      }
      return false;
    }
    if (coll instanceof SetValue s) {
      return s.contains(x);
    }
    if (coll instanceof ObjectValue o) {
      for (Value v : o.asMap().values()) {
        if (v.equals(x)) {
          return true;
        }
      }
    }
    return false;
  }

  static Value lookup(Value coll, Value key) {
    if (coll instanceof ObjectValue o) {
      return o.get(key);
    }
    if (coll instanceof ArrayValue a && key instanceof NumberValue n && n.isLong()) {
      long i = n.longValue();
      return i >= 0 && i < a.size() ? a.get((int) i) : null;
    }
    if (coll instanceof SetValue s) {
      return s.contains(key) ? key : null;
    }
    return null;
  }
}
