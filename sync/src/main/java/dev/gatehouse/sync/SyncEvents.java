package dev.gatehouse.sync;

import dev.gatehouse.sync.grants.GrantVerifier;
import java.util.List;

/**
 * What the sync reports as it works, for logs and audit. Every refusal (a bundle that does not
 * verify, parse or compile; a grant whose JWS fails) arrives here. Methods are called from the
 * sync's own threads and must not block.
 */
public interface SyncEvents {
  default void activated(ActivePolicy policy) {}

  /** A bundle was downloaded or read but not activated; the last good one keeps serving. */
  default void bundleFailed(String bundle, String stage, String error) {}

  default void grantsRejected(String bundle, String revision, List<GrantVerifier.Rejected> rejected) {}

  /**
   * A security refusal: a validly signed bundle whose revision sequence ({@code grants-<n>}) is
   * older than the newest one already accepted (active or persisted) — a replay by someone in the
   * path, or a stale cache or mirror — was not activated, so no revoked grant comes back. Reported
   * through {@link #bundleFailed} too unless overridden.
   */
  default void replayRefused(String bundle, String offered, String newest, String error) {
    bundleFailed(bundle, "replay", error);
  }

  /** Writing the last good bundle to disk failed (full disk…); serving continues. */
  default void persistFailed(String bundle, String error) {}

  /** A persisted bundle was loaded because the service could not be reached. */
  default void loadedPersisted(String bundle, String revision) {}

  SyncEvents NONE = new SyncEvents() {};
}
