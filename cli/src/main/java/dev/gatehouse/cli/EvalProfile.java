package dev.gatehouse.cli;

import dev.gatehouse.engine.EvalProfiler;
import dev.gatehouse.engine.ast.Location;
import dev.gatehouse.engine.value.Json;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The profile {@code gatehouse eval --profile} prints: per expression location, as opa's
 * profiler reports it (own time, evaluations, redos — solutions handed on —, generated
 * expressions), plus which data index the expression used and how many members it yielded.
 */
final class EvalProfile implements EvalProfiler {
  private static final class Entry {
    final Location location;
    long nanos;
    long evals;
    long redos;
    String index;
    long members;
    long matched;
    long lookups;

    Entry(Location location) {
      this.location = location;
    }
  }

  private final Map<String, Entry> entries = new LinkedHashMap<>();

  private Entry entry(Location l) {
    return entries.computeIfAbsent(l.file() + ":" + l.row() + ":" + l.col(), k -> new Entry(l));
  }

  @Override
  public void expression(Location location, long selfNanos, int solutions) {
    if (location == null) {
      return;
    }
    Entry e = entry(location);
    e.nanos += selfNanos;
    e.evals++;
    e.redos += solutions;
  }

  @Override
  public void indexed(Location location, String index, int members, int matched) {
    if (location == null) {
      return;
    }
    Entry e = entry(location);
    e.index = index;
    e.members = members;
    e.matched += matched;
    e.lookups++;
  }

  /** Entries by own time, longest first (opa's default sort), at most {@code limit} (0: all). */
  private List<Entry> sorted(int limit) {
    List<Entry> all = new ArrayList<>(entries.values());
    all.sort(Comparator.comparingLong((Entry e) -> e.nanos).reversed());
    return limit > 0 && all.size() > limit ? all.subList(0, limit) : all;
  }

  private static String where(Entry e) {
    String file = e.location.file() == null || e.location.file().isEmpty() ? "query" : e.location.file();
    return file + ":" + e.location.row();
  }

  private static String indexText(Entry e) {
    if (e.index == null) {
      return "";
    }
    return e.index + " (" + e.matched + " of " + e.members + (e.lookups > 1 ? " over " + e.lookups + " lookups" : "") + ")";
  }

  /** opa's {@code "profile"} array, with an {@code "index"} member where one was used. */
  String json(int limit) {
    StringBuilder sb = new StringBuilder("[");
    List<Entry> list = sorted(limit);
    for (int i = 0; i < list.size(); i++) {
      Entry e = list.get(i);
      sb.append(i == 0 ? "\n" : ",\n");
      sb.append("    {\n      \"total_time_ns\": ").append(e.nanos)
          .append(",\n      \"num_eval\": ").append(e.evals)
          .append(",\n      \"num_redo\": ").append(e.redos)
          .append(",\n      \"num_gen_expr\": 1")
          .append(",\n      \"location\": {\n        \"file\": ").append(Json.quote(e.location.file() == null ? "" : e.location.file()))
          .append(",\n        \"row\": ").append(e.location.row())
          .append(",\n        \"col\": ").append(e.location.col()).append("\n      }");
      if (e.index != null) {
        sb.append(",\n      \"index\": ").append(Json.quote(indexText(e)));
      }
      sb.append("\n    }");
    }
    return sb.append(list.isEmpty() ? "]" : "\n  ]").toString();
  }

  /** opa's pretty profile table, with an Index column. */
  String table(int limit) {
    List<List<String>> rows = new ArrayList<>();
    for (Entry e : sorted(limit)) {
      rows.add(List.of(goDuration(e.nanos), Long.toString(e.evals), Long.toString(e.redos), "1", where(e), indexText(e)));
    }
    return Table.render(List.of("Time", "Num Eval", "Num Redo", "Num Gen Expr", "Location", "Index"), rows);
  }

  /** Go's time.Duration String for the sizes profiles show: 42.003µs, 99.288101ms, 1.5s. */
  static String goDuration(long ns) {
    if (ns < 1_000) {
      return ns + "ns";
    }
    if (ns < 1_000_000) {
      return trim(ns / 1_000 + "." + String.format("%03d", ns % 1_000)) + "µs";
    }
    if (ns < 1_000_000_000) {
      return trim(ns / 1_000_000 + "." + String.format("%06d", ns % 1_000_000)) + "ms";
    }
    return trim(ns / 1_000_000_000 + "." + String.format("%09d", ns % 1_000_000_000)) + "s";
  }

  private static String trim(String s) {
    String t = s.replaceAll("0+$", "");
    return t.endsWith(".") ? t.substring(0, t.length() - 1) : t;
  }
}
