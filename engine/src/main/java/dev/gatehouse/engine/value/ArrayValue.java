package dev.gatehouse.engine.value;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.RandomAccess;

/** An immutable Rego array. */
public final class ArrayValue implements Value {
  public static final ArrayValue EMPTY = new ArrayValue(new Value[0]);

  private final Value[] elems;
  private int hash;

  private ArrayValue(Value[] elems) {
    this.elems = elems;
  }

  public static ArrayValue of(Value... elems) {
    return elems.length == 0 ? EMPTY : new ArrayValue(elems.clone());
  }

  public static ArrayValue of(Collection<? extends Value> elems) {
    return elems.isEmpty() ? EMPTY : new ArrayValue(elems.toArray(new Value[0]));
  }

  /** Wraps the array without copying; the caller hands over ownership and must not modify it. */
  public static ArrayValue wrap(Value[] elems) {
    return elems.length == 0 ? EMPTY : new ArrayValue(elems);
  }

  public int size() { return elems.length; }

  public Value get(int i) { return elems[i]; }

  /** A read-only list view. */
  public List<Value> elements() {
    return new View();
  }

  public ArrayValue slice(int from, int to) {
    return wrap(Arrays.copyOfRange(elems, from, to));
  }

  public ArrayValue append(Value v) {
    Value[] copy = Arrays.copyOf(elems, elems.length + 1);
    copy[elems.length] = v;
    return new ArrayValue(copy);
  }

  @Override public int typeOrder() { return 4; }
  @Override public String typeName() { return "array"; }

  @Override
  public int compareTo(Value o) {
    int c = Value.typeCompare(this, o);
    if (c != 0) {
      return c;
    }
    Value[] other = ((ArrayValue) o).elems;
    int n = Math.min(elems.length, other.length);
    for (int i = 0; i < n; i++) {
      c = elems[i].compareTo(other[i]);
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(elems.length, other.length);
  }

  @Override
  public boolean equals(Object o) {
    if (o == this) {
      return true;
    }
    if (!(o instanceof ArrayValue a) || a.elems.length != elems.length || a.hashCode() != hashCode()) {
      return false;
    }
    return Arrays.equals(elems, a.elems);
  }

  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      h = Arrays.hashCode(elems) * 31 + 4;
      if (h == 0) {
        h = 1;
      }
      hash = h;
    }
    return h;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < elems.length; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(elems[i]);
    }
    return sb.append(']').toString();
  }

  private final class View extends AbstractList<Value> implements RandomAccess {
    @Override public Value get(int index) { return elems[index]; }
    @Override public int size() { return elems.length; }
  }
}
