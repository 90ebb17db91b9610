package dev.gatehouse.sync;

import java.util.List;

/** Status of every configured bundle, for /health, /v1/status and metrics. */
public interface SyncStatus {
  List<BundleStatus> status();
}
