package dev.gatehouse.controlplane.api;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/** Prometheus text exposition of counters (by label set) and gauges read on scrape. */
public final class Metrics {
  private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();
  private final Map<String, String> help = new ConcurrentHashMap<>();
  private final Map<String, LongSupplier> gauges = new ConcurrentHashMap<>();

  public void inc(String name, String labels) {
    counters.computeIfAbsent(labels == null || labels.isEmpty() ? name : name + "{" + labels + "}", k -> new LongAdder())
        .increment();
  }

  public void describe(String name, String text) {
    help.put(name, text);
  }

  public void gauge(String name, String text, LongSupplier value) {
    help.put(name, text);
    gauges.put(name, value);
  }

  public String render() {
    StringBuilder sb = new StringBuilder();
    Map<String, Map<String, Long>> byName = new TreeMap<>();
    counters.forEach((k, v) -> {
      int brace = k.indexOf('{');
      String name = brace < 0 ? k : k.substring(0, brace);
      byName.computeIfAbsent(name, n -> new TreeMap<>()).put(k, v.sum());
    });
    byName.forEach((name, series) -> {
      sb.append("# HELP ").append(name).append(' ').append(help.getOrDefault(name, name)).append('\n');
      sb.append("# TYPE ").append(name).append(" counter\n");
      series.forEach((k, v) -> sb.append(k).append(' ').append(v).append('\n'));
    });
    new TreeMap<>(gauges).forEach((name, g) -> {
      sb.append("# HELP ").append(name).append(' ').append(help.getOrDefault(name, name)).append('\n');
      sb.append("# TYPE ").append(name).append(" gauge\n");
      sb.append(name).append(' ').append(g.getAsLong()).append('\n');
    });
    return sb.toString();
  }
}
