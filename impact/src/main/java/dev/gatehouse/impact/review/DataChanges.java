package dev.gatehouse.impact.review;

import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Where the data documents of two revisions differ, as JSON pointers into {@code data}: most
 * policy changes here are a one-line edit of settings, and a reviewer wants to see which.
 * Objects are compared key by key; anything else (arrays included) is compared whole.
 */
public final class DataChanges {
  private DataChanges() {}

  /** A changed pointer: {@code added}, {@code removed} or {@code changed}. */
  public record Change(String pointer, String kind) {}

  public static List<Change> compare(Value base, Value head, int limit) {
    List<Change> out = new ArrayList<>();
    walk(base, head, "", out, limit);
    return out;
  }

  private static void walk(Value b, Value h, String at, List<Change> out, int limit) {
    if (out.size() >= limit) {
      return;
    }
    if (b instanceof ObjectValue bo && h instanceof ObjectValue ho) {
      TreeSet<Value> keys = new TreeSet<>(bo.keys());
      keys.addAll(ho.keys());
      for (Value k : keys) {
        String here = at + "/" + escape(k instanceof StringValue s ? s.value() : k.toString());
        Value x = bo.get(k);
        Value y = ho.get(k);
        if (x == null) {
          add(out, new Change(here, "added"), limit);
        } else if (y == null) {
          add(out, new Change(here, "removed"), limit);
        } else if (!x.equals(y)) {
          walk(x, y, here, out, limit);
        }
      }
      return;
    }
    if (!b.equals(h)) {
      add(out, new Change(at.isEmpty() ? "/" : at, "changed"), limit);
    }
  }

  private static void add(List<Change> out, Change c, int limit) {
    if (out.size() < limit) {
      out.add(c);
    }
  }

  private static String escape(String s) {
    return s.replace("~", "~0").replace("/", "~1");
  }
}
