package dev.gatehouse.controlplane.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where requests, reviews, grants and the audit chain live. Writes happen only inside
 * {@link #write}: one transaction, serialised with every other write, so a state change and its
 * audit event commit together or not at all, and two concurrent approvals cannot both see a pending
 * request. SQLite is the embedded implementation; a Kubernetes (CRD) store would implement the same
 * interface.
 */
public interface Store extends AutoCloseable {
  /** Runs {@code work} in one serialised transaction; commits when it returns, rolls back when it throws. */
  <T> T write(Function<Tx, T> work);

  Optional<RequestRecord> request(String id);

  List<RequestRecord> requests(RequestQuery q);

  List<ReviewRecord> reviews(String requestId);

  Optional<GrantRecord> grant(String id);

  List<GrantRecord> grants(GrantQuery q);

  /**
   * What the grants bundle holds, unparsed: every scheduled, active or revoked grant (document text
   * and JWS) with the grants sequence read in the same transaction, so the label matches the content.
   */
  BundleRows bundleRows();

  record BundleRow(String id, String updatedAt, String doc, String jws) {}

  record BundleRows(long sequence, List<BundleRow> rows) {}

  /** Audit events with {@code seq >= from}, in order, at most {@code limit}. */
  List<AuditEvent> audit(long from, int limit);

  Optional<AuditEvent> lastAudit();

  /** The signed chain heads, newest first. */
  List<SignedHead> heads(int limit);

  /** The grants bundle's sequence number: bumped by every change to what the bundle holds. */
  long grantsSequence();

  Optional<String> meta(String key);

  @Override
  void close();

  record RequestQuery(String requester, RequestState state, boolean needsReview, int limit) {
    public static RequestQuery all() {
      return new RequestQuery(null, null, false, 1000);
    }
  }

  record GrantQuery(String subject, List<GrantState> states, Instant expiresAfter, int limit) {
    public static GrantQuery all() {
      return new GrantQuery(null, null, null, 1000);
    }
  }

  record SignedHead(long seq, String hash, String at, String jws) {}

  /** The write side, valid only inside {@link Store#write}. */
  interface Tx {
    void insertRequest(RequestRecord r);

    void updateRequest(RequestRecord r);

    /** Inserts a vote; throws {@link DuplicateVoteException} when the reviewer already voted on the request. */
    void insertReview(ReviewRecord r);

    void insertGrant(GrantRecord g);

    void updateGrant(GrantRecord g);

    /** Appends to the audit chain and returns the event as stored (seq, hashes). */
    AuditEvent audit(Instant at, String type, String actor, String subject, String dataJson);

    void insertHead(SignedHead h);

    /** Bumps and returns the grants bundle sequence. */
    long bumpGrantsSequence();

    void putMeta(String key, String value);

    /** Reads inside the transaction see its own writes. */
    Store reads();
  }

  /** The store refused a second vote by the same person on one request. */
  final class DuplicateVoteException extends RuntimeException {
    public DuplicateVoteException(String message) {
      super(message);
    }
  }
}
