package dev.gatehouse.engine.value;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * An immutable Rego object; keys may be any value. Lookup is a hash lookup (a scan of the key
 * hashes up to eight keys); iteration and output are in sorted key order, as OPA does.
 *
 * <p>Stored as a {@link Shape} (the keys in insertion order, shared by every object a document
 * has with the same key sequence) and a parallel array of values: a few dozen bytes for a small
 * object where a hash map with its entries took about two hundred.
 */
public final class ObjectValue implements Value {
  public static final ObjectValue EMPTY = new ObjectValue(Shape.EMPTY, new Value[0]);

  private final Shape shape;
  private final Value[] values;
  private int hash;

  private ObjectValue(Shape shape, Value[] values) {
    this.shape = shape;
    this.values = values;
  }

  /** An object over a shape and its values, in the shape's key order (the caller hands values over). */
  static ObjectValue of(Shape shape, Value[] values) {
    return values.length == 0 ? EMPTY : new ObjectValue(shape, values);
  }

  public static ObjectValue of(Map<? extends Value, ? extends Value> entries) {
    if (entries.isEmpty()) {
      return EMPTY;
    }
    Builder b = new Builder(entries.size());
    entries.forEach(b::put);
    return b.build();
  }

  /** Convenience for objects with string keys: {@code of("a", v1, "b", v2)}. */
  public static ObjectValue of(Object... keysAndValues) {
    Builder b = new Builder(keysAndValues.length / 2);
    for (int i = 0; i < keysAndValues.length; i += 2) {
      Object k = keysAndValues[i];
      b.put(k instanceof Value kv ? kv : StringValue.of((String) k), (Value) keysAndValues[i + 1]);
    }
    return b.build();
  }

  public static Builder builder() {
    return new Builder(4);
  }

  /** The keys' shape; package-private, for tests of sharing. */
  Shape shape() { return shape; }

  public int size() { return values.length; }

  public boolean isEmpty() { return values.length == 0; }

  /** The value at key, or null when absent. */
  public Value get(Value key) {
    int i = shape.indexOf(key);
    return i < 0 ? null : values[i];
  }

  /** The value at a string key, or null when absent. */
  public Value get(String key) {
    int i = shape.indexOf(key);
    return i < 0 ? null : values[i];
  }

  public boolean containsKey(Value key) { return shape.indexOf(key) >= 0; }

  /** Keys in sorted order. */
  public List<Value> keys() {
    return Collections.unmodifiableList(Arrays.asList(shape.sorted().keys()));
  }

  /** Visits entries in sorted key order. */
  public void forEach(BiConsumer<Value, Value> action) {
    Shape.Sorted s = shape.sorted();
    Value[] ks = s.keys();
    for (int i = 0; i < ks.length; i++) {
      action.accept(ks[i], values[s.at(i)]);
    }
  }

  /** A read-only map view; its iteration order is insertion order, not sorted order. */
  public Map<Value, Value> asMap() {
    return new MapView();
  }

  /** A copy with key set to value (an existing key keeps its place, as a map's put keeps it). */
  public ObjectValue with(Value key, Value value) {
    int i = shape.indexOf(key);
    if (i >= 0) {
      Value[] vs = values.clone();
      vs[i] = value;
      return new ObjectValue(shape, vs);
    }
    Value[] vs = Arrays.copyOf(values, values.length + 1);
    vs[values.length] = value;
    return new ObjectValue(shape.plus(key), vs);
  }

  /** A copy without key. */
  public ObjectValue without(Value key) {
    int i = shape.indexOf(key);
    if (i < 0) {
      return this;
    }
    if (values.length == 1) {
      return EMPTY;
    }
    Value[] vs = new Value[values.length - 1];
    System.arraycopy(values, 0, vs, 0, i);
    System.arraycopy(values, i + 1, vs, i, values.length - i - 1);
    return new ObjectValue(shape.minus(i), vs);
  }

  @Override public int typeOrder() { return 5; }
  @Override public String typeName() { return "object"; }

  @Override
  public int compareTo(Value o) {
    int c = Value.typeCompare(this, o);
    if (c != 0) {
      return c;
    }
    ObjectValue other = (ObjectValue) o;
    Shape.Sorted sa = shape.sorted();
    Shape.Sorted sb = other.shape.sorted();
    Value[] a = sa.keys();
    Value[] b = sb.keys();
    int n = Math.min(a.length, b.length);
    for (int i = 0; i < n; i++) {
      c = a[i].compareTo(b[i]);
      if (c != 0) {
        return c;
      }
      c = values[sa.at(i)].compareTo(other.values[sb.at(i)]);
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.length, b.length);
  }

  @Override
  public boolean equals(Object o) {
    if (o == this) {
      return true;
    }
    if (!(o instanceof ObjectValue other) || other.values.length != values.length || other.hashCode() != hashCode()) {
      return false;
    }
    if (other.shape == shape) {
      return Arrays.equals(values, other.values);
    }
    Value[] ks = shape.keys;
    for (int i = 0; i < ks.length; i++) {
      Value v = other.get(ks[i]);
      if (v == null || !v.equals(values[i])) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      int[] hs = shape.hashes;
      for (int i = 0; i < hs.length; i++) {
        h += hs[i] * 31 ^ values[i].hashCode();
      }
      h = h * 31 + 5;
      if (h == 0) {
        h = 1; // 0 marks "not computed yet"
      }
      hash = h;
    }
    return h;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("{");
    boolean[] first = {true};
    forEach((k, v) -> {
      if (!first[0]) {
        sb.append(", ");
      }
      first[0] = false;
      sb.append(k).append(": ").append(v);
    });
    return sb.append('}').toString();
  }

  /** The insertion-ordered map view {@link #asMap()} returns. */
  private final class MapView extends AbstractMap<Value, Value> {
    @Override public int size() { return values.length; }

    @Override public Value get(Object key) {
      return key instanceof Value k ? ObjectValue.this.get(k) : null;
    }

    @Override public boolean containsKey(Object key) {
      return key instanceof Value k && ObjectValue.this.containsKey(k);
    }

    @Override public Set<Map.Entry<Value, Value>> entrySet() {
      return new AbstractSet<>() {
        @Override public int size() { return values.length; }

        @Override public Iterator<Map.Entry<Value, Value>> iterator() {
          return new Iterator<>() {
            private int i;

            @Override public boolean hasNext() { return i < values.length; }

            @Override public Map.Entry<Value, Value> next() {
              if (i >= values.length) {
                throw new NoSuchElementException();
              }
              Map.Entry<Value, Value> e = new AbstractMap.SimpleImmutableEntry<>(shape.keys[i], values[i]);
              i++;
              return e;
            }
          };
        }
      };
    }
  }

  /**
   * Accumulates entries; a later put for an equal key replaces the value and keeps the first
   * key and its place, as a map does. Lookups scan up to eight keys and use a hash index above.
   */
  public static final class Builder {
    private Value[] keys;
    private Value[] vals;
    private int[] hashes;
    private int[] table;
    private int size;

    public Builder() {
      this(4);
    }

    Builder(int capacity) {
      allocate(capacity);
    }

    private void allocate(int capacity) {
      int c = Math.max(capacity, 1);
      keys = new Value[c];
      vals = new Value[c];
      hashes = new int[c];
    }

    public Builder put(Value k, Value v) {
      if (keys == null) {
        allocate(4); // reused after build()
      }
      int h = k.hashCode();
      int i = Shape.indexOf(keys, hashes, table, size, k, h);
      if (i >= 0) {
        vals[i] = v;
        return this;
      }
      if (size == keys.length) {
        int c = size * 2;
        keys = Arrays.copyOf(keys, c);
        vals = Arrays.copyOf(vals, c);
        hashes = Arrays.copyOf(hashes, c);
      }
      keys[size] = k;
      vals[size] = v;
      hashes[size] = h;
      size++;
      if (table != null && size * 2 <= table.length) {
        Shape.insert(table, h, size - 1);
      } else if (size > Shape.LINEAR_MAX) {
        table = Shape.index(hashes, size);
      }
      return this;
    }

    public Builder put(String k, Value v) {
      return put(StringValue.of(k), v);
    }

    public Value get(Value k) {
      if (size == 0) {
        return null;
      }
      int i = Shape.indexOf(keys, hashes, table, size, k, k.hashCode());
      return i < 0 ? null : vals[i];
    }

    public boolean containsKey(Value k) {
      return size > 0 && Shape.indexOf(keys, hashes, table, size, k, k.hashCode()) >= 0;
    }

    public int size() { return size; }

    public ObjectValue build() {
      if (size == 0) {
        return EMPTY;
      }
      int n = size;
      Value[] ks = n == keys.length ? keys : Arrays.copyOf(keys, n);
      int[] hs = n == hashes.length ? hashes : Arrays.copyOf(hashes, n);
      Value[] vs = n == vals.length ? vals : Arrays.copyOf(vals, n);
      ObjectValue o = new ObjectValue(new Shape(ks, hs, table), vs);
      keys = null;
      vals = null;
      hashes = null;
      table = null;
      size = 0;
      return o;
    }
  }
}
