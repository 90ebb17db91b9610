package dev.gatehouse.injector.policy;

import java.util.List;

/**
 * The admission decision object {@code {allowed, violations[], warnings[]}} as read from Rego.
 *
 * @param allowed the policy's own verdict ({@code allowed}); the request is denied when it is false
 *     or any violation has action deny
 * @param violations every fired rule, in the policy's order
 * @param warnings extra warning strings from {@code warnings[]}
 */
public record Decision(boolean allowed, List<Violation> violations, List<String> warnings) {
  public Decision {
    violations = List.copyOf(violations);
    warnings = List.copyOf(warnings);
  }

  public List<Violation> withAction(Action a) {
    return violations.stream().filter(v -> v.action() == a).toList();
  }

  public boolean denied() {
    return !allowed || violations.stream().anyMatch(v -> v.action() == Action.DENY);
  }
}
