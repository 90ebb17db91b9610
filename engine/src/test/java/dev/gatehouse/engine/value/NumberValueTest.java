package dev.gatehouse.engine.value;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class NumberValueTest {

  @Test
  void literalTextIsKeptForOutputLikeOpa() {
    // opa eval (v1.22.2): x := [1.0, 2.50, 1e2] prints [1.0,2.50,1e2]
    assertThat(NumberValue.parse("1.0").text()).isEqualTo("1.0");
    assertThat(NumberValue.parse("2.50").text()).isEqualTo("2.50");
    assertThat(NumberValue.parse("1e2").text()).isEqualTo("1e2");
    assertThat(NumberValue.parse("-0").text()).isEqualTo("-0");
    assertThat(NumberValue.parse("1e400").text()).isEqualTo("1e400");
  }

  @Test
  void numericallyEqualLiteralsAreEqualAndHashAlike() {
    NumberValue one = NumberValue.parse("1");
    NumberValue oneDotZero = NumberValue.parse("1.0");
    NumberValue hundred = NumberValue.parse("1e2");
    assertThat(one).isEqualTo(oneDotZero).hasSameHashCodeAs(oneDotZero);
    assertThat(hundred).isEqualTo(NumberValue.of(100)).hasSameHashCodeAs(NumberValue.of(100));
    assertThat(NumberValue.parse("2.50")).isEqualTo(NumberValue.of(new BigDecimal("2.5")))
        .hasSameHashCodeAs(NumberValue.of(new BigDecimal("2.5")));
    assertThat(one.compareTo(oneDotZero)).isZero();
  }

  @Test
  void hashCodeIsStableForValuesWhoseNaturalHashIsZero() {
    // Long.hashCode(-1) is 0: the cached hash must not differ between the first call and later ones
    NumberValue minusOne = NumberValue.parse("-1");
    int first = minusOne.hashCode();
    assertThat(minusOne.hashCode()).isEqualTo(first);
    ArrayValue fresh = ArrayValue.of(NumberValue.of(-1), NumberValue.of(12));
    ArrayValue warmed = ArrayValue.of(minusOne, NumberValue.of(12));
    warmed.hashCode();
    assertThat(fresh).isEqualTo(warmed);
    assertThat(SetValue.of(fresh).contains(warmed)).isTrue();
  }

  @Test
  void integersBeyondLongRangeStayExact() {
    NumberValue max = NumberValue.of(Long.MAX_VALUE);
    NumberValue beyond = NumberValue.of(BigInteger.valueOf(Long.MAX_VALUE).add(BigInteger.ONE));
    assertThat(beyond.text()).isEqualTo("9223372036854775808");
    assertThat(beyond.isLong()).isFalse();
    assertThat(beyond.isInteger()).isTrue();
    assertThat(max.compareTo(beyond)).isNegative();
    NumberValue big = NumberValue.parse("1e30");
    assertThat(NumberValue.of(big.bigDecimalValue().add(BigDecimal.ONE)).text())
        .isEqualTo("1000000000000000000000000000001");
  }

  @Test
  void computedDecimalsPrintWithoutTrailingZeros() {
    assertThat(NumberValue.of(new BigDecimal("2.500")).text()).isEqualTo("2.5");
    assertThat(NumberValue.of(new BigDecimal("7.0")).text()).isEqualTo("7");
    assertThat(NumberValue.of(new BigDecimal("7.0")).isLong()).isTrue();
  }

  @Test
  void malformedLiteralsAreRejected() {
    assertThatThrownBy(() -> NumberValue.parse("007")).isInstanceOf(NumberFormatException.class);
    assertThatThrownBy(() -> NumberValue.parse("1.")).isInstanceOf(NumberFormatException.class);
    assertThatThrownBy(() -> NumberValue.parse("")).isInstanceOf(NumberFormatException.class);
  }

  @Test
  void intValueOnlyForIntegersInIntRange() {
    assertThat(NumberValue.of(42).intValue()).hasValue(42);
    assertThat(NumberValue.parse("1.5").intValue()).isEmpty();
    assertThat(NumberValue.of(1L << 40).intValue()).isEmpty();
  }
}
