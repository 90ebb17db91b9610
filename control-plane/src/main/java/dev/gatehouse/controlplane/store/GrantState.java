package dev.gatehouse.controlplane.store;

/** scheduled (a future start) → active → expired | revoked. */
public enum GrantState {
  SCHEDULED, ACTIVE, EXPIRED, REVOKED;

  public String wire() {
    return name().toLowerCase();
  }
}
