package dev.gatehouse.injector.policy;

import java.util.List;
import java.util.Map;

/**
 * The admission decision object {@code {allowed, violations[], warnings[], notify[], break_glass}}
 * as read from Rego.
 *
 * @param allowed the policy's own verdict ({@code allowed}); the request is denied when it is false
 *     or any violation has action deny
 * @param violations every fired rule, in the policy's order
 * @param warnings extra warning strings from {@code warnings[]}
 * @param notifyChannels channels the policy wants told about this request (e.g. a break-glass change);
 *     empty when the decision has none
 * @param breakGlass the policy's record of a break-glass use ({@code break_glass}: user, reason,
 *     expires, …), values as strings; empty when none was used
 */
public record Decision(boolean allowed, List<Violation> violations, List<String> warnings, List<String> notifyChannels,
    Map<String, String> breakGlass) {
  public Decision {
    violations = List.copyOf(violations);
    warnings = List.copyOf(warnings);
    notifyChannels = List.copyOf(notifyChannels);
    breakGlass = Map.copyOf(breakGlass);
  }

  public Decision(boolean allowed, List<Violation> violations, List<String> warnings) {
    this(allowed, violations, warnings, List.of(), Map.of());
  }

  public List<Violation> withAction(Action a) {
    return violations.stream().filter(v -> v.action() == a).toList();
  }

  public boolean denied() {
    return !allowed || violations.stream().anyMatch(v -> v.action() == Action.DENY);
  }

  public boolean breakGlassUsed() {
    return !breakGlass.isEmpty();
  }
}
