package dev.gatehouse.impact.replay;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The aggregate of a replay: counts per class, per decision path and per rule, and a few examples
 * per group (the ones earliest in the corpus, so the output does not depend on thread timing).
 * Memory is bounded by the number of groups, never by the size of the corpus.
 */
public final class Findings {
  /** A group of changes: one class at one path attributed to one rule. */
  public record GroupKey(ChangeClass cls, String path, String rule) implements Comparable<GroupKey> {
    private static final Comparator<GroupKey> ORDER = Comparator.comparing(GroupKey::cls)
        .thenComparing(GroupKey::path).thenComparing(GroupKey::rule);

    @Override
    public int compareTo(GroupKey o) {
      return ORDER.compare(this, o);
    }
  }

  /** Count and kept examples of a group. */
  public static final class Group {
    long count;
    final TreeMap<Long, Example> examples = new TreeMap<>();

    public long count() {
      return count;
    }

    public List<Example> examples() {
      return new ArrayList<>(examples.values());
    }
  }

  /** Per decision path: how many were replayed, changed, per class; undefined in both; recorded result reproduced. */
  public static final class PathStats {
    long replayed;
    long changed;
    long undefinedBoth;
    long errorBoth;
    long recordedCompared;
    long recordedDiffers;
    final EnumMap<ChangeClass, Long> classes = new EnumMap<>(ChangeClass.class);

    public long replayed() { return replayed; }

    public long changed() { return changed; }

    /** Decisions neither revision defines: usually inputs recorded under another decision path. */
    public long undefinedBoth() { return undefinedBoth; }

    /** Entries with a recorded result whose base outcome was compared with it. */
    /** Decisions both revisions fail to evaluate the same way (e.g. a path that is not a valid reference). */
    public long errorBoth() { return errorBoth; }

    public long recordedCompared() { return recordedCompared; }

    /** Of those, how many base does not reproduce (runtime data or policy drift since recording). */
    public long recordedDiffers() { return recordedDiffers; }

    public Map<ChangeClass, Long> classes() { return classes; }

    void add(PathStats o) {
      replayed += o.replayed;
      changed += o.changed;
      undefinedBoth += o.undefinedBoth;
      errorBoth += o.errorBoth;
      recordedCompared += o.recordedCompared;
      recordedDiffers += o.recordedDiffers;
      o.classes.forEach((k, v) -> classes.merge(k, v, Long::sum));
    }
  }

  private final int maxExamples;
  private final TreeMap<String, PathStats> paths = new TreeMap<>();
  private final TreeMap<GroupKey, Group> groups = new TreeMap<>();

  public Findings(int maxExamples) {
    this.maxExamples = maxExamples;
  }

  PathStats path(String p) {
    return paths.computeIfAbsent(p, k -> new PathStats());
  }

  /** Whether an example for this group at this ordinal would be kept (skips masking work otherwise). */
  boolean wantsExample(GroupKey k, long ordinal) {
    if (maxExamples == 0) {
      return false;
    }
    Group g = groups.get(k);
    return g == null || g.examples.size() < maxExamples || g.examples.lastKey() > ordinal;
  }

  void add(GroupKey k, Example e) {
    Group g = groups.computeIfAbsent(k, x -> new Group());
    g.count++;
    keep(g, e);
  }

  private void keep(Group g, Example e) {
    if (e == null) {
      return;
    }
    g.examples.put(e.ordinal(), e);
    while (g.examples.size() > maxExamples) {
      g.examples.pollLastEntry();
    }
  }

  /** Folds a batch's findings into this one. */
  void merge(Findings o) {
    o.paths.forEach((p, s) -> path(p).add(s));
    o.groups.forEach((k, g) -> {
      Group mine = groups.computeIfAbsent(k, x -> new Group());
      mine.count += g.count;
      g.examples.values().forEach(e -> keep(mine, e));
    });
  }

  public Map<String, PathStats> paths() {
    return paths;
  }

  public Map<GroupKey, Group> groups() {
    return groups;
  }

  public long replayed() {
    return paths.values().stream().mapToLong(PathStats::replayed).sum();
  }

  public long changed() {
    return paths.values().stream().mapToLong(PathStats::changed).sum();
  }

  /** Changed decisions per class (each decision counted once). */
  public Map<ChangeClass, Long> classes() {
    EnumMap<ChangeClass, Long> out = new EnumMap<>(ChangeClass.class);
    paths.values().forEach(s -> s.classes.forEach((k, v) -> out.merge(k, v, Long::sum)));
    return out;
  }

  /** Per rule: changes per class (a decision attributed to two rules counts for each). */
  public Map<String, Map<ChangeClass, Long>> rules() {
    Map<String, Map<ChangeClass, Long>> out = new TreeMap<>();
    groups.forEach((k, g) -> out.computeIfAbsent(k.rule(), r -> new EnumMap<>(ChangeClass.class))
        .merge(k.cls(), g.count, Long::sum));
    return out;
  }
}
