package dev.gatehouse.engine.value;

/**
 * An immutable Rego value. Values are totally ordered across types exactly as OPA orders them
 * (null &lt; boolean &lt; number &lt; string &lt; array &lt; object &lt; set), and equal values hash
 * equally, so any value may be an object key or a set member.
 */
public sealed interface Value extends Comparable<Value>
    permits NullValue, BooleanValue, NumberValue, StringValue, ArrayValue, ObjectValue, SetValue {

  /** Position of this value's type in OPA's cross-type order. */
  int typeOrder();

  /** OPA's type name: null, boolean, number, string, array, object, set. */
  String typeName();

  /** Canonical compact JSON, as OPA renders it (sets as sorted arrays, object keys sorted). */
  default String toJson() {
    return Json.write(this);
  }

  /** Rego source form, as OPA prints terms: {@code "s"}, {@code [1, 2]}, {@code {"a": 1}}, {@code set()}. */
  @Override
  String toString();

  static int typeCompare(Value a, Value b) {
    return Integer.compare(a.typeOrder(), b.typeOrder());
  }
}
