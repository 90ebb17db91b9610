package dev.gatehouse.impact.corpus;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What reading the corpus found besides entries: per-kind counts, and entries that could not be
 * replayed (corrupt lines, events without a path), counted and with the first few reasons kept.
 * Not thread-safe: one reader thread fills it.
 */
public final class CorpusStats {
  static final int KEPT_PROBLEMS = 20;

  private final Map<Entry.Kind, Long> entries = new EnumMap<>(Entry.Kind.class);
  private final List<String> problems = new ArrayList<>();
  private long bad;
  private long skipped;
  private long files;
  private long erasedInputs;

  void file() {
    files++;
  }

  /** An event whose input the decision log had already masked (OPA's {@code erased}/{@code masked} lists). */
  void erasedInput() {
    erasedInputs++;
  }

  /** Events replayed with an input the log had masked: their decisions may differ from production's. */
  public long erasedInputs() {
    return erasedInputs;
  }

  void entry(Entry.Kind kind) {
    entries.merge(kind, 1L, Long::sum);
  }

  /** A corrupt line or file: counted, skipped, reported (never fatal). */
  void bad(String where, String why) {
    bad++;
    keep(where + ": " + why);
  }

  /** A well-formed record that cannot be replayed (e.g. a query without a path). */
  void skipped(String where, String why) {
    skipped++;
    keep(where + ": " + why);
  }

  private void keep(String s) {
    if (problems.size() < KEPT_PROBLEMS) {
      problems.add(s);
    }
  }

  public long files() {
    return files;
  }

  public Map<Entry.Kind, Long> entries() {
    return entries;
  }

  public long total() {
    return entries.values().stream().mapToLong(Long::longValue).sum();
  }

  public long bad() {
    return bad;
  }

  public long skipped() {
    return skipped;
  }

  /** The first {@value #KEPT_PROBLEMS} problems, as {@code file:line: reason}. */
  public List<String> problems() {
    return problems;
  }
}
