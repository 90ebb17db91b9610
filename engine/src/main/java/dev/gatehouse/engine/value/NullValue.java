package dev.gatehouse.engine.value;

/** The Rego/JSON {@code null}. */
public final class NullValue implements Value {
  public static final NullValue INSTANCE = new NullValue();

  private NullValue() {}

  @Override public int typeOrder() { return 0; }
  @Override public String typeName() { return "null"; }
  @Override public int compareTo(Value o) { return Value.typeCompare(this, o); }
  @Override public boolean equals(Object o) { return o == this; }
  @Override public int hashCode() { return 0x6e756c6c; }
  @Override public String toString() { return "null"; }
}
