package dev.gatehouse.impact.replay;

import dev.gatehouse.engine.value.ArrayValue;
import dev.gatehouse.engine.value.BooleanValue;
import dev.gatehouse.engine.value.Json;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.SetValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Says what kind of change separates two outcomes of the same decision, and which rules it is
 * attributed to (the {@code rule} of the violations or reasons that appeared or disappeared).
 */
public final class Classifier {
  /**
   * Keys whose boolean says whether the decision allows: {@code allow} (sidecar, OPA's
   * convention), {@code allowed} (admission, reviews, an AdmissionReview response), {@code valid}
   * (JIT requests). A bare boolean decision is its own answer.
   */
  static final List<String> ALLOW_KEYS = List.of("allow", "allowed", "valid");

  /** Keys holding the findings behind a decision: lists of {rule, msg} objects or strings, or one reason. */
  static final List<String> FINDING_KEYS = List.of("violations", "reasons", "deny", "reason");

  private Classifier() {}

  /** A classified difference: the class, the rules it is attributed to (may be empty), and readable detail. */
  public record Diff(ChangeClass cls, Set<String> rules, List<String> detail) {}

  /** Null when the outcomes are the same as JSON. */
  public static Diff classify(Outcome base, Outcome head) {
    if (base.sameAs(head)) {
      return null;
    }
    if (base instanceof Outcome.Failed bf) {
      if (head instanceof Outcome.Failed hf) {
        return new Diff(ChangeClass.ERROR_CHANGED, Set.of(), List.of("base: " + bf.message(), "head: " + hf.message()));
      }
      return new Diff(ChangeClass.ERROR_FIXED, Set.of(), List.of("base: " + bf.message()));
    }
    if (head instanceof Outcome.Failed hf) {
      return new Diff(ChangeClass.ERROR_INTRODUCED, Set.of(), List.of("head: " + hf.message()));
    }
    if (base instanceof Outcome.Undefined) {
      Value h = ((Outcome.Defined) head).value();
      return new Diff(ChangeClass.BECAME_DEFINED, findingRules(h), List.of("+ " + brief(h)));
    }
    if (head instanceof Outcome.Undefined) {
      Value b = ((Outcome.Defined) base).value();
      return new Diff(ChangeClass.BECAME_UNDEFINED, findingRules(b), List.of("- " + brief(b)));
    }
    Value b = ((Outcome.Defined) base).value();
    Value h = ((Outcome.Defined) head).value();
    List<String> detail = new ArrayList<>();
    Set<String> rules = new TreeSet<>();
    boolean findingsChanged = diffFindings(b, h, rules, detail);
    Boolean ab = allows(b);
    Boolean ah = allows(h);
    if (ab != null && ah != null && !ab.equals(ah)) {
      detail.add(0, "allowed: " + ab + " → " + ah);
      return new Diff(ab ? ChangeClass.ALLOW_TO_DENY : ChangeClass.DENY_TO_ALLOW, rules, detail);
    }
    if (findingsChanged) {
      return new Diff(ChangeClass.FINDINGS_CHANGED, rules, detail);
    }
    detail.add("changed: " + String.join(", ", changedKeys(b, h)));
    return new Diff(ChangeClass.OTHER_CHANGED, rules, detail);
  }

  /** A value as compact JSON, cut at 200 characters. */
  static String brief(Value v) {
    String s = Json.write(v);
    return s.length() <= 200 ? s : s.substring(0, 200) + " …";
  }

  /** Whether a decision allows: a boolean, or an object's allow/allowed/valid, or {response: {allowed}}; else null. */
  public static Boolean allows(Value v) {
    if (v instanceof BooleanValue b) {
      return b.value();
    }
    if (v instanceof ObjectValue o) {
      for (String k : ALLOW_KEYS) {
        if (o.get(k) instanceof BooleanValue b) {
          return b.value();
        }
      }
      if (o.get("response") instanceof ObjectValue r && r.get("allowed") instanceof BooleanValue b) {
        return b.value();
      }
    }
    return null;
  }

  /** One finding: its rule (null when it names none) and its JSON text. */
  record Finding(String rule, String text, String display) {}

  static List<Finding> findings(Value v) {
    List<Finding> out = new ArrayList<>();
    if (!(v instanceof ObjectValue o)) {
      return out;
    }
    for (String k : FINDING_KEYS) {
      Value f = o.get(k);
      if (f instanceof ArrayValue a) {
        a.elements().forEach(e -> out.add(finding(k, e)));
      } else if (f instanceof SetValue s) {
        s.forEach(e -> out.add(finding(k, e)));
      } else if (f instanceof StringValue) {
        out.add(finding(k, f));
      }
    }
    return out;
  }

  private static Finding finding(String key, Value e) {
    if (e instanceof ObjectValue eo) {
      String rule = eo.get("rule") instanceof StringValue r ? r.value() : null;
      String msg = eo.get("msg") instanceof StringValue m ? m.value()
          : eo.get("message") instanceof StringValue m2 ? m2.value() : Json.write(eo);
      String action = eo.get("action") instanceof StringValue a ? " [" + a.value() + "]" : "";
      return new Finding(rule, key + ":" + Json.write(eo), (rule == null ? "" : rule + action + ": ") + msg);
    }
    String text = e instanceof StringValue s ? s.value() : Json.write(e);
    return new Finding(null, key + ":" + Json.write(e), key + ": " + text);
  }

  /** Adds the findings only one side has to {@code detail}, their rules to {@code rules}; true if any. */
  private static boolean diffFindings(Value b, Value h, Set<String> rules, List<String> detail) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    Map<String, Finding> byText = new LinkedHashMap<>();
    for (Finding f : findings(b)) {
      counts.merge(f.text(), -1, Integer::sum);
      byText.put(f.text(), f);
    }
    for (Finding f : findings(h)) {
      counts.merge(f.text(), 1, Integer::sum);
      byText.put(f.text(), f);
    }
    boolean any = false;
    List<String> added = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    for (Map.Entry<String, Integer> e : counts.entrySet()) {
      if (e.getValue() == 0) {
        continue;
      }
      any = true;
      Finding f = byText.get(e.getKey());
      if (f.rule() != null) {
        rules.add(f.rule());
      }
      (e.getValue() > 0 ? added : removed).add((e.getValue() > 0 ? "+ " : "- ") + f.display());
    }
    detail.addAll(removed);
    detail.addAll(added);
    return any;
  }

  /** The rules named by a decision's findings (for decisions that appear or disappear). */
  private static Set<String> findingRules(Value v) {
    Set<String> out = new TreeSet<>();
    for (Finding f : findings(v)) {
      if (f.rule() != null) {
        out.add(f.rule());
      }
    }
    return out;
  }

  /** Top-level keys whose values differ (or "value" for non-objects). */
  private static List<String> changedKeys(Value b, Value h) {
    if (!(b instanceof ObjectValue bo) || !(h instanceof ObjectValue ho)) {
      return List.of("value");
    }
    Set<Value> keys = new LinkedHashSet<>(bo.keys());
    keys.addAll(ho.keys());
    List<String> out = new ArrayList<>();
    for (Value k : new TreeSet<>(keys)) {
      Value x = bo.get(k);
      Value y = ho.get(k);
      if (x == null || !x.equals(y)) {
        out.add(k instanceof StringValue s ? s.value() : Json.write(k));
      }
    }
    return out;
  }
}
