package dev.gatehouse.cli;

import dev.gatehouse.engine.EvalListener;
import dev.gatehouse.engine.ast.Call;
import dev.gatehouse.engine.ast.Location;
import dev.gatehouse.engine.ast.Module;
import dev.gatehouse.engine.format.TermText;
import dev.gatehouse.engine.test.TestResult;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The FAILURES section's per-test details, in opa test's shapes: the explanation table of
 * {@code -v}/{@code --explain} (location column, {@code Enter}/{@code Fail}/{@code Note} events
 * indented by depth, and with {@code --var-values} the expression's variables), and the
 * {@code --var-values} block: the failed expression as written, with an arrow under each value
 * it saw.
 *
 * <p>What differs from opa: {@code full} and {@code debug} show the query's events and the test
 * body's own {@code Eval}/{@code Redo}/{@code Fail} steps (see {@link #steps}), not the events of
 * rules the body reaches nor {@code debug}'s {@code Unify}; {@code fails} shows expressions as written where opa shows them
 * compiled ({@code x = 2} for {@code x == 2}, {@code data.p.r} for {@code r}). The
 * {@code --var-values} block shows what opa's does (variables, nested calls' results titled with
 * their text where they share a column, references), except the values of comprehensions.
 */
final class TestFailureReport {
  private TestFailureReport() {}

  /** opa's widths for values: in the explanation's variables column, and under an expression. */
  private static final int TABLE_VALUE_WIDTH = 32;
  private static final int PRETTY_VALUE_WIDTH = 64;

  /** opa's Truncate: a longer text is cut to width - 3 characters and "...". */
  static String truncate(String s, int width) {
    return s.length() <= width ? s : s.substring(0, width - 3) + "...";
  }

  /** opa's columnPadding: each cell but the last is padded to the column's width plus this. */
  private static final int PADDING = 6;

  /** The explanation table (explain mode: fails, full, notes or debug), each line indented two spaces. */
  static void trace(PrintWriter out, TestResult r, String explain, boolean vars, Map<String, String[]> sources,
      Map<String, Module> modules) {
    if (("full".equals(explain) || "debug".equals(explain)) && !r.steps().isEmpty()) {
      table(out, steps(r, vars, sources, modules), vars);
      return;
    }
    List<String[]> rows = new ArrayList<>();
    String query = r.fullName() + " = _";
    rows.add(row(vars, "query:1", "Enter " + query, "{}"));
    rows.add(row(vars, r.file() + ":" + r.row(), "| Enter " + r.fullName(), "{}"));
    boolean notesOnly = "notes".equals(explain);
    List<Object[]> events = new ArrayList<>(); // row, text, vars: in source order
    for (TestResult.Note n : r.notes()) {
      events.add(new Object[] {n.location().row(), "| | Note " + goQuote(n.message()), "{}", n.location().file()});
    }
    if (!notesOnly) {
      for (TestResult.FailedExpr f : r.failures()) {
        String v = "{}";
        if (vars && r.failedLine() != null && r.failedLine().location().row() == f.row()) {
          v = varsCell(r.failedLine());
        }
        events.add(new Object[] {f.row(), "| | Fail " + f.text(), v, f.file()});
      }
    }
    events.sort(Comparator.comparingInt(e -> (int) e[0]));
    for (Object[] e : events) {
      rows.add(row(vars, e[3] + ":" + e[0], (String) e[1], (String) e[2]));
    }
    if (!notesOnly) {
      rows.add(row(vars, "query:1", "| Fail " + query, "{}"));
    }
    table(out, rows, vars);
  }

  /**
   * {@code --explain full}: the query's events as opa prints them around a test rule, and the
   * test body's own steps ({@code Eval}, {@code Redo}, {@code Fail}) with each expression as opa
   * prints it compiled; {@code trace()} notes follow the step that made them. Not shown: the
   * events of rules and comprehensions the body evaluates ({@code Enter}, {@code Index},
   * {@code Exit}), the expressions opa's compiler lifts out of an expression, and variables'
   * values in the third column.
   */
  private static List<String[]> steps(TestResult r, boolean vars, Map<String, String[]> sources,
      Map<String, Module> modules) {
    List<String[]> rows = new ArrayList<>();
    String query = r.fullName() + " = _";
    rows.add(row(vars, "query:1", "Enter " + query, "{}"));
    rows.add(row(vars, "query:1", "| Eval " + query, "{}"));
    if (r.subResults().isEmpty()) {
      rows.add(row(vars, "query:1", "| Index " + r.fullName() + " (matched 1 rule, early exit)", "{}"));
    }
    rows.add(row(vars, r.file() + ":" + r.row(), "| Enter " + r.fullName(), "{}"));
    List<TestResult.Note> notes = new ArrayList<>(r.notes());
    for (TestResult.Step s : r.steps()) {
      Location at = s.location();
      Module m = modules.get(at.file());
      String text;
      try {
        text = OpaExprText.isDeclaration(m, at) ? null : OpaExprText.at(m, at);
      } catch (RuntimeException e) {
        text = null; // a shape the printer does not know: the step is left out rather than the report
      }
      if (text == null || text.startsWith("internal.test_case(")) {
        // `some x` (opa drops declarations), an expression our compiler made (lifted out of one
        // as written) or the runner's own instrumentation of parameterized tests
        continue;
      }
      rows.add(row(vars, at.file() + ":" + at.row(), "| | " + s.op() + " " + text, "{}"));
      if (s.op().equals("Eval")) {
        for (java.util.Iterator<TestResult.Note> it = notes.iterator(); it.hasNext(); ) {
          TestResult.Note n = it.next();
          if (n.location().file().equals(at.file()) && n.location().row() == at.row()) {
            rows.add(row(vars, at.file() + ":" + at.row(), "| | Note " + goQuote(n.message()), "{}"));
            it.remove();
          }
        }
      }
    }
    rows.add(row(vars, "query:1", "| Fail " + query, "{}"));
    return rows;
  }

  private static void table(PrintWriter out, List<String[]> rows, boolean vars) {
    int[] widths = new int[vars ? 3 : 2];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder sb = new StringBuilder("  ");
      for (int i = 0; i < row.length; i++) {
        if (i < row.length - 1) {
          sb.append(String.format("%-" + (widths[i] + PADDING) + "s ", row[i]));
        } else {
          sb.append(row[i]).append("  ");
        }
      }
      out.println(sb);
    }
  }

  private static String[] row(boolean vars, String loc, String event, String v) {
    return vars ? new String[] {loc, event, v} : new String[] {loc, event};
  }

  private static String varsCell(TestResult.FailedLine line) {
    Map<String, String> sorted = new TreeMap<>();
    for (EvalListener.Seen s : line.seen()) {
      if (s.name() != null && s.value() != null) {
        sorted.put(s.name(), s.value().toString());
      }
    }
    StringBuilder sb = new StringBuilder("{");
    sorted.forEach((k, v) -> sb.append(sb.length() > 1 ? ", " : "").append(k).append(": ")
        .append(truncate(v, TABLE_VALUE_WIDTH)));
    return sb.append('}').toString();
  }

  /** A term shown under the expression: its title (as written), its 1-based row and column, its value. */
  private record Shown(String title, int row, int col, String value) {
    Shown(String title, int col, String value) {
      this(title, 0, col, value);
    }
  }

  /**
   * The --var-values block: {@code "  file:row:"}, then (indented four) the expression as written
   * at its column (tabs kept), a line of arrows and one line per value, the rightmost first;
   * nothing when the test has no failed expression.
   */
  static void varValues(PrintWriter out, TestResult r, Map<String, String[]> sources, Map<String, Module> modules) {
    TestResult.FailedLine line = r.failedLine();
    if (line == null || line.location() == null || line.location() == Location.NONE) {
      return;
    }
    Location at = line.location();
    String[] src = sources.get(at.file());
    if (src == null || at.row() < 1 || at.row() > src.length) {
      return;
    }
    String text = src[at.row() - 1];
    int col = Math.max(1, at.col());
    // the expression as opa's location holds it: all its lines, without a comment after it
    Module module = modules.get(at.file());
    String whole = null;
    if (module != null) {
      try {
        whole = TermText.expression(module, String.join("\n", src), at.row(), col);
      } catch (RuntimeException e) {
        whole = null;
      }
    }
    if (whole == null) {
      whole = col - 1 <= text.length() ? text.substring(col - 1).stripTrailing() : "";
    }
    // variables are placed by where they are written on the expression's first line
    String expr = whole.contains("\n") ? whole.substring(0, whole.indexOf('\n')) : whole;
    out.println("  " + at.file() + ":" + at.row() + ":");
    StringBuilder buf = new StringBuilder();
    buf.append(lead(text, col)).append(whole);
    Map<String, Shown> byTitle = new LinkedHashMap<>();
    // calls and references written at one place, outer first, to give each seen term its text
    Map<String, List<TermText.Found>> written = new HashMap<>();
    Map<String, TermText.Place> places = Map.of();
    if (module != null) {
      try {
        places = TermText.variables(module, at.row(), col);
      } catch (RuntimeException e) {
        places = Map.of();
      }
    }
    for (EvalListener.Seen s : line.seen()) {
      Shown shown;
      if (s.name() != null) {
        TermText.Place p = places.get(s.name());
        String value = truncate(s.value().toString(), PRETTY_VALUE_WIDTH);
        if (p != null) {
          shown = new Shown(s.name(), p.row(), p.col(), value);
        } else {
          int c = findWord(expr, s.name());
          if (c < 0) {
            continue;
          }
          shown = new Shown(s.name(), at.row(), col + c, value);
        }
      } else {
        int c = s.at().col();
        String title = written(s, modules.get(s.at().file()), String.join("\n", src), written);
        if (title == null) {
          title = refText(text, c);
        }
        if (title.isEmpty()) {
          continue;
        }
        shown = new Shown(title, s.at().row(), c,
            s.value() == null ? "undefined" : truncate(s.value().toString(), PRETTY_VALUE_WIDTH));
      }
      byTitle.putIfAbsent(shown.title(), shown);
    }
    List<Shown> byCol = new ArrayList<>(byTitle.values());
    byCol.sort(Comparator.comparingInt(Shown::col).thenComparing(Shown::title));
    boolean rows = byCol.stream().map(Shown::row).distinct().count() > 1;
    boolean tabs = byCol.stream().anyMatch(x -> x.row() >= 1 && x.row() <= src.length && src[x.row() - 1].indexOf('\t') >= 0);
    if (rows && tabs) {
      // opa cannot point at values on several rows that hold tabs: it lists them by title
      List<Shown> byName = new ArrayList<>(byCol);
      byName.sort(Comparator.comparing(Shown::title));
      buf.append("\n\nWhere:\n");
      for (Shown x : byName) {
        buf.append('\n').append(x.title()).append(": ").append(x.value());
      }
    } else if (!byCol.isEmpty()) {
      buf.append('\n');
      arrows(buf, byCol, -1, text);
      for (int i = byCol.size() - 1; i >= 0; i--) {
        buf.append('\n');
        arrows(buf, byCol, i, text);
      }
    }
    for (String l : buf.toString().split("\n", -1)) {
      out.println("    " + l);
    }
  }

  /**
   * The text of the call or reference a seen value belongs to, as written in the module: the
   * next unused term of its kind at its place (several calls can start at one column, as in
   * {@code a + b + c}; the engine reports them outer first, as they are found); null when the
   * module or term is not known.
   */
  private static String written(EvalListener.Seen s, Module module, String source, Map<String, List<TermText.Found>> cache) {
    if (module == null) {
      return null;
    }
    List<TermText.Found> found = cache.computeIfAbsent(s.at().row() + ":" + s.at().col(),
        k -> new ArrayList<>(TermText.at(module, source, s.at().row(), s.at().col())));
    boolean call = s.kind() == EvalListener.Seen.Kind.CALL;
    for (java.util.Iterator<TermText.Found> it = found.iterator(); it.hasNext(); ) {
      TermText.Found f = it.next();
      if ((f.term() instanceof Call) == call) {
        it.remove();
        return f.text();
      }
    }
    return null;
  }

  /** The line's characters before the column as blanks, tabs kept (opa's padLocationText). */
  private static String lead(String line, int col) {
    StringBuilder sb = new StringBuilder();
    for (int i = 1; i < col; i++) {
      sb.append(i - 1 < line.length() && line.charAt(i - 1) == '\t' ? '\t' : ' ');
    }
    return sb.toString();
  }

  /** opa's printArrows: a bar under each column up to {@code valueAt}, whose value is printed instead. */
  private static void arrows(StringBuilder w, List<Shown> l, int valueAt, String line) {
    int prevCol = 0;
    List<Shown> slice = valueAt >= 0 ? l.subList(0, valueAt + 1) : l;
    boolean first = true;
    for (int i = 0; i < slice.size(); i++) {
      Shown info = slice.get(i);
      boolean last = i >= slice.size() - 1;
      int col = info.col();
      if (!last && col == l.get(i + 1).col()) {
        continue; // shares its column with a later one
      }
      int spaces = i > 0 && !first ? col - prevCol - 1 : col - 1;
      for (int j = 0; j < spaces; j++) {
        int pos = j + prevCol; // 0-based position in the line
        w.append(pos < line.length() && line.charAt(pos) == '\t' ? '\t' : ' ');
      }
      if (last && valueAt >= 0) {
        boolean shared = (i > 0 && col == l.get(i - 1).col()) || (i < l.size() - 1 && col == l.get(i + 1).col());
        w.append(shared ? info.title() + ": " + info.value() : info.value());
      } else {
        w.append('|');
      }
      prevCol = col;
      first = false;
    }
  }

  /** 0-based index of the variable as a whole word outside string literals, or -1. */
  private static int findWord(String expr, String name) {
    boolean inString = false;
    for (int i = 0; i < expr.length(); i++) {
      char c = expr.charAt(i);
      if (inString) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          inString = false;
        }
        continue;
      }
      if (c == '"') {
        inString = true;
      } else if (expr.startsWith(name, i) && (i == 0 || !word(expr.charAt(i - 1)) && expr.charAt(i - 1) != '.')
          && (i + name.length() == expr.length() || !word(expr.charAt(i + name.length())))) {
        return i;
      }
    }
    return -1;
  }

  private static boolean word(char c) {
    return Character.isLetterOrDigit(c) || c == '_';
  }

  /** The reference written at the 1-based column: a name and its dotted fields. */
  private static String refText(String line, int col) {
    int i = col - 1;
    int j = i;
    while (j < line.length() && (word(line.charAt(j)) || line.charAt(j) == '.' && j + 1 < line.length()
        && word(line.charAt(j + 1)))) {
      j++;
    }
    return i < 0 || i > line.length() ? "" : line.substring(i, j);
  }

  /** Go's %q for the note text. */
  private static String goQuote(String s) {
    return dev.gatehouse.engine.value.Json.quote(s);
  }
}
