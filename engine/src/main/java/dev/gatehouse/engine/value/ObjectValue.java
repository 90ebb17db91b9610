package dev.gatehouse.engine.value;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * An immutable Rego object; keys may be any value. Lookup is a hash lookup; iteration and output
 * are in sorted key order, as OPA does.
 */
public final class ObjectValue implements Value {
  public static final ObjectValue EMPTY = new ObjectValue(new LinkedHashMap<>());

  private final LinkedHashMap<Value, Value> entries;
  private volatile Value[] sortedKeys;
  private int hash;

  private ObjectValue(LinkedHashMap<Value, Value> entries) {
    this.entries = entries;
  }

  public static ObjectValue of(Map<? extends Value, ? extends Value> entries) {
    return entries.isEmpty() ? EMPTY : new ObjectValue(new LinkedHashMap<>(entries));
  }

  /** Convenience for objects with string keys: {@code of("a", v1, "b", v2)}. */
  public static ObjectValue of(Object... keysAndValues) {
    Builder b = builder();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      Object k = keysAndValues[i];
      b.put(k instanceof Value kv ? kv : StringValue.of((String) k), (Value) keysAndValues[i + 1]);
    }
    return b.build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public int size() { return entries.size(); }

  public boolean isEmpty() { return entries.isEmpty(); }

  /** The value at key, or null when absent. */
  public Value get(Value key) { return entries.get(key); }

  /** The value at a string key, or null when absent. */
  public Value get(String key) { return entries.get(StringValue.of(key)); }

  public boolean containsKey(Value key) { return entries.containsKey(key); }

  /** Keys in sorted order. */
  public List<Value> keys() {
    return Collections.unmodifiableList(Arrays.asList(sortedKeyArray()));
  }

  /** Visits entries in sorted key order. */
  public void forEach(BiConsumer<Value, Value> action) {
    for (Value k : sortedKeyArray()) {
      action.accept(k, entries.get(k));
    }
  }

  /** A read-only map view; its iteration order is insertion order, not sorted order. */
  public Map<Value, Value> asMap() {
    return Collections.unmodifiableMap(entries);
  }

  /** A copy with key set to value. */
  public ObjectValue with(Value key, Value value) {
    LinkedHashMap<Value, Value> m = new LinkedHashMap<>(entries);
    m.put(key, value);
    return new ObjectValue(m);
  }

  /** A copy without key. */
  public ObjectValue without(Value key) {
    if (!entries.containsKey(key)) {
      return this;
    }
    LinkedHashMap<Value, Value> m = new LinkedHashMap<>(entries);
    m.remove(key);
    return m.isEmpty() ? EMPTY : new ObjectValue(m);
  }

  private Value[] sortedKeyArray() {
    Value[] s = sortedKeys;
    if (s == null) {
      s = entries.keySet().toArray(new Value[0]);
      Arrays.sort(s);
      sortedKeys = s;
    }
    return s;
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
    Value[] a = sortedKeyArray();
    Value[] b = other.sortedKeyArray();
    int n = Math.min(a.length, b.length);
    for (int i = 0; i < n; i++) {
      c = a[i].compareTo(b[i]);
      if (c != 0) {
        return c;
      }
      c = entries.get(a[i]).compareTo(other.entries.get(b[i]));
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
    if (!(o instanceof ObjectValue other) || other.entries.size() != entries.size() || other.hashCode() != hashCode()) {
      return false;
    }
    for (Map.Entry<Value, Value> e : entries.entrySet()) {
      Value v = other.entries.get(e.getKey());
      if (v == null || !v.equals(e.getValue())) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      for (Map.Entry<Value, Value> e : entries.entrySet()) {
        h += e.getKey().hashCode() * 31 ^ e.getValue().hashCode();
      }
      h = h * 31 + 5;
      if (h == 0) {
        h = 1;
      }
      hash = h;
    }
    return h;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("{");
    boolean first = true;
    for (Value k : sortedKeyArray()) {
      if (!first) {
        sb.append(", ");
      }
      first = false;
      sb.append(k).append(": ").append(entries.get(k));
    }
    return sb.append('}').toString();
  }

  /** Accumulates entries; a later put for an equal key replaces the value. */
  public static final class Builder {
    private LinkedHashMap<Value, Value> entries = new LinkedHashMap<>();

    public Builder put(Value k, Value v) {
      entries.put(k, v);
      return this;
    }

    public Builder put(String k, Value v) {
      return put(StringValue.of(k), v);
    }

    public Value get(Value k) { return entries.get(k); }

    public boolean containsKey(Value k) { return entries.containsKey(k); }

    public int size() { return entries.size(); }

    public ObjectValue build() {
      if (entries.isEmpty()) {
        return EMPTY;
      }
      ObjectValue o = new ObjectValue(entries);
      entries = new LinkedHashMap<>();
      return o;
    }
  }
}
