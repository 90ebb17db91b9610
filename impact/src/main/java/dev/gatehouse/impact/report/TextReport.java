package dev.gatehouse.impact.report;

import dev.gatehouse.impact.ImpactReport;
import dev.gatehouse.impact.replay.Example;
import dev.gatehouse.impact.replay.Findings;
import java.util.List;
import java.util.Map;

/** The terminal summary (the default format): counts first, one example per group, then the head's checks. */
public final class TextReport {
  private TextReport() {}

  public static String render(ImpactReport r) {
    StringBuilder sb = new StringBuilder();
    sb.append("base ").append(r.base().label()).append(" -> head ").append(r.head().label()).append(", policies in ")
        .append(r.policies()).append('\n');
    revisionErrors(sb, "base", r.base());
    revisionErrors(sb, "head", r.head());
    sb.append("corpus: ").append(Render.corpus(r)).append('\n');
    Findings f = r.findings();
    if (f != null) {
      sb.append("replayed ").append(Render.plural(f.replayed(), "decision", "decisions")).append(": ")
          .append(Render.n(f.changed())).append(" changed\n");
      f.classes().forEach((k, v) -> sb.append(String.format("  %-32s %s%n", k.label(), Render.n(v))));
      if (f.changed() > 0) {
        sb.append("\nby decision path:\n");
        f.paths().forEach((p, s) -> sb.append("  ").append(p).append(": ").append(Render.n(s.changed()))
            .append(" of ").append(Render.n(s.replayed())).append(" changed (").append(Render.classes(s.classes()))
            .append(")\n"));
        sb.append("\nby rule:\n");
        f.rules().forEach((rule, c) -> sb.append("  ").append(rule).append(": ").append(Render.classes(c))
            .append('\n'));
        sb.append("\nchanges:\n");
        for (Map.Entry<Findings.GroupKey, Findings.Group> e : f.groups().entrySet()) {
          Findings.GroupKey k = e.getKey();
          sb.append("  ").append(k.cls().label()).append("  ").append(k.path()).append("  ").append(k.rule())
              .append(": ").append(Render.n(e.getValue().count())).append('\n');
          List<Example> ex = e.getValue().examples();
          if (!ex.isEmpty()) {
            Example x = ex.get(0);
            sb.append("      e.g. ").append(x.source());
            if (x.decisionId() != null) {
              sb.append(" (").append(x.decisionId()).append(')');
            }
            sb.append('\n');
            for (String d : x.detail()) {
              sb.append("        ").append(d).append('\n');
            }
          }
        }
      }
    }
    sb.append('\n');
    if (r.baseTests() != null) {
      sb.append("tests: base ").append(Render.tests(r.baseTests())).append("; head ")
          .append(Render.tests(r.headTests())).append('\n');
      sb.append("coverage: base ").append(Render.coverage(r.baseTests().coverage())).append(", head ")
          .append(Render.coverageChange(r.baseTests().coverage(), r.headTests().coverage())).append('\n');
      r.testChanges().newlyFailing().forEach(t -> sb.append("  newly failing: ").append(t).append('\n'));
      r.testChanges().fixed().forEach(t -> sb.append("  fixed: ").append(t).append('\n'));
    }
    sb.append("check --strict (head): ").append(r.checks().strictErrors().isEmpty() ? "ok"
        : Render.plural(r.checks().strictErrors().size(), "error", "errors")).append('\n');
    r.checks().strictErrors().forEach(e -> sb.append("  ").append(e).append('\n'));
    sb.append("fmt (head): ").append(r.checks().unformatted().isEmpty() ? "ok"
        : Render.plural(r.checks().unformatted().size(), "file", "files") + " not formatted").append('\n');
    r.checks().unformatted().forEach(e -> sb.append("  ").append(e).append('\n'));
    list(sb, "rules added", r.rules().added());
    list(sb, "rules removed", r.rules().removed());
    list(sb, "rules changed", r.rules().changed());
    if (!r.data().isEmpty()) {
      sb.append("data changed:\n");
      r.data().forEach(c -> sb.append("  ").append(c.pointer()).append(" (").append(c.kind()).append(")\n"));
    }
    if (!r.warnings().isEmpty()) {
      sb.append("warnings:\n");
      r.warnings().forEach(w -> sb.append("  ").append(w).append('\n'));
    }
    return sb.toString();
  }

  private static void revisionErrors(StringBuilder sb, String which, ImpactReport.RevisionInfo i) {
    if (!i.compiled()) {
      sb.append(which).append(" does not compile:\n");
      i.errors().forEach(e -> sb.append("  ").append(e).append('\n'));
    }
  }

  private static void list(StringBuilder sb, String title, List<String> items) {
    if (!items.isEmpty()) {
      sb.append(title).append(": ").append(String.join(", ", items)).append('\n');
    }
  }
}
