package dev.gatehouse.controlplane.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * A stored access request. {@code doc} is the AccessRequest document exactly as the policy saw
 * it (requester from the credential); {@code decision} is the policy's answer when it was filed.
 *
 * @param needsReview a break-glass request whose grant was issued before anyone reviewed it
 */
public record RequestRecord(String id, String requester, ObjectNode doc, RequestState state, ObjectNode decision,
    Instant createdAt, Instant updatedAt, String grantId, String extendsGrant, boolean breakGlass,
    boolean needsReview, String policyRevision, String closedBy) {

  public RequestRecord withState(RequestState s, Instant at, String by) {
    return new RequestRecord(id, requester, doc, s, decision, createdAt, at, grantId, extendsGrant, breakGlass,
        needsReview, policyRevision, by);
  }

  public RequestRecord withGrant(String g, Instant at) {
    return new RequestRecord(id, requester, doc, state, decision, createdAt, at, g, extendsGrant, breakGlass,
        needsReview, policyRevision, closedBy);
  }

  public RequestRecord withNeedsReview(boolean n, Instant at) {
    return new RequestRecord(id, requester, doc, state, decision, createdAt, at, grantId, extendsGrant, breakGlass,
        n, policyRevision, closedBy);
  }
}
