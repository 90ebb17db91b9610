package dev.gatehouse.injector.policy;

import java.io.IOException;

/** Where the webhook's policies come from: a directory (`--policies`) or a bundle file (`--bundle`). */
public interface PolicySource {
  /** For logs: what is being watched. */
  String describe();

  /**
   * A cheap digest of the current content; when it changes the store calls {@link #load()}.
   *
   * @throws IOException when the source cannot be read right now (the last good policies stay)
   */
  String fingerprint() throws IOException;

  /**
   * Reads the whole source.
   *
   * @throws dev.gatehouse.engine.RegoException on load errors, with file and position
   * @throws IOException when the source cannot be read
   */
  PolicySet load() throws IOException;
}
