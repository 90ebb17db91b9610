package dev.gatehouse.injector.policy;

import dev.gatehouse.engine.value.ArrayValue;
import dev.gatehouse.engine.value.BooleanValue;
import dev.gatehouse.engine.value.Json;
import dev.gatehouse.engine.value.NullValue;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.SetValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the Rego decision document. A malformed decision is a policy bug, reported as a
 * {@link MalformedDecision} (answered per the failure mode) rather than guessed at: an unknown
 * action or a violation without a rule name would otherwise slip through silently.
 *
 * <p>Leniencies, all on the safe side: {@code allowed} may be omitted (then only deny violations
 * deny); {@code violations}, {@code warnings} and {@code notify} may be arrays or sets (partial set
 * rules); a violation without {@code action} denies; {@code notify} and {@code break_glass} may be
 * omitted ({@code break_glass} may be null or false).
 */
public final class DecisionReader {
  /** The decision document does not have the contract's shape. */
  public static final class MalformedDecision extends RuntimeException {
    public MalformedDecision(String message) {
      super(message, null, false, false);
    }
  }

  private DecisionReader() {}

  public static Decision read(Value v, String path) {
    if (!(v instanceof ObjectValue o)) {
      throw new MalformedDecision(path + " must be an object {allowed, violations, warnings}, got " + v.typeName());
    }
    boolean allowed = true;
    Value a = o.get("allowed");
    if (a != null) {
      if (!(a instanceof BooleanValue b)) {
        throw new MalformedDecision(path + ".allowed must be a boolean, got " + a.typeName());
      }
      allowed = b.value();
    }
    List<Violation> violations = new ArrayList<>();
    int i = 0;
    for (Value e : elements(o.get("violations"), path + ".violations")) {
      String at = path + ".violations[" + i++ + "]";
      if (!(e instanceof ObjectValue vo)) {
        throw new MalformedDecision(at + " must be an object {rule, msg, action}, got " + e.typeName());
      }
      String rule = string(vo.get("rule"), at + ".rule");
      String msg = vo.get("msg") == null ? "" : string(vo.get("msg"), at + ".msg");
      Value act = vo.get("action");
      Action action = Action.DENY;
      if (act != null) {
        String s = string(act, at + ".action");
        action = switch (s) {
          case "deny" -> Action.DENY;
          case "warn" -> Action.WARN;
          case "dryrun" -> Action.DRYRUN;
          default -> throw new MalformedDecision(at + ".action must be deny, warn or dryrun, got " + Json.write(act));
        };
      }
      violations.add(new Violation(rule, msg, action));
    }
    List<String> warnings = new ArrayList<>();
    i = 0;
    for (Value w : elements(o.get("warnings"), path + ".warnings")) {
      warnings.add(string(w, path + ".warnings[" + i++ + "]"));
    }
    List<String> notify = new ArrayList<>();
    i = 0;
    for (Value n : elements(o.get("notify"), path + ".notify")) {
      notify.add(string(n, path + ".notify[" + i++ + "]"));
    }
    Map<String, String> breakGlass = new TreeMap<>();
    Value bg = o.get("break_glass");
    if (bg instanceof ObjectValue bo) {
      bo.forEach((k, val) -> breakGlass.put(k instanceof StringValue ks ? ks.value() : Json.write(k),
          val instanceof StringValue vs ? vs.value() : Json.write(val)));
      if (breakGlass.isEmpty()) {
        throw new MalformedDecision(path + ".break_glass must say who broke glass and why, got {}");
      }
    } else if (bg != null && !(bg instanceof NullValue) && !(bg instanceof BooleanValue b && !b.value())) {
      throw new MalformedDecision(path + ".break_glass must be an object or null, got " + bg.typeName());
    }
    return new Decision(allowed, violations, warnings, notify, breakGlass);
  }

  private static List<Value> elements(Value v, String at) {
    if (v == null) {
      return List.of();
    }
    if (v instanceof ArrayValue arr) {
      return arr.elements();
    }
    if (v instanceof SetValue set) {
      List<Value> out = new ArrayList<>();
      set.forEach(out::add);
      return out;
    }
    throw new MalformedDecision(at + " must be an array or set, got " + v.typeName());
  }

  private static String string(Value v, String at) {
    if (!(v instanceof StringValue s)) {
      throw new MalformedDecision(at + " must be a string, got " + (v == null ? "nothing" : v.typeName()));
    }
    return s.value();
  }
}
