package dev.gatehouse.engine.test;

import dev.gatehouse.engine.ast.Body;
import dev.gatehouse.engine.ast.Expr;
import dev.gatehouse.engine.ast.Location;
import dev.gatehouse.engine.ast.Module;
import dev.gatehouse.engine.ast.Rule;
import dev.gatehouse.engine.ast.Scalar;
import dev.gatehouse.engine.value.BooleanValue;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Coverage in the shape of {@code opa test --coverage}: per file, the ranges of rule heads and
 * expressions (nested ones included) that evaluation reached, and those it did not. A range runs
 * from an item's start to its last row (found from the source when known); lines are the unique
 * rows those ranges touch, as opa counts them. Columns: start only.
 */
public final class Coverage {
  private final Map<String, Set<Long>> covered = new ConcurrentHashMap<>();
  private final Map<String, Set<Long>> succeeded = new ConcurrentHashMap<>();
  private final Map<String, Set<Long>> produced = new ConcurrentHashMap<>();

  private static long key(Location l) {
    return ((long) l.row() << 32) | (l.col() & 0xffffffffL);
  }

  void record(Location loc, boolean ok) {
    if (loc == null || loc.file() == null || loc.file().isEmpty() || loc.row() <= 0) {
      return;
    }
    covered.computeIfAbsent(loc.file(), f -> ConcurrentHashMap.newKeySet()).add(key(loc));
    if (ok) {
      succeeded.computeIfAbsent(loc.file(), f -> ConcurrentHashMap.newKeySet()).add(key(loc));
    }
  }

  void ruleProduced(Location loc) {
    if (loc != null && loc.file() != null && !loc.file().isEmpty()) {
      produced.computeIfAbsent(loc.file(), f -> ConcurrentHashMap.newKeySet()).add(key(loc));
    }
  }

  /** Rows {@code startRow..endRow} from column {@code startCol}. */
  public record Range(int startRow, int startCol, int endRow) implements Comparable<Range> {
    @Override
    public int compareTo(Range o) {
      int c = Integer.compare(startRow, o.startRow);
      if (c == 0) {
        c = Integer.compare(startCol, o.startCol);
      }
      return c != 0 ? c : Integer.compare(endRow, o.endRow);
    }

    boolean contains(Range o) {
      boolean starts = startRow < o.startRow || startRow == o.startRow && startCol <= o.startCol;
      return starts && endRow >= o.endRow;
    }
  }

  /** One file's ranges and line counts. */
  public record FileReport(SortedSet<Range> covered, SortedSet<Range> notCovered) {
    public int coveredLines() {
      return rows(covered).size();
    }

    public int notCoveredLines() {
      return rows(notCovered).size();
    }

    public double percent() {
      int total = coveredLines() + notCoveredLines();
      return total == 0 ? 0 : 100.0 * coveredLines() / total;
    }

    private static Set<Integer> rows(Collection<Range> rs) {
      Set<Integer> out = new TreeSet<>();
      for (Range r : rs) {
        for (int i = r.startRow(); i <= r.endRow(); i++) {
          out.add(i);
        }
      }
      return out;
    }
  }

  /** The report over these modules: files sorted by name. */
  public record Report(Map<String, FileReport> files, int coveredLines, int notCoveredLines) {
    public double percent() {
      int total = coveredLines + notCoveredLines;
      return total == 0 ? 0 : 100.0 * coveredLines / total;
    }
  }

  public Report report(List<Module> modules) {
    return report(modules, Map.of());
  }

  /** {@code sources} (file → text) give multi-row items their full extent; without, one row each. */
  public Report report(List<Module> modules, Map<String, String> sources) {
    Map<String, FileReport> files = new TreeMap<>();
    int cov = 0;
    int not = 0;
    for (Module m : modules) {
      Set<Long> hit = covered.getOrDefault(m.file(), Set.of());
      Set<Long> ok = produced.getOrDefault(m.file(), Set.of());
      String src = sources.get(m.file());
      List<Range> c = new ArrayList<>();
      List<Range> candidates = new ArrayList<>();
      Set<String> reached = new java.util.HashSet<>();
      for (Rule r : m.rules()) {
        // As opa reports else chains: a value from the k-th member covers the heads of members
        // 0..k, and each else's range runs on to the head of the chain's last else.
        List<Rule> chain = new ArrayList<>();
        for (Rule x = r; x != null; x = x.elseRule()) {
          chain.add(x);
        }
        int producedUpTo = -1;
        for (int i = 0; i < chain.size(); i++) {
          Rule x = chain.get(i);
          if (ok.contains(key(x.location())) || ok.contains(key(headLocation(x)))) {
            producedUpTo = i;
          }
        }
        int chainEnd = chain.size() == 1 ? 0 : range(chain.get(chain.size() - 1).location(), src, true).endRow();
        for (int i = 0; i < chain.size(); i++) {
          Rule x = chain.get(i);
          if (!x.isDefault() && walkRule(x, i > 0 ? chainEnd : 0, i > 0, i <= producedUpTo, hit, ok, src, c,
              candidates)) {
            reached.add(x.head().name());
          }
        }
      }
      for (Rule r : m.rules()) {
        if (r.isDefault()) {
          Range h = range(headLocation(r), src, true);
          (ok.contains(key(r.location())) || ok.contains(key(headLocation(r))) ? c : candidates).add(h);
        }
      }
      SortedSet<Range> coveredRanges = new TreeSet<>(c);
      SortedSet<Range> notCovered = new TreeSet<>();
      for (Range n : candidates) {
        if (coveredRanges.stream().noneMatch(x -> x.contains(n))) {
          notCovered.add(n);
        }
      }
      FileReport fr = new FileReport(coveredRanges, notCovered);
      files.put(m.file(), fr);
      cov += fr.coveredLines();
      not += fr.notCoveredLines();
    }
    return new Report(files, cov, not);
  }

  private static Location headLocation(Rule r) {
    return r.head().location() != null ? r.head().location() : r.location();
  }

  private static Range range(Location l, String src, boolean head) {
    int end = l.row();
    if (src != null && l.offset() >= 0 && l.offset() < src.length()) {
      end = Math.max(l.row(), Extent.endRow(src, l.offset(), l.row(), head));
    }
    return new Range(l.row(), l.col(), end);
  }

  /**
   * Adds the rule's ranges; true when any of its body was evaluated. A head counts as covered
   * when the rule produced a value.
   */
  private static boolean walkRule(Rule r, int chainEnd, boolean isElse, boolean chainProduced, Set<Long> hit,
      Set<Long> ok, String src, List<Range> c, List<Range> n) {
    // an else shares its rule's head; its own "head" is where the else keyword stands
    Location head = isElse ? r.location() : headLocation(r);
    Body b = r.body();
    boolean any = false;
    // as opa: a head is covered when the rule produced a value (opa's Exit event)
    boolean headCovered = chainProduced || ok.contains(key(r.location())) || ok.contains(key(head));
    List<Expr> all = new ArrayList<>();
    if (b != null) {
      collect(b, all);
    }
    collectTerms(r.head(), all);
    for (Expr e : all) {
      if (e.location() == null || b != null && b.size() == 1 && isTrue(e) && e == b.exprs().get(0)) {
        continue;
      }
      boolean h = hit.contains(key(e.location()));
      any |= h;
      Range rg = range(e.location(), src, false);
      if (e.kind() instanceof Expr.SomeDecl) { // as opa: covered when run, never listed as missed
        if (h) {
          c.add(rg);
        }
        continue;
      }
      (h ? c : n).add(rg);
    }
    Range headRange = range(head, src, true);
    if (chainEnd > 0) {
      headRange = new Range(headRange.startRow(), headRange.startCol(), Math.max(headRange.endRow(), chainEnd));
    }
    (headCovered ? c : n).add(headRange);
    return any || headCovered;
  }

  private static boolean hitRow(Set<Long> hit, int row) {
    for (long k : hit) {
      if ((int) (k >>> 32) == row) {
        return true;
      }
    }
    return false;
  }

  /** Every expression of a body, and of the bodies nested in it (comprehensions, every). */
  private static void collect(Body b, List<Expr> out) {
    for (Expr e : b.exprs()) {
      out.add(e);
      collectTerms(e, out);
    }
  }

  /** Walks any AST record's components for nested bodies; records keep this robust to new node kinds. */
  private static void collectTerms(Object node, List<Expr> out) {
    if (node == null) {
      return;
    }
    if (node instanceof Body b) {
      collect(b, out);
      return;
    }
    if (node instanceof Collection<?> list) {
      for (Object o : list) {
        collectTerms(o, out);
      }
      return;
    }
    if (node instanceof Expr e) {
      collectTerms(e.kind(), out);
      return;
    }
    if (!node.getClass().isRecord() || !node.getClass().getPackageName().startsWith("dev.gatehouse.engine.ast")) {
      return;
    }
    for (RecordComponent rc : node.getClass().getRecordComponents()) {
      if (rc.getType() == Location.class || rc.getType().isPrimitive() || rc.getType() == String.class) {
        continue;
      }
      try {
        collectTerms(rc.getAccessor().invoke(node), out);
      } catch (ReflectiveOperationException ex) {
        throw new IllegalStateException(ex);
      }
    }
  }

  private static boolean isTrue(Expr e) {
    return e.kind() instanceof Expr.TermExpr t && t.term() instanceof Scalar s && s.value() == BooleanValue.TRUE;
  }
}
