package dev.gatehouse.injector.policy;

/** What a violated rule does: deny the request, warn the client, or only record (shadow mode). */
public enum Action {
  DENY, WARN, DRYRUN;

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
