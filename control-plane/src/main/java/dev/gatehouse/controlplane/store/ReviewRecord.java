package dev.gatehouse.controlplane.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * A recorded vote. {@code doc} is the Review document given to the policy; {@code decision} is the
 * policy's answer to it. {@code reviewerKey} is the reviewer lower-cased and trimmed: the store
 * refuses a second row with the same key for a request (one person, one vote).
 */
public record ReviewRecord(long id, String requestId, String reviewer, String reviewerKey, String vote, String comment,
    Instant at, ObjectNode doc, ObjectNode decision) {}
