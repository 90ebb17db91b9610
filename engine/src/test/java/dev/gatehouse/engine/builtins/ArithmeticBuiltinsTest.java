package dev.gatehouse.engine.builtins;

import static dev.gatehouse.engine.builtins.RegoEval.eval;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Number semantics that differ from naive arithmetic. Expected values recorded with OPA v1.22.2. */
class ArithmeticBuiltinsTest {

  @Test
  void roundsHalfAwayFromZero() {
    assertThat(eval("round(2.5)")).isEqualTo("3");
    assertThat(eval("round(-2.5)")).isEqualTo("-3");
    assertThat(eval("round(2.4999)")).isEqualTo("2");
    assertThat(eval("round(-0.5)")).isEqualTo("-1");
  }

  @Test
  void roundingLargeFloatsGivesTheExactIntegerOfTheBinaryValue() {
    assertThat(eval("round(1e300)")).startsWith("1000000000000000000008997324079559193870523944273290747938260082321");
  }

  @Test
  void ceilAndFloorKeepOpasTruncationQuirkBetweenMinusOneAndZero() {
    assertThat(eval("floor(-0.5)")).isEqualTo("0");
    assertThat(eval("ceil(-0.5)")).isEqualTo("1");
    assertThat(eval("floor(-1.5)")).isEqualTo("-2");
    assertThat(eval("ceil(-1.5)")).isEqualTo("-1");
  }

  @Test
  void remainderTakesTheSignOfTheDividendAndRejectsFloats() {
    assertThat(eval("-7 % 3")).isEqualTo("-1");
    assertThat(eval("7 % -3")).isEqualTo("1");
    assertThat(eval("4 % 2.0")).isEqualTo("0");
    assertThat(eval("7.5 % 2")).isEqualTo("ERR eval_builtin_error rem: modulo on floating-point number");
    assertThat(eval("7 % 0")).isEqualTo("ERR eval_builtin_error rem: modulo by zero");
  }

  @Test
  void divisionByZeroIsAnErrorEvenForZeroFloats() {
    assertThat(eval("1 / 0")).isEqualTo("ERR eval_builtin_error div: divide by zero");
    assertThat(eval("5 / 0.0")).isEqualTo("ERR eval_builtin_error div: divide by zero");
  }

  @Test
  void divisionIsExactOnlyForSmallIntegersThatDivide() {
    assertThat(eval("10 / 4")).isEqualTo("2.5");
    assertThat(eval("1 / 3")).isEqualTo("0.33333333333333333334");
    assertThat(eval("123456789012345678901234567890 / 10")).isEqualTo("12345678901234567890000000000");
    assertThat(eval("0 / -5")).isEqualTo("-0");
  }

  @Test
  void bigIntegersStayExactForAdditionAndMultiplication() {
    assertThat(eval("123456789012345678901234567890 + 1")).isEqualTo("123456789012345678901234567891");
    assertThat(eval("1.5e300 * 1.5e300")).startsWith("225").hasSize(601);
    assertThat(eval("9007199254740993 + 0")).isEqualTo("9007199254740993");
  }

  @Test
  void floatsUseA64BitMantissaAndPrintTheShortestDigits() {
    assertThat(eval("0.1 + 0.2")).isEqualTo("0.3");
    assertThat(eval("1e30 + 0.5")).isEqualTo("1000000000000000000000000000000");
    assertThat(eval("abs(-12345678901234567890123)")).isEqualTo("12345678901234567890000");
  }

  @Test
  void integerOperandsMayBeWrittenWithAZeroFraction() {
    assertThat(eval("substring(\"abc\", 1.0, 1)")).isEqualTo("\"b\"");
    assertThat(eval("round(1.0)")).isEqualTo("1");
    assertThat(eval("numbers.range(1.5, 5)"))
        .isEqualTo("ERR eval_type_error numbers.range: operand 1 must be integer number but got floating-point number");
  }

  @Test
  void bitShiftsRejectNegativeAmounts() {
    assertThat(eval("bits.lsh(1, 70)")).isEqualTo("1180591620717411303424");
    assertThat(eval("bits.lsh(1, -1)"))
        .isEqualTo("ERR eval_type_error bits.lsh: operand 2 must be an unsigned integer number but got a negative integer");
  }

  @Test
  void toNumberKeepsTheSpellingAndRejectsWhatGoCannotParse() {
    assertThat(eval("to_number(\"12.50\")")).isEqualTo("12.50");
    assertThat(eval("to_number(\" 1\")"))
        .isEqualTo("ERR eval_builtin_error to_number: strconv.ParseFloat: parsing \" 1\": invalid syntax");
    assertThat(eval("to_number(\"1e400\")"))
        .isEqualTo("ERR eval_builtin_error to_number: strconv.ParseFloat: parsing \"1e400\": value out of range");
    assertThat(eval("to_number(\"NaN\")"))
        .isEqualTo("ERR eval_type_error to_number: operand 1 must be valid number string but got string");
  }
}
