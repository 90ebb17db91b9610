package dev.gatehouse.impact.report;

import dev.gatehouse.engine.value.ArrayValue;
import dev.gatehouse.engine.value.BooleanValue;
import dev.gatehouse.engine.value.Json;
import dev.gatehouse.engine.value.NullValue;
import dev.gatehouse.engine.value.NumberValue;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import dev.gatehouse.impact.ImpactReport;
import dev.gatehouse.impact.corpus.Entry;
import dev.gatehouse.impact.replay.ChangeClass;
import dev.gatehouse.impact.replay.Example;
import dev.gatehouse.impact.replay.Findings;
import dev.gatehouse.impact.review.TestOutcomes;
import java.util.List;
import java.util.Map;

/**
 * {@code --format json}: the whole report as one JSON document (keys sorted, as Go's encoding/json
 * writes maps). Class names are the {@code --fail-on} spellings ({@code deny-to-allow}, ...).
 */
public final class JsonReport {
  private JsonReport() {}

  public static String render(ImpactReport r) {
    return Json.writeIndented(toValue(r), "  ");
  }

  public static Value toValue(ImpactReport r) {
    ObjectValue.Builder o = ObjectValue.builder();
    o.put("base", revision(r.base()));
    o.put("head", revision(r.head()));
    o.put("policies", str(r.policies()));
    ObjectValue.Builder corpus = ObjectValue.builder();
    corpus.put("files", num(r.corpus().files()));
    for (Entry.Kind k : Entry.Kind.values()) {
      corpus.put(kindKey(k), num(r.corpus().entries().getOrDefault(k, 0L)));
    }
    corpus.put("corrupt", num(r.corpus().bad()));
    corpus.put("skipped", num(r.corpus().skipped()));
    corpus.put("erased_inputs", num(r.corpus().erasedInputs()));
    corpus.put("problems", strings(r.corpus().problems()));
    o.put("corpus", corpus.build());
    Findings f = r.findings();
    if (f != null) {
      ObjectValue.Builder summary = ObjectValue.builder();
      summary.put("replayed", num(f.replayed()));
      summary.put("changed", num(f.changed()));
      summary.put("unchanged", num(f.replayed() - f.changed()));
      summary.put("classes", classes(f.classes()));
      o.put("summary", summary.build());
      ObjectValue.Builder paths = ObjectValue.builder();
      f.paths().forEach((p, s) -> paths.put(p, ObjectValue.of("replayed", num(s.replayed()), "changed",
          num(s.changed()), "classes", classes(s.classes()), "undefined_in_both", num(s.undefinedBoth()),
          "error_in_both", num(s.errorBoth()), "recorded_compared", num(s.recordedCompared()),
          "recorded_differs_from_base", num(s.recordedDiffers()))));
      o.put("paths", paths.build());
      ObjectValue.Builder rules = ObjectValue.builder();
      f.rules().forEach((rule, c) -> rules.put(rule, classes(c)));
      o.put("rules", rules.build());
      List<Value> groups = new java.util.ArrayList<>();
      f.groups().forEach((k, g) -> groups.add(ObjectValue.of("class", str(k.cls().id()), "path", str(k.path()),
          "rule", str(k.rule()), "count", num(g.count()), "examples",
          ArrayValue.of(g.examples().stream().map(JsonReport::example).toList()))));
      o.put("changes", ArrayValue.of(groups));
    }
    if (r.baseTests() != null) {
      o.put("tests", ObjectValue.of("base", tests(r.baseTests()), "head", tests(r.headTests()),
          "newly_failing", strings(r.testChanges().newlyFailing()), "fixed", strings(r.testChanges().fixed())));
    }
    o.put("check_strict", ObjectValue.of("ok", BooleanValue.of(r.checks().strictErrors().isEmpty()), "errors",
        strings(r.checks().strictErrors())));
    o.put("fmt", ObjectValue.of("ok", BooleanValue.of(r.checks().unformatted().isEmpty()), "unformatted",
        strings(r.checks().unformatted())));
    o.put("rule_changes", ObjectValue.of("added", strings(r.rules().added()), "removed",
        strings(r.rules().removed()), "changed", strings(r.rules().changed())));
    o.put("data_changes", ArrayValue.of(r.data().stream()
        .map(c -> (Value) ObjectValue.of("pointer", str(c.pointer()), "change", str(c.kind()))).toList()));
    o.put("warnings", strings(r.warnings()));
    return o.build();
  }

  static String kindKey(Entry.Kind k) {
    return switch (k) {
      case DECISION_LOG -> "decision_log_events";
      case ADMISSION_REVIEW -> "admission_reviews";
      case GOLDEN -> "golden_decisions";
    };
  }

  private static Value revision(ImpactReport.RevisionInfo i) {
    return ObjectValue.of("ref", str(i.ref()), "commit", str(i.commit()), "compiled", BooleanValue.of(i.compiled()),
        "errors", strings(i.errors()));
  }

  private static Value tests(TestOutcomes t) {
    ObjectValue.Builder b = ObjectValue.builder();
    for (String k : List.of("PASS", "FAIL", "ERROR", "SKIP")) {
      b.put(k.toLowerCase(java.util.Locale.ROOT), num(t.count(k)));
    }
    b.put("coverage", t.coverage() == null ? NullValue.INSTANCE : NumberValue.of(Math.round(t.coverage() * 100) / 100.0));
    b.put("error", t.loadError() == null ? NullValue.INSTANCE : str(t.loadError()));
    return b.build();
  }

  private static Value example(Example e) {
    return ObjectValue.of("source", str(e.source()), "decision_id", e.decisionId() == null ? NullValue.INSTANCE
        : str(e.decisionId()), "input", e.input() == null ? NullValue.INSTANCE : e.input(), "erased", strings(e.erased()),
        "base", e.base(), "head", e.head(), "detail", strings(e.detail()));
  }

  private static Value classes(Map<ChangeClass, Long> m) {
    ObjectValue.Builder b = ObjectValue.builder();
    m.forEach((k, v) -> b.put(k.id(), num(v)));
    return b.build();
  }

  private static Value strings(List<String> l) {
    return ArrayValue.of(l.stream().map(s -> (Value) StringValue.of(s)).toList());
  }

  static Value str(String s) {
    return StringValue.of(s);
  }

  static Value num(long n) {
    return NumberValue.of(n);
  }
}
