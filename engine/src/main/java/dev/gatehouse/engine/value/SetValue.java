package dev.gatehouse.engine.value;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * An immutable Rego set. Membership is a hash lookup; iteration and output are in sorted order
 * (computed once, on first use), as OPA does.
 */
public final class SetValue implements Value, Iterable<Value> {
  public static final SetValue EMPTY = new SetValue(new LinkedHashSet<>());

  private final LinkedHashSet<Value> members;
  private volatile Value[] sorted;
  private int hash;

  private SetValue(LinkedHashSet<Value> members) {
    this.members = members;
  }

  public static SetValue of(Value... elems) {
    return of(Arrays.asList(elems));
  }

  public static SetValue of(Collection<? extends Value> elems) {
    if (elems.isEmpty()) {
      return EMPTY;
    }
    return new SetValue(new LinkedHashSet<>(elems));
  }

  public static Builder builder() {
    return new Builder();
  }

  public int size() { return members.size(); }

  public boolean isEmpty() { return members.isEmpty(); }

  public boolean contains(Value v) { return members.contains(v); }

  /** Members in OPA's sorted order. */
  public List<Value> sorted() {
    return Collections.unmodifiableList(Arrays.asList(sortedArray()));
  }

  private Value[] sortedArray() {
    Value[] s = sorted;
    if (s == null) {
      s = members.toArray(new Value[0]);
      Arrays.sort(s);
      sorted = s;
    }
    return s;
  }

  /** Iterates in sorted order. */
  @Override
  public Iterator<Value> iterator() {
    return sorted().iterator();
  }

  /** A read-only view for fast membership tests; iteration order is insertion order. */
  public Set<Value> asSet() {
    return Collections.unmodifiableSet(members);
  }

  public SetValue union(SetValue other) {
    if (other.isEmpty()) {
      return this;
    }
    if (isEmpty()) {
      return other;
    }
    LinkedHashSet<Value> m = new LinkedHashSet<>(members);
    m.addAll(other.members);
    return new SetValue(m);
  }

  public SetValue intersect(SetValue other) {
    LinkedHashSet<Value> m = new LinkedHashSet<>();
    for (Value v : members) {
      if (other.members.contains(v)) {
        m.add(v);
      }
    }
    return m.isEmpty() ? EMPTY : new SetValue(m);
  }

  public SetValue minus(SetValue other) {
    LinkedHashSet<Value> m = new LinkedHashSet<>();
    for (Value v : members) {
      if (!other.members.contains(v)) {
        m.add(v);
      }
    }
    return m.isEmpty() ? EMPTY : new SetValue(m);
  }

  @Override public int typeOrder() { return 6; }
  @Override public String typeName() { return "set"; }

  @Override
  public int compareTo(Value o) {
    int c = Value.typeCompare(this, o);
    if (c != 0) {
      return c;
    }
    Value[] a = sortedArray();
    Value[] b = ((SetValue) o).sortedArray();
    int n = Math.min(a.length, b.length);
    for (int i = 0; i < n; i++) {
      c = a[i].compareTo(b[i]);
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
    return o instanceof SetValue s && s.members.size() == members.size() && s.hashCode() == hashCode()
        && members.containsAll(s.members);
  }

  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      for (Value v : members) {
        h += v.hashCode();
      }
      h = h * 31 + 6;
      if (h == 0) {
        h = 1;
      }
      hash = h;
    }
    return h;
  }

  @Override
  public String toString() {
    if (members.isEmpty()) {
      return "set()";
    }
    StringBuilder sb = new StringBuilder("{");
    boolean first = true;
    for (Value v : sortedArray()) {
      if (!first) {
        sb.append(", ");
      }
      first = false;
      sb.append(v);
    }
    return sb.append('}').toString();
  }

  /** Accumulates members; the first of several equal members ({@code 1}, {@code 1.0}) is kept. */
  public static final class Builder {
    private LinkedHashSet<Value> members = new LinkedHashSet<>();

    public Builder add(Value v) {
      members.add(v);
      return this;
    }

    public Builder addAll(Iterable<? extends Value> vs) {
      for (Value v : vs) {
        members.add(v);
      }
      return this;
    }

    public boolean contains(Value v) { return members.contains(v); }

    public int size() { return members.size(); }

    public SetValue build() {
      if (members.isEmpty()) {
        return EMPTY;
      }
      SetValue s = new SetValue(members);
      members = new LinkedHashSet<>();
      return s;
    }

    /** Members so far, for callers that need to list them before building. */
    public List<Value> snapshot() {
      return new ArrayList<>(members);
    }
  }
}
