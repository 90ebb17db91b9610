package dev.gatehouse.controlplane.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/** A grant: its document (the JWS payload), the compact JWS, and where it is in its lifecycle. */
public record GrantRecord(String id, String requestId, String subject, ObjectNode doc, String jws, GrantState state,
    Instant notBefore, Instant expiresAt, boolean breakGlass, Instant createdAt, Instant updatedAt) {

  public GrantRecord with(ObjectNode d, String j, GrantState s, Instant at) {
    return new GrantRecord(id, requestId, subject, d, j, s, notBefore, expiresAt, breakGlass, createdAt, at);
  }

  public GrantRecord withState(GrantState s, Instant at) {
    return new GrantRecord(id, requestId, subject, doc, jws, s, notBefore, expiresAt, breakGlass, createdAt, at);
  }
}
