package dev.gatehouse.engine.value;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HashCodeStabilityTest {

  @Test
  void aValueWhoseHashIsZeroHashesTheSameEveryTime() {
    NumberValue zero = NumberValue.parse("0");
    int first = zero.hashCode();
    assertThat(zero.hashCode()).isEqualTo(first);
  }

  @Test
  void equalZeroesInASetCollapseToOneMember() {
    SetValue s = SetValue.of(NumberValue.of(-1), NumberValue.of(-1), NumberValue.ZERO, NumberValue.parse("0"));
    assertThat(s.size()).isEqualTo(2);
  }

  @Test
  void objectsHoldingZeroCompareEqualAfterEitherWasHashed() {
    ObjectValue a = ObjectValue.of("x", NumberValue.parse("0"));
    ObjectValue b = ObjectValue.of("x", NumberValue.ZERO);
    a.hashCode();
    assertThat(a).isEqualTo(b);
    assertThat(b).isEqualTo(a);
  }
}
