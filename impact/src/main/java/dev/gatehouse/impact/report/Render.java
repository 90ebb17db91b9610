package dev.gatehouse.impact.report;

import dev.gatehouse.impact.ImpactReport;
import dev.gatehouse.impact.corpus.Entry;
import dev.gatehouse.impact.replay.ChangeClass;
import dev.gatehouse.impact.review.TestOutcomes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Phrases shared by the text and Markdown reports. */
final class Render {
  private Render() {}

  static String n(long v) {
    return String.format(Locale.ROOT, "%,d", v);
  }

  static String plural(long v, String one, String many) {
    return n(v) + " " + (v == 1 ? one : many);
  }

  /** "1,000 decision-log events, 14 AdmissionReviews, 26 golden decisions". */
  static String corpus(ImpactReport r) {
    List<String> parts = new ArrayList<>();
    Map<Entry.Kind, Long> e = r.corpus().entries();
    long logs = e.getOrDefault(Entry.Kind.DECISION_LOG, 0L);
    long reviews = e.getOrDefault(Entry.Kind.ADMISSION_REVIEW, 0L);
    long golden = e.getOrDefault(Entry.Kind.GOLDEN, 0L);
    if (logs > 0) {
      parts.add(plural(logs, "decision-log event", "decision-log events"));
    }
    if (reviews > 0) {
      parts.add(plural(reviews, "AdmissionReview", "AdmissionReviews"));
    }
    if (golden > 0) {
      parts.add(plural(golden, "golden decision", "golden decisions"));
    }
    if (parts.isEmpty()) {
      parts.add("no decisions");
    }
    String s = String.join(", ", parts);
    if (r.corpus().bad() > 0) {
      s += "; " + plural(r.corpus().bad(), "corrupt record", "corrupt records") + " skipped";
    }
    if (r.corpus().skipped() > 0) {
      s += "; " + plural(r.corpus().skipped(), "event", "events") + " without a path skipped";
    }
    return s;
  }

  /** "3 deny → allow, 1 allow → deny" or "none". */
  static String classes(Map<ChangeClass, Long> m) {
    List<String> parts = new ArrayList<>();
    m.forEach((k, v) -> parts.add(n(v) + " " + k.label()));
    return parts.isEmpty() ? "none" : String.join(", ", parts);
  }

  static String tests(TestOutcomes t) {
    if (t.loadError() != null) {
      return "did not run (" + firstLine(t.loadError()) + ")";
    }
    List<String> parts = new ArrayList<>();
    parts.add(n(t.count("PASS")) + " passed");
    if (t.count("FAIL") > 0) {
      parts.add(n(t.count("FAIL")) + " failed");
    }
    if (t.count("ERROR") > 0) {
      parts.add(n(t.count("ERROR")) + " errored");
    }
    if (t.count("SKIP") > 0) {
      parts.add(n(t.count("SKIP")) + " skipped");
    }
    return String.join(", ", parts);
  }

  static String coverage(Double c) {
    return c == null ? "n/a" : String.format(Locale.ROOT, "%.2f%%", c);
  }

  /** "98.70% (-1.30)" for head against base. */
  static String coverageChange(Double base, Double head) {
    if (head == null) {
      return "n/a";
    }
    if (base == null) {
      return coverage(head);
    }
    double d = Math.round((head - base) * 100) / 100.0;
    return coverage(head) + (d == 0 ? " (=)" : String.format(Locale.ROOT, " (%+.2f)", d));
  }

  static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl) + " …";
  }
}
