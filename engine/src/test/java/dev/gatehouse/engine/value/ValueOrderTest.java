package dev.gatehouse.engine.value;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValueOrderTest {

  @Test
  void typesOrderAsOpaCompareDoes() {
    List<Value> values = new ArrayList<>(List.of(
        SetValue.of(NumberValue.ONE),
        ObjectValue.of("a", NumberValue.ONE),
        ArrayValue.of(NumberValue.ONE),
        StringValue.of("a"),
        NumberValue.ONE,
        BooleanValue.FALSE,
        NullValue.INSTANCE));
    Collections.sort(values);
    assertThat(values).extracting(Value::typeName)
        .containsExactly("null", "boolean", "number", "string", "array", "object", "set");
  }

  @Test
  void stringsCompareByCodePointLikeGoBytes() {
    // U+FF5E (BMP, above the surrogate range) sorts before U+1F600 in UTF-8, but after it in UTF-16.
    StringValue bmp = StringValue.of("\uFF5E");
    StringValue astral = StringValue.of("\uD83D\uDE00");
    assertThat(bmp.compareTo(astral)).isNegative();
    assertThat(StringValue.of("a").compareTo(StringValue.of("ab"))).isNegative();
  }

  @Test
  void objectsCompareKeyThenValueInSortedKeyOrder() {
    ObjectValue a = ObjectValue.of("a", NumberValue.of(2));
    ObjectValue b = ObjectValue.of("a", NumberValue.ONE, "b", NumberValue.ONE);
    assertThat(a.compareTo(b)).isPositive();
    assertThat(ObjectValue.of("a", NumberValue.ONE).compareTo(b)).isNegative();
  }

  @Test
  void setsIterateSortedAndKeepFirstOfEqualMembers() {
    SetValue s = SetValue.builder()
        .add(NumberValue.of(3)).add(NumberValue.parse("1")).add(NumberValue.parse("1.0")).add(StringValue.of("x"))
        .build();
    assertThat(s.size()).isEqualTo(3);
    assertThat(s.sorted()).containsExactly(NumberValue.ONE, NumberValue.of(3), StringValue.of("x"));
    assertThat(((NumberValue) s.sorted().get(0)).text()).isEqualTo("1");
  }

  @Test
  void compositesWithEqualContentAreEqualRegardlessOfInsertionOrder() {
    ObjectValue x = ObjectValue.of("a", NumberValue.ONE, "b", SetValue.of(NumberValue.ONE, NumberValue.of(2)));
    ObjectValue y = ObjectValue.of("b", SetValue.of(NumberValue.of(2), NumberValue.ONE), "a", NumberValue.parse("1.0"));
    assertThat(x).isEqualTo(y).hasSameHashCodeAs(y);
    assertThat(x.compareTo(y)).isZero();
  }

  @Test
  void regoSourceFormMatchesOpaTermPrinting() {
    Value v = ArrayValue.of(StringValue.of("a"), SetValue.EMPTY, ObjectValue.of("k", SetValue.of(NumberValue.of(2), NumberValue.ONE)));
    assertThat(v.toString()).isEqualTo("[\"a\", set(), {\"k\": {1, 2}}]");
  }
}
