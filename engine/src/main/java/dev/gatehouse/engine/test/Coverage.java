package dev.gatehouse.engine.test;

import dev.gatehouse.engine.ast.Body;
import dev.gatehouse.engine.ast.Expr;
import dev.gatehouse.engine.ast.Location;
import dev.gatehouse.engine.ast.Module;
import dev.gatehouse.engine.ast.Rule;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Line coverage in the shape of {@code opa test --coverage}: per file, the rows of rule heads and
 * body expressions that evaluation reached ({@code covered}) and those it did not. Rows, not
 * column ranges: our AST keeps start positions only, so each range is one row.
 */
public final class Coverage {
  private final Map<String, Set<Integer>> covered = new ConcurrentHashMap<>();
  private final Map<String, Set<Integer>> succeeded = new ConcurrentHashMap<>();

  void record(Location loc, boolean ok) {
    if (loc == null || loc.file() == null || loc.file().isEmpty() || loc.row() <= 0) {
      return;
    }
    covered.computeIfAbsent(loc.file(), f -> ConcurrentHashMap.newKeySet()).add(loc.row());
    if (ok) {
      succeeded.computeIfAbsent(loc.file(), f -> ConcurrentHashMap.newKeySet()).add(loc.row());
    }
  }

  /** One file's rows. */
  public record FileReport(SortedSet<Integer> covered, SortedSet<Integer> notCovered) {
    public double percent() {
      int total = covered.size() + notCovered.size();
      return total == 0 ? 0 : 100.0 * covered.size() / total;
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
    Map<String, FileReport> files = new TreeMap<>();
    int cov = 0;
    int not = 0;
    for (Module m : modules) {
      Set<Integer> hit = covered.getOrDefault(m.file(), Set.of());
      Set<Integer> ok = succeeded.getOrDefault(m.file(), Set.of());
      SortedSet<Integer> c = new TreeSet<>();
      SortedSet<Integer> n = new TreeSet<>();
      java.util.Set<String> reached = new java.util.HashSet<>();
      for (Rule r : m.rules()) {
        for (Rule x = r; x != null; x = x.elseRule()) {
          if (!x.isDefault() && walkRule(x, hit, ok, c, n)) {
            reached.add(x.head().name());
          }
        }
      }
      // A default's head counts once any rule of its name was evaluated: the default was consulted.
      for (Rule r : m.rules()) {
        if (r.isDefault()) {
          int row = r.head().location() != null ? r.head().location().row() : r.location().row();
          (reached.contains(r.head().name()) ? c : n).add(row);
        }
      }
      n.removeAll(c);
      files.put(m.file(), new FileReport(c, n));
      cov += c.size();
      not += n.size();
    }
    return new Report(files, cov, not);
  }

  /**
   * A head counts as covered when its body's last expression succeeded (the rule produced a
   * value), or, for a rule without a body, when its row was evaluated.
   */
  /** Adds the rule's rows; true when any of its body was evaluated. */
  private static boolean walkRule(Rule r, Set<Integer> hit, Set<Integer> ok, Set<Integer> c, Set<Integer> n) {
    boolean any = false;
    int head = r.head().location() != null ? r.head().location().row() : r.location().row();
    Body b = r.body();
    boolean headCovered;
    if (b == null || b.isEmpty()) {
      headCovered = hit.contains(head);
    } else {
      Expr last = b.exprs().get(b.size() - 1);
      headCovered = last.location() != null && ok.contains(last.location().row());
      for (Expr e : b.exprs()) {
        if (e.location() == null || e.location().row() == head && b.size() == 1 && isTrue(e)) {
          continue;
        }
        if (e.kind() instanceof Expr.SomeDecl) { // as opa: covered when run, never listed as missed
          if (hit.contains(e.location().row())) {
            c.add(e.location().row());
          }
          continue;
        }
        boolean h = hit.contains(e.location().row());
        any |= h;
        (h ? c : n).add(e.location().row());
      }
      if (b.size() == 1 && isTrue(b.exprs().get(0))) {
        headCovered = hit.contains(b.exprs().get(0).location() == null ? head : b.exprs().get(0).location().row());
      }
    }
    (headCovered ? c : n).add(head);
    return any || headCovered;
  }

  private static boolean isTrue(Expr e) {
    return e.kind() instanceof Expr.TermExpr t && t.term() instanceof dev.gatehouse.engine.ast.Scalar s
        && s.value() == dev.gatehouse.engine.value.BooleanValue.TRUE;
  }
}
