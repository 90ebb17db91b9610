package dev.gatehouse.engine.value;

/**
 * A Rego string. Ordering follows Go's byte-wise UTF-8 comparison, which is code-point order
 * (not Java's UTF-16 order); builtins index by code point.
 */
public final class StringValue implements Value {
  public static final StringValue EMPTY = new StringValue("");

  private final String value;

  private StringValue(String value) {
    this.value = value;
  }

  public static StringValue of(String s) {
    return s.isEmpty() ? EMPTY : new StringValue(s);
  }

  public String value() { return value; }

  @Override public int typeOrder() { return 3; }
  @Override public String typeName() { return "string"; }

  @Override
  public int compareTo(Value o) {
    int c = Value.typeCompare(this, o);
    return c != 0 ? c : compareCodePoints(value, ((StringValue) o).value);
  }

  /** Compares two strings by Unicode code point, matching Go's comparison of UTF-8 bytes. */
  public static int compareCodePoints(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x != y) {
        if (Character.isSurrogate(x) || Character.isSurrogate(y)) {
          return Integer.compare(a.codePointAt(i), b.codePointAt(i));
        }
        return x - y;
      }
    }
    return a.length() - b.length();
  }

  @Override
  public boolean equals(Object o) {
    return o == this || (o instanceof StringValue s && s.value.equals(value));
  }

  @Override public int hashCode() { return value.hashCode(); }

  @Override
  public String toString() {
    return Json.quote(value);
  }
}
