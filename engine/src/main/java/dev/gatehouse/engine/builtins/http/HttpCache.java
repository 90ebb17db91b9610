package dev.gatehouse.engine.builtins.http;

import dev.gatehouse.engine.value.Value;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * http.send's inter-query cache: responses kept across queries of one policy (it lives in the
 * policy's shared cache), for requests with {@code cache} or {@code force_cache}. Bounded; the
 * least recently used entry goes first.
 */
final class HttpCache {
  static final String KEY = "http.send:inter-query-cache";
  private static final int MAX_ENTRIES = 1_000;

  /** A stored response; headers keep the server's values, expiry is in Unix nanoseconds. */
  record Entry(int statusCode, String status, Map<String, List<String>> headers, byte[] body, long expiresAtNanos) {}

  private final Map<Value, Entry> entries = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Value, Entry> eldest) {
      return size() > MAX_ENTRIES;
    }
  };

  synchronized Entry get(Value key) {
    return entries.get(key);
  }

  synchronized void put(Value key, Entry e) {
    entries.put(key, e);
  }

  synchronized void remove(Value key) {
    entries.remove(key);
  }

  synchronized int size() {
    return entries.size();
  }
}
