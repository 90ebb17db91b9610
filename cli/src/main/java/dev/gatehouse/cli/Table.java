package dev.gatehouse.cli;

import java.util.List;

/** The box-drawn table opa's pretty output uses: centred header, left-aligned cells, one space of padding. */
final class Table {
  private Table() {}

  static String render(List<String> header, List<List<String>> rows) {
    int n = header.size();
    int[] w = new int[n];
    for (int i = 0; i < n; i++) {
      w[i] = width(header.get(i));
      for (List<String> r : rows) {
        w[i] = Math.max(w[i], width(r.get(i)));
      }
    }
    StringBuilder sb = new StringBuilder();
    rule(sb, w, '┌', '┬', '┐');
    line(sb, header, w, true);
    rule(sb, w, '├', '┼', '┤');
    for (List<String> r : rows) {
      line(sb, r, w, false);
    }
    rule(sb, w, '└', '┴', '┘');
    return sb.toString();
  }

  private static void rule(StringBuilder sb, int[] w, char l, char m, char r) {
    sb.append(l);
    for (int i = 0; i < w.length; i++) {
      sb.append("─".repeat(w[i] + 2)).append(i + 1 < w.length ? m : r);
    }
    sb.append('\n');
  }

  private static void line(StringBuilder sb, List<String> cells, int[] w, boolean centre) {
    sb.append('│');
    for (int i = 0; i < w.length; i++) {
      String c = cells.get(i);
      int pad = w[i] - width(c);
      int left = centre ? pad / 2 : 0;
      sb.append(' ').append(" ".repeat(left)).append(c).append(" ".repeat(pad - left)).append(" │");
    }
    sb.append('\n');
  }

  private static int width(String s) {
    return s.codePointCount(0, s.length());
  }
}
