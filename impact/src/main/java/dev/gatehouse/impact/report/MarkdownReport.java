package dev.gatehouse.impact.report;

import dev.gatehouse.engine.value.Json;
import dev.gatehouse.impact.ImpactReport;
import dev.gatehouse.impact.replay.ChangeClass;
import dev.gatehouse.impact.replay.Example;
import dev.gatehouse.impact.replay.Findings;
import java.util.List;
import java.util.Map;

/**
 * {@code --format markdown}: one pull-request comment. It starts with {@link #MARKER}, an HTML
 * comment CI looks for to update its previous comment instead of adding one per push. Examples
 * are folded in {@code <details>}; the comment is kept under GitHub's 65,536-character limit by
 * showing fewer examples (and shorter inputs) when it would not fit.
 */
public final class MarkdownReport {
  public static final String MARKER = "<!-- gatehouse-impact -->";
  static final int LIMIT = 60_000;

  private MarkdownReport() {}

  public static String render(ImpactReport r) {
    String out = render(r, 3, 4_000, Integer.MAX_VALUE);
    if (out.length() > LIMIT) {
      out = render(r, 1, 1_500, Integer.MAX_VALUE);
    }
    // Still too long: thousands of groups. Show the first ones (most severe classes first).
    for (int groups = 500; out.length() > LIMIT && groups > 0; groups /= 2) {
      out = render(r, 0, 0, groups);
    }
    return out;
  }

  static String render(ImpactReport r, int examples, int maxInput, int maxGroups) {
    StringBuilder sb = new StringBuilder(MARKER).append('\n');
    sb.append("### Policy impact\n\n");
    sb.append("Base ").append(label(r.base())).append(" → head ").append(label(r.head())).append(", policies in `")
        .append(r.policies()).append("`.\n\n");
    revisionErrors(sb, "Base", r.base());
    revisionErrors(sb, "Head", r.head());
    Findings f = r.findings();
    if (f != null) {
      sb.append("**").append(Render.n(f.changed())).append(" of ")
          .append(Render.plural(f.replayed(), "replayed decision", "replayed decisions"))
          .append(f.changed() == 1 ? " changes**" : " change**").append(" (").append(Render.corpus(r)).append(").\n\n");
      if (f.changed() > 0) {
        sb.append("| change | decisions |\n|---|---:|\n");
        f.classes().forEach((k, v) -> sb.append("| ").append(k.label()).append(" | ").append(Render.n(v)).append(" |\n"));
        sb.append('\n');
        byPath(sb, f, maxGroups);
        byRule(sb, f, maxGroups);
        changes(sb, f, examples, maxInput, maxGroups);
      }
    }
    checks(sb, r);
    rulesAndData(sb, r);
    if (!r.warnings().isEmpty()) {
      sb.append("#### Warnings\n\n");
      r.warnings().forEach(w -> sb.append("- ").append(escape(w)).append('\n'));
      sb.append('\n');
    }
    sb.append("<sub>`gatehouse impact` replays recorded decisions against both revisions.</sub>\n");
    return sb.toString();
  }

  private static void revisionErrors(StringBuilder sb, String which, ImpactReport.RevisionInfo i) {
    if (i.compiled()) {
      return;
    }
    sb.append("**").append(which).append(" does not compile:**\n\n```\n");
    i.errors().forEach(e -> sb.append(e).append('\n'));
    sb.append("```\n\n");
  }

  private static void byPath(StringBuilder sb, Findings f, int maxRows) {
    sb.append("#### By decision path\n\n| decision path | replayed | changed | changes |\n|---|---:|---:|---|\n");
    int shown = 0;
    for (Map.Entry<String, Findings.PathStats> e : f.paths().entrySet()) {
      if (shown++ == maxRows) {
        more(sb, f.paths().size() - maxRows, "more path", "more paths");
        break;
      }
      Findings.PathStats s = e.getValue();
      sb.append("| `").append(e.getKey()).append("` | ").append(Render.n(s.replayed())).append(" | ")
          .append(Render.n(s.changed())).append(" | ").append(Render.classes(s.classes())).append(" |\n");
    }
    sb.append('\n');
  }

  private static void byRule(StringBuilder sb, Findings f, int maxRows) {
    sb.append("#### By rule\n\n| rule | changes |\n|---|---|\n");
    Map<String, Map<ChangeClass, Long>> rules = f.rules();
    int shown = 0;
    for (Map.Entry<String, Map<ChangeClass, Long>> e : rules.entrySet()) {
      if (shown++ == maxRows) {
        more(sb, rules.size() - maxRows, "more rule", "more rules");
        break;
      }
      sb.append("| ").append(code(e.getKey())).append(" | ").append(Render.classes(e.getValue())).append(" |\n");
    }
    sb.append('\n');
  }

  private static void more(StringBuilder sb, long n, String one, String many) {
    sb.append("\n… and ").append(Render.plural(n, one, many)).append(" (the JSON report, `--format json`, has them all).\n");
  }

  private static void changes(StringBuilder sb, Findings f, int examples, int maxInput, int maxGroups) {
    sb.append("#### Changes\n\n");
    int shown = 0;
    for (Map.Entry<Findings.GroupKey, Findings.Group> e : f.groups().entrySet()) {
      if (shown++ == maxGroups) {
        more(sb, f.groups().size() - maxGroups, "more group", "more groups");
        sb.append('\n');
        break;
      }
      Findings.GroupKey k = e.getKey();
      List<Example> ex = e.getValue().examples();
      ex = ex.subList(0, Math.min(examples, ex.size()));
      sb.append("<details><summary><b>").append(k.cls().label()).append("</b> · <code>").append(html(k.path()))
          .append("</code> · <code>").append(html(k.rule())).append("</code>: ")
          .append(Render.plural(e.getValue().count(), "decision", "decisions")).append("</summary>\n\n");
      if (ex.isEmpty()) {
        sb.append("(no examples shown)\n\n");
      }
      for (Example x : ex) {
        sb.append("`").append(x.source()).append('`');
        if (x.decisionId() != null) {
          sb.append(" — ").append(escape(x.decisionId()));
        }
        sb.append("\n\n```diff\n");
        x.detail().forEach(d -> sb.append(d.replace("```", "'''")).append('\n'));
        sb.append("```\n\n");
        if (!x.erased().isEmpty()) {
          sb.append("Input (masked: ").append(String.join(", ", x.erased().stream().map(MarkdownReport::code)
              .toList())).append("):\n\n");
        } else {
          sb.append("Input:\n\n");
        }
        sb.append("```json\n").append(truncate(x.input() == null ? "null" : Json.writeIndented(x.input(), "  "),
            maxInput)).append("\n```\n\n");
        sb.append("Base: `").append(truncate(Json.write(x.base()), 600).replace("`", "'")).append("`\n\n");
        sb.append("Head: `").append(truncate(Json.write(x.head()), 600).replace("`", "'")).append("`\n\n");
      }
      sb.append("</details>\n\n");
    }
  }

  private static void checks(StringBuilder sb, ImpactReport r) {
    sb.append("#### Policy checks\n\n| check | base | head |\n|---|---|---|\n");
    if (r.baseTests() != null) {
      sb.append("| tests | ").append(Render.tests(r.baseTests())).append(" | ").append(Render.tests(r.headTests()))
          .append(" |\n");
      sb.append("| coverage | ").append(Render.coverage(r.baseTests().coverage())).append(" | ")
          .append(Render.coverageChange(r.baseTests().coverage(), r.headTests().coverage())).append(" |\n");
    }
    sb.append("| `check --strict` | | ").append(r.checks().strictErrors().isEmpty() ? "ok"
        : Render.plural(r.checks().strictErrors().size(), "error", "errors")).append(" |\n");
    sb.append("| `fmt` | | ").append(r.checks().unformatted().isEmpty() ? "ok"
        : Render.plural(r.checks().unformatted().size(), "file", "files") + " not formatted").append(" |\n\n");
    if (r.testChanges() != null) {
      bullets(sb, "Tests newly failing", r.testChanges().newlyFailing());
      bullets(sb, "Tests fixed", r.testChanges().fixed());
    }
    if (!r.checks().strictErrors().isEmpty()) {
      sb.append("<details><summary><code>check --strict</code> errors</summary>\n\n```\n");
      r.checks().strictErrors().forEach(e -> sb.append(e).append('\n'));
      sb.append("```\n\n</details>\n\n");
    }
    bullets(sb, "Not formatted (`gatehouse fmt -w`)", r.checks().unformatted());
  }

  private static void rulesAndData(StringBuilder sb, ImpactReport r) {
    if (r.rules().added().isEmpty() && r.rules().removed().isEmpty() && r.rules().changed().isEmpty()
        && r.data().isEmpty()) {
      return;
    }
    sb.append("#### Rules and data changed\n\n");
    inline(sb, "Added", r.rules().added());
    inline(sb, "Removed", r.rules().removed());
    inline(sb, "Changed", r.rules().changed());
    inline(sb, "Data", r.data().stream().map(c -> c.pointer() + " (" + c.kind() + ")").toList());
    sb.append('\n');
  }

  private static void inline(StringBuilder sb, String title, List<String> items) {
    if (!items.isEmpty()) {
      sb.append("- ").append(title).append(": ").append(String.join(", ", items.stream().map(MarkdownReport::code)
          .toList())).append('\n');
    }
  }

  private static void bullets(StringBuilder sb, String title, List<String> items) {
    if (items.isEmpty()) {
      return;
    }
    sb.append("**").append(title).append("**\n\n");
    items.forEach(i -> sb.append("- ").append(escape(i)).append('\n'));
    sb.append('\n');
  }

  private static String label(ImpactReport.RevisionInfo i) {
    return i.commit().equals(i.ref()) ? code(i.shortCommit()) : code(i.ref()) + " (" + code(i.shortCommit()) + ")";
  }

  /** Text between backticks (which cannot hold a backtick). */
  private static String code(String s) {
    return "`" + s.replace("`", "'") + "`";
  }

  private static String truncate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max) + "\n… (" + (s.length() - max) + " more characters)";
  }

  private static String html(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  /** Keeps user-controlled text from opening HTML or closing tables. */
  static String escape(String s) {
    return html(s).replace("|", "\\|");
  }
}
