package dev.gatehouse.engine.value;

import java.util.Arrays;

/**
 * The keys of an object, in insertion order, with their hashes and a lookup index; an
 * {@link ObjectValue} is a shape plus a parallel array of values. The JSON and YAML readers give
 * every object of a document with the same key sequence the same shape (Kubernetes inventories
 * and grant lists repeat a handful of key sets thousands of times), so such an object costs its
 * value array and one small header instead of a hash map with an entry per key.
 *
 * <p>Up to {@link #LINEAR_MAX} keys a lookup scans the hashes (no index: the scan is as fast as a
 * probe at that size and costs no memory); above it an open-addressing table maps a key's hash
 * to its slot, so large objects keep O(1) lookups. The sorted key order OPA iterates in is
 * computed once per shape, on first use. Immutable once published, except for that lazy cache,
 * which is idempotent and published through a volatile field.
 */
final class Shape {
  /** Objects up to this many keys are looked up by a linear scan of their hashes. */
  static final int LINEAR_MAX = 8;

  static final Shape EMPTY = new Shape(new Value[0], new int[0], null);

  final Value[] keys;
  final int[] hashes;
  /** Slot → key index + 1 (0 is empty); null up to {@link #LINEAR_MAX} keys. Length a power of two, at most half full. */
  private final int[] table;
  private volatile Sorted sorted;

  /**
   * Sorted keys and, for each sorted position, the index of that key in insertion order; order is
   * null when the keys were inserted sorted (then the keys array is the shape's own).
   */
  record Sorted(Value[] keys, int[] order) {
    /** The insertion index of the i-th key in sorted order. */
    int at(int i) {
      return order == null ? i : order[i];
    }
  }

  /** Keys and their hashes must be distinct by equality and owned by the shape from now on. */
  Shape(Value[] keys, int[] hashes, int[] table) {
    this.keys = keys;
    this.hashes = hashes;
    this.table = table != null || keys.length <= LINEAR_MAX ? table : index(hashes, keys.length);
  }

  /** A shape of distinct keys (the caller hands the array over). */
  static Shape of(Value[] keys) {
    int[] hashes = new int[keys.length];
    for (int i = 0; i < keys.length; i++) {
      hashes[i] = keys[i].hashCode();
    }
    return new Shape(keys, hashes, null);
  }

  int size() {
    return keys.length;
  }

  /** The index of key, or -1. */
  int indexOf(Value key) {
    return indexOf(keys, hashes, table, keys.length, key, key.hashCode());
  }

  /** The index of a string key, or -1, without wrapping it in a StringValue. */
  int indexOf(String key) {
    int h = key.hashCode(); // StringValue hashes as its String
    Value[] ks = keys;
    int[] hs = hashes;
    if (table == null) {
      for (int i = 0; i < ks.length; i++) {
        if (hs[i] == h && ks[i] instanceof StringValue s && s.value().equals(key)) {
          return i;
        }
      }
      return -1;
    }
    int mask = table.length - 1;
    for (int s = mix(h) & mask; ; s = (s + 1) & mask) {
      int e = table[s];
      if (e == 0) {
        return -1;
      }
      int i = e - 1;
      if (hs[i] == h && ks[i] instanceof StringValue sv && sv.value().equals(key)) {
        return i;
      }
    }
  }

  /** Lookup shared by shapes and builders: {@code table} null means scan the first n keys. */
  static int indexOf(Value[] keys, int[] hashes, int[] table, int n, Value key, int h) {
    if (table == null) {
      for (int i = 0; i < n; i++) {
        if (hashes[i] == h && (keys[i] == key || keys[i].equals(key))) {
          return i;
        }
      }
      return -1;
    }
    int mask = table.length - 1;
    for (int s = mix(h) & mask; ; s = (s + 1) & mask) {
      int e = table[s];
      if (e == 0) {
        return -1;
      }
      int i = e - 1;
      if (hashes[i] == h && (keys[i] == key || keys[i].equals(key))) {
        return i;
      }
    }
  }

  /** An index over the first n hashes, sized so it is at most half full. */
  static int[] index(int[] hashes, int n) {
    int cap = Integer.highestOneBit(Math.max(n, 2) * 2 - 1) << 1;
    int[] t = new int[cap];
    for (int i = 0; i < n; i++) {
      insert(t, hashes[i], i);
    }
    return t;
  }

  /** Adds key index i (whose hash is h) to the table, which must have a free slot. */
  static void insert(int[] table, int h, int i) {
    int mask = table.length - 1;
    int s = mix(h) & mask;
    while (table[s] != 0) {
      s = (s + 1) & mask;
    }
    table[s] = i + 1;
  }

  /** Spreads the hash's bits into the low ones (string hashes of similar keys differ in few bits). */
  static int mix(int h) {
    h *= 0x9E3779B9;
    return h ^ (h >>> 16);
  }

  /** This shape with one more key, which must not be present. */
  Shape plus(Value key) {
    int n = keys.length;
    Value[] ks = Arrays.copyOf(keys, n + 1);
    int[] hs = Arrays.copyOf(hashes, n + 1);
    ks[n] = key;
    hs[n] = key.hashCode();
    return new Shape(ks, hs, null);
  }

  /** This shape without the key at index i. */
  Shape minus(int i) {
    int n = keys.length;
    Value[] ks = new Value[n - 1];
    int[] hs = new int[n - 1];
    System.arraycopy(keys, 0, ks, 0, i);
    System.arraycopy(keys, i + 1, ks, i, n - i - 1);
    System.arraycopy(hashes, 0, hs, 0, i);
    System.arraycopy(hashes, i + 1, hs, i, n - i - 1);
    return new Shape(ks, hs, null);
  }

  Sorted sorted() {
    Sorted s = sorted;
    if (s == null) {
      s = sort(keys);
      sorted = s;
    }
    return s;
  }

  private static Sorted sort(Value[] keys) {
    int n = keys.length;
    boolean inOrder = true;
    for (int i = 1; i < n && inOrder; i++) {
      inOrder = keys[i - 1].compareTo(keys[i]) < 0;
    }
    if (inOrder) {
      return new Sorted(keys, null); // JSON written by Go, OPA or this engine has its keys sorted
    }
    int[] order = new int[n];
    if (n <= 16) {
      for (int i = 0; i < n; i++) { // insertion sort: no boxing for the usual small object
        int x = i;
        int j = i - 1;
        while (j >= 0 && keys[order[j]].compareTo(keys[x]) > 0) {
          order[j + 1] = order[j];
          j--;
        }
        order[j + 1] = x;
      }
    } else {
      Integer[] idx = new Integer[n];
      for (int i = 0; i < n; i++) {
        idx[i] = i;
      }
      Arrays.sort(idx, (a, b) -> keys[a].compareTo(keys[b]));
      for (int i = 0; i < n; i++) {
        order[i] = idx[i];
      }
    }
    Value[] sk = new Value[n];
    for (int i = 0; i < n; i++) {
      sk[i] = keys[order[i]];
    }
    return new Sorted(sk, order);
  }
}
