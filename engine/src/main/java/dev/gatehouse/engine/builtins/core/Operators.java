package dev.gatehouse.engine.builtins.core;

import static dev.gatehouse.engine.builtins.core.Def.def;
import static dev.gatehouse.engine.types.Types.ANY;
import static dev.gatehouse.engine.types.Types.ANY_SET;
import static dev.gatehouse.engine.types.Types.BOOLEAN;
import static dev.gatehouse.engine.types.Types.NUMBER;
import static dev.gatehouse.engine.types.Types.STRING;
import static dev.gatehouse.engine.types.Types.any;
import static dev.gatehouse.engine.types.Types.arrayOf;

import dev.gatehouse.engine.builtins.Builtin;
import dev.gatehouse.engine.builtins.BuiltinContext;
import dev.gatehouse.engine.builtins.BuiltinException;
import dev.gatehouse.engine.value.ArrayValue;
import dev.gatehouse.engine.value.BooleanValue;
import dev.gatehouse.engine.value.NumberValue;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.SetValue;
import dev.gatehouse.engine.value.Value;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BinaryOperator;

/** Comparison, membership, arithmetic, set operators, ranges, rand.intn and bit operations. */
final class Operators {
  private static final Object RANDOM_KEY = new Object();

  private Operators() {}

  static List<Builtin> all() {
    return List.of(
        def("equal")
            .categories("comparison")
            .arg("x", null, ANY)
            .arg("y", null, ANY)
            .returns("result", "true if `x` is equal to `y`; false otherwise", BOOLEAN)
            .infix("==")
            .impl((c, a) -> BooleanValue.of(a[0].equals(a[1]))),
        def("neq")
            .categories("comparison")
            .arg("x", null, ANY)
            .arg("y", null, ANY)
            .returns("result", "true if `x` is not equal to `y`; false otherwise", BOOLEAN)
            .infix("!=")
            .impl((c, a) -> BooleanValue.of(!a[0].equals(a[1]))),
        def("lt")
            .categories("comparison")
            .arg("x", null, ANY)
            .arg("y", null, ANY)
            .returns("result", "true if `x` is less than `y`; false otherwise", BOOLEAN)
            .infix("<")
            .impl((c, a) -> BooleanValue.of(a[0].compareTo(a[1]) < 0)),
        def("lte")
            .categories("comparison")
            .arg("x", null, ANY)
            .arg("y", null, ANY)
            .returns("result", "true if `x` is less than or equal to `y`; false otherwise", BOOLEAN)
            .infix("<=")
            .impl((c, a) -> BooleanValue.of(a[0].compareTo(a[1]) <= 0)),
        def("gt")
            .categories("comparison")
            .arg("x", null, ANY)
            .arg("y", null, ANY)
            .returns("result", "true if `x` is greater than `y`; false otherwise", BOOLEAN)
            .infix(">")
            .impl((c, a) -> BooleanValue.of(a[0].compareTo(a[1]) > 0)),
        def("gte")
            .categories("comparison")
            .arg("x", null, ANY)
            .arg("y", null, ANY)
            .returns("result", "true if `x` is greater or equal to `y`; false otherwise", BOOLEAN)
            .infix(">=")
            .impl((c, a) -> BooleanValue.of(a[0].compareTo(a[1]) >= 0)),
        def("internal.member_2")
            .arg(ANY)
            .arg(ANY)
            .returns(BOOLEAN)
            .infix("in")
            .impl((c, a) -> BooleanValue.of(member(a[0], a[1]))),
        def("internal.member_3")
            .arg(ANY)
            .arg(ANY)
            .arg(ANY)
            .returns(BOOLEAN)
            .infix("in")
            .impl((c, a) -> BooleanValue.of(memberWithKey(a[0], a[1], a[2]))),
        // `=` and `:=` are unification, which the compiler does itself; once both sides are
        // ground (the only way a builtin call could see them) unification is equality.
        def("eq")
            .arg(ANY)
            .arg(ANY)
            .returns(BOOLEAN)
            .infix("=")
            .impl((c, a) -> BooleanValue.of(a[0].equals(a[1]))),
        def("assign")
            .arg(ANY)
            .arg(ANY)
            .returns(BOOLEAN)
            .infix(":=")
            .impl((c, a) -> BooleanValue.of(a[0].equals(a[1]))),

        def("plus", "Plus adds two numbers together.")
            .categories("numbers")
            .arg("x", null, NUMBER)
            .arg("y", null, NUMBER)
            .returns("z", "the sum of `x` and `y`", NUMBER)
            .infix("+")
            .impl((c, a) -> Arith.plus(Args.num(a, 0), Args.num(a, 1))),
        def("minus", "Minus subtracts the second number from the first number or computes the difference between "
                + "two sets.")
            .categories("sets", "numbers")
            .arg("x", null, any(NUMBER, ANY_SET))
            .arg("y", null, any(NUMBER, ANY_SET))
            .returns("z", "the difference of `x` and `y`", any(NUMBER, ANY_SET))
            .infix("-")
            .impl(Operators::minus),
        def("mul", "Multiplies two numbers.")
            .categories("numbers")
            .arg("x", null, NUMBER)
            .arg("y", null, NUMBER)
            .returns("z", "the product of `x` and `y`", NUMBER)
            .infix("*")
            .impl((c, a) -> Arith.mul(Args.num(a, 0), Args.num(a, 1))),
        def("div", "Divides the first number by the second number.")
            .categories("numbers")
            .arg("x", "the dividend", NUMBER)
            .arg("y", "the divisor", NUMBER)
            .returns("z", "the result of `x` divided by `y`", NUMBER)
            .infix("/")
            .impl((c, a) -> Arith.div(Args.num(a, 0), Args.num(a, 1))),
        def("rem", "Returns the remainder for of `x` divided by `y`, for `y != 0`.")
            .categories("numbers")
            .arg("x", null, NUMBER)
            .arg("y", null, NUMBER)
            .returns("z", "the remainder", NUMBER)
            .infix("%")
            .impl((c, a) -> Arith.rem(Args.num(a, 0), Args.num(a, 1))),
        def("abs", "Returns the number without its sign.")
            .categories("numbers")
            .arg("x", "the number to take the absolute value of", NUMBER)
            .returns("y", "the absolute value of `x`", NUMBER)
            .impl((c, a) -> Arith.abs(Args.num(a, 0))),
        def("round", "Rounds the number to the nearest integer.")
            .categories("numbers")
            .arg("x", "the number to round", NUMBER)
            .returns("y", "the result of rounding `x`", NUMBER)
            .impl((c, a) -> Arith.round(Args.num(a, 0))),
        def("ceil", "Rounds the number _up_ to the nearest integer.")
            .categories("numbers")
            .arg("x", "the number to round", NUMBER)
            .returns("y", "the result of rounding `x` _up_", NUMBER)
            .impl((c, a) -> Arith.ceil(Args.num(a, 0))),
        def("floor", "Rounds the number _down_ to the nearest integer.")
            .categories("numbers")
            .arg("x", "the number to round", NUMBER)
            .returns("y", "the result of rounding `x` _down_", NUMBER)
            .impl((c, a) -> Arith.floor(Args.num(a, 0))),
        def("numbers.range", "Returns an array of numbers in the given (inclusive) range. If `a==b`, then `range == "
                + "[a]`; if `a > b`, then `range` is in descending order.")
            .arg("a", "the start of the range", NUMBER)
            .arg("b", "the end of the range (inclusive)", NUMBER)
            .returns("range", "the range between `a` and `b`", arrayOf(NUMBER))
            .impl((c, a) -> range(c, Args.bigInt(a, 0), Args.bigInt(a, 1), BigInteger.ONE, "numbers.range")),
        def("numbers.range_step", "Returns an array of numbers in the given (inclusive) range incremented by a positive "
                + "step.\n\tIf \"a==b\", then \"range == [a]\"; if \"a > b\", then \"range\" is in descending "
                + "order.\n\tIf the provided \"step\" is less then 1, an error will be thrown.\n\tIf \"b\" is "
                + "not in the range of the provided \"step\", \"b\" won't be included in the result.\n\t")
            .arg("a", "the start of the range", NUMBER)
            .arg("b", "the end of the range (inclusive)", NUMBER)
            .arg("step", "the step between numbers in the range", NUMBER)
            .returns("range", "the range between `a` and `b` in `step` increments", arrayOf(NUMBER))
            .impl(Operators::rangeStep),
        def("rand.intn", "Returns a random integer between `0` and `n` (`n` exclusive). If `n` is `0`, then `y` is "
                + "always `0`. For any given argument pair (`str`, `n`), the output will be consistent "
                + "throughout a query evaluation.")
            .categories("numbers")
            .arg("str", "seed string for the random number", STRING)
            .arg("n", "upper bound of the random number (exclusive)", NUMBER)
            .returns("y", "random integer in the range `[0, abs(n))`", NUMBER)
            .nondeterministic()
            .impl(Operators::randIntn),

        def("and", "Returns the intersection of two sets.")
            .categories("sets")
            .arg("x", "the first set", ANY_SET)
            .arg("y", "the second set", ANY_SET)
            .returns("z", "the intersection of `x` and `y`", ANY_SET)
            .infix("&")
            .impl((c, a) -> Args.set(a, 0).intersect(Args.set(a, 1))),
        def("or", "Returns the union of two sets.")
            .categories("sets")
            .arg("x", null, ANY_SET)
            .arg("y", null, ANY_SET)
            .returns("z", "the union of `x` and `y`", ANY_SET)
            .infix("|")
            .impl((c, a) -> Args.set(a, 0).union(Args.set(a, 1))),

        def("bits.and", "Returns the bitwise \"AND\" of two integers.")
            .arg("x", "the first integer", NUMBER)
            .arg("y", "the second integer", NUMBER)
            .returns("z", "the bitwise AND of `x` and `y`", NUMBER)
            .impl(bits2(BigInteger::and)),
        def("bits.lsh", "Returns a new integer with its bits shifted `s` bits to the left.")
            .arg("x", "the integer to shift", NUMBER)
            .arg("s", "the number of bits to shift", NUMBER)
            .returns("z", "the result of shifting `x` `s` bits to the left", NUMBER)
            .impl((c, a) -> shift(a, true)),
        def("bits.negate", "Returns the bitwise negation (flip) of an integer.")
            .arg("x", "the integer to negate", NUMBER)
            .returns("z", "the bitwise negation of `x`", NUMBER)
            .impl((c, a) -> Arith.intToNumber(Args.bigInt(a, 0).not())),
        def("bits.or", "Returns the bitwise \"OR\" of two integers.")
            .arg("x", "the first integer", NUMBER)
            .arg("y", "the second integer", NUMBER)
            .returns("z", "the bitwise OR of `x` and `y`", NUMBER)
            .impl(bits2(BigInteger::or)),
        def("bits.rsh", "Returns a new integer with its bits shifted `s` bits to the right.")
            .arg("x", "the integer to shift", NUMBER)
            .arg("s", "the number of bits to shift", NUMBER)
            .returns("z", "the result of shifting `x` `s` bits to the right", NUMBER)
            .impl((c, a) -> shift(a, false)),
        def("bits.xor", "Returns the bitwise \"XOR\" (exclusive-or) of two integers.")
            .arg("x", "the first integer", NUMBER)
            .arg("y", "the second integer", NUMBER)
            .returns("z", "the bitwise XOR of `x` and `y`", NUMBER)
            .impl(bits2(BigInteger::xor)));
  }

  private static Value minus(BuiltinContext c, Value[] a) {
    if (a[0] instanceof NumberValue x && a[1] instanceof NumberValue y) {
      return Arith.minus(x, y);
    }
    if (a[0] instanceof SetValue x && a[1] instanceof SetValue y) {
      return x.minus(y);
    }
    if (!(a[0] instanceof NumberValue) && !(a[0] instanceof SetValue)) {
      throw BuiltinException.operandType(1, a[0], "number", "set");
    }
    if (a[1] instanceof NumberValue) {
      throw BuiltinException.operandType(2, a[1], "set");
    }
    throw BuiltinException.operandType(2, a[1], "number");
  }

  private static Fn.Impl bits2(BinaryOperator<BigInteger> op) {
    return (c, a) -> {
      BigInteger x = Args.bigInt(a, 0);
      BigInteger y = Args.bigInt(a, 1);
      return Arith.intToNumber(op.apply(x, y));
    };
  }

  private static Value shift(Value[] a, boolean left) {
    BigInteger x = Args.bigInt(a, 0);
    BigInteger s = Args.bigInt(a, 1);
    if (s.signum() < 0) {
      throw BuiltinException.typeError("operand 2 must be an unsigned integer number but got a negative integer");
    }
    if (s.bitLength() > 31) {
      // Go shifts by the low 64 bits of the amount; a shift this large cannot be represented
      if (!left) {
        return x.signum() < 0 ? NumberValue.of(-1) : NumberValue.ZERO;
      }
      if (x.signum() == 0) {
        return NumberValue.ZERO;
      }
      throw BuiltinException.error("shift amount too large");
    }
    int n = s.intValue();
    return Arith.intToNumber(left ? x.shiftLeft(n) : x.shiftRight(n));
  }

  private static Value rangeStep(BuiltinContext c, Value[] a) {
    BigInteger from = Args.bigInt(a, 0);
    BigInteger to = Args.bigInt(a, 1);
    BigInteger step = Args.bigInt(a, 2);
    if (step.signum() <= 0) {
      throw BuiltinException.error("numbers.range_step: step must be a positive integer");
    }
    return range(c, from, to, step, "numbers.range_step");
  }

  private static Value range(BuiltinContext c, BigInteger from, BigInteger to, BigInteger step, String name) {
    boolean up = from.compareTo(to) <= 0;
    if (from.bitLength() < 63 && to.bitLength() < 63 && step.bitLength() < 62) {
      long x = from.longValue();
      long y = to.longValue();
      long s = step.longValue();
      long count = (up ? (y - x) : (x - y)) / s + 1;
      List<Value> out = new ArrayList<>((int) Math.min(count, 1 << 16));
      for (long i = x; up ? i <= y : i >= y; i = up ? i + s : i - s) {
        out.add(NumberValue.of(i));
        if ((out.size() & 0xFFF) == 0) {
          cancelled(c, name);
        }
      }
      return ArrayValue.of(out);
    }
    List<Value> out = new ArrayList<>();
    for (BigInteger i = from; up ? i.compareTo(to) <= 0 : i.compareTo(to) >= 0; i = up ? i.add(step) : i.subtract(step)) {
      out.add(Arith.intToNumber(i));
      if ((out.size() & 0xFFF) == 0) {
        cancelled(c, name);
      }
    }
    return ArrayValue.of(out);
  }

  private static void cancelled(BuiltinContext c, String name) {
    c.checkCancelled();
  }

  /** rand.intn: one random draw per (str, |n|) per query, from the query's generator. */
  private static Value randIntn(BuiltinContext c, Value[] a) {
    String key = Args.str(a, 0);
    long n = Args.intOperand(a, 1);
    if (n == 0) {
      return NumberValue.ZERO;
    }
    long bound = Math.abs(n);
    RandKey k = new RandKey(key, bound);
    Value cached = (Value) c.queryCache().get(k);
    if (cached == null) {
      SplittableRandom r = (SplittableRandom) c.queryCache().computeIfAbsent(RANDOM_KEY, x -> new SplittableRandom());
      cached = NumberValue.of(r.nextLong(bound));
      c.queryCache().put(k, cached);
    }
    return cached;
  }

  private record RandKey(String str, long n) {}

  static boolean member(Value x, Value coll) {
    if (coll instanceof SetValue s) {
      return s.contains(x);
    }
    if (coll instanceof ArrayValue a) {
      for (int i = 0; i < a.size(); i++) {
        if (a.get(i).equals(x)) {
          return true;
        }
      }
      return false;
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

  /** {@code key, value in coll}: a set matches when it holds key and key equals value. */
  static boolean memberWithKey(Value key, Value val, Value coll) {
    if (coll instanceof SetValue s) {
      return s.contains(key) && key.equals(val);
    }
    Value v = lookup(coll, key);
    return v != null && v.equals(val);
  }

  /** coll[key] for objects and arrays (integer indexes), or null. */
  static Value lookup(Value coll, Value key) {
    if (coll instanceof ObjectValue o) {
      return o.get(key);
    }
    if (coll instanceof ArrayValue a && key instanceof NumberValue n && n.isIntLiteral()) {
      long i = n.longValue();
      return i >= 0 && i < a.size() ? a.get((int) i) : null;
    }
    return null;
  }
}
