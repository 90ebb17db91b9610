package dev.gatehouse.impact.replay;

/** How a decision changed between base and head, most severe first (the order reports use). */
public enum ChangeClass {
  DENY_TO_ALLOW("deny-to-allow", "deny → allow"),
  ALLOW_TO_DENY("allow-to-deny", "allow → deny"),
  ERROR_INTRODUCED("error-introduced", "error introduced"),
  ERROR_FIXED("error-fixed", "error fixed"),
  ERROR_CHANGED("error-changed", "error changed"),
  BECAME_UNDEFINED("defined-to-undefined", "defined → undefined"),
  BECAME_DEFINED("undefined-to-defined", "undefined → defined"),
  FINDINGS_CHANGED("findings-changed", "violations or reasons changed"),
  OTHER_CHANGED("other-changed", "other fields changed");

  private final String id;
  private final String label;

  ChangeClass(String id, String label) {
    this.id = id;
    this.label = label;
  }

  /** The stable name used in JSON and {@code --fail-on}. */
  public String id() {
    return id;
  }

  /** The name shown to people. */
  public String label() {
    return label;
  }
}
