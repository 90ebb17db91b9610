package dev.gatehouse.sync.source;

import dev.gatehouse.sync.BundleSync;

/** Where one bundle comes from. {@link #run} loops on the calling thread until {@link #stop}. */
public interface BundleSource {
  void run(BundleSync.Sink sink);

  void stop();
}
