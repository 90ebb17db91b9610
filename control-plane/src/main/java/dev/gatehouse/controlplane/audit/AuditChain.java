package dev.gatehouse.controlplane.audit;

import dev.gatehouse.controlplane.Jsons;
import dev.gatehouse.controlplane.store.AuditEvent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * The audit log's hash chain. Each event's hash is SHA-256 over the JSON array
 * {@code [prevHash, seq, at, type, actor, subject, data]} (an encoding with no ambiguity between
 * fields); the first event's {@code prevHash} is {@link #GENESIS}. Editing any field of a row
 * changes its hash; deleting a row leaves a gap in {@code seq} and a {@code prevHash} that no longer
 * matches. Truncating the tail is caught against the signed chain heads.
 */
public final class AuditChain {
  public static final String GENESIS = "0".repeat(64);

  private AuditChain() {}

  public static String hash(String prevHash, long seq, String at, String type, String actor, String subject,
      String data) {
    String canonical = Jsons.write(Arrays.asList(prevHash, seq, at, type, actor, subject, data));
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(md.digest(canonical.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String hash(AuditEvent e) {
    return hash(e.prevHash(), e.seq(), e.at(), e.type(), e.actor(), e.subject(), e.data());
  }

  /** The first broken link found, or {@code ok}. */
  public record Result(boolean ok, long checked, long firstBroken, String reason, String headHash, long headSeq) {
    public static Result ok(long checked, long headSeq, String headHash) {
      return new Result(true, checked, 0, null, headHash, headSeq);
    }

    public static Result broken(long checked, long seq, String reason) {
      return new Result(false, checked, seq, reason, null, 0);
    }
  }

  /** Incremental verification over consecutive pages of events. */
  public static final class Verifier {
    private long expectedSeq;
    private String prevHash;
    private long checked;
    private Result failure;

    /**
     * @param fromSeq the first sequence number expected; when 1, its prevHash must be GENESIS,
     *     otherwise the first event's prevHash is taken as given (a partial check)
     */
    public Verifier(long fromSeq) {
      this.expectedSeq = fromSeq;
      this.prevHash = fromSeq <= 1 ? GENESIS : null;
    }

    /** Feeds the next events in order; returns false once a link is broken. */
    public boolean feed(List<AuditEvent> events) {
      for (AuditEvent e : events) {
        if (failure != null) {
          return false;
        }
        if (e.seq() != expectedSeq) {
          failure = e.seq() > expectedSeq
              ? Result.broken(checked, expectedSeq, "event " + expectedSeq + " is missing (deleted?): the chain jumps from "
                  + (expectedSeq - 1) + " to " + e.seq())
              : Result.broken(checked, e.seq(), "event " + e.seq() + " is out of order (expected " + expectedSeq + ")");
          return false;
        }
        if (prevHash != null && !Objects.equals(prevHash, e.prevHash())) {
          failure = Result.broken(checked, e.seq(), "event " + e.seq() + " does not link to event " + (e.seq() - 1)
              + ": prev_hash " + e.prevHash() + " but the previous event hashes to " + prevHash);
          return false;
        }
        String h = hash(e);
        if (!h.equals(e.hash())) {
          failure = Result.broken(checked, e.seq(), "event " + e.seq() + " was altered: its content hashes to " + h
              + ", the chain recorded " + e.hash());
          return false;
        }
        prevHash = h;
        expectedSeq++;
        checked++;
      }
      return failure == null;
    }

    /** Checks that a signed head (seq, hash) is part of the chain verified so far. */
    public void checkHead(long seq, String hash, java.util.function.LongFunction<String> hashAt) {
      if (failure != null) {
        return;
      }
      if (seq >= expectedSeq) {
        failure = Result.broken(checked, expectedSeq, "the chain ends at event " + (expectedSeq - 1)
            + " but a signed head covers event " + seq + ": events were removed from the end");
        return;
      }
      String at = hashAt.apply(seq);
      if (at != null && !at.equals(hash)) {
        failure = Result.broken(checked, seq, "event " + seq + " does not match the signed chain head (" + hash + ")");
      }
    }

    public Result result() {
      return failure != null ? failure : Result.ok(checked, expectedSeq - 1, prevHash);
    }
  }
}
