package dev.gatehouse.injector.policy;

/** One fired rule of the decision: {@code {rule, msg, action}}. */
public record Violation(String rule, String msg, Action action) {
  /** Gatekeeper's {@code [rule] message} form, used in denial messages and warnings. */
  public String render() {
    return "[" + rule + "] " + msg;
  }
}
