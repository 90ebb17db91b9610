package dev.gatehouse.controlplane.store;

/** pending → approved | denied | cancelled (by its requester) | expired (nobody decided within the TTL). */
public enum RequestState {
  PENDING, APPROVED, DENIED, CANCELLED, EXPIRED;

  public String wire() {
    return name().toLowerCase();
  }

  public static RequestState parse(String s) {
    for (RequestState r : values()) {
      if (r.wire().equals(s)) {
        return r;
      }
    }
    throw new IllegalArgumentException("unknown request state " + s + "; use pending, approved, denied, cancelled or expired");
  }
}
