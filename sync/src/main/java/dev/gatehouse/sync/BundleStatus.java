package dev.gatehouse.sync;

import java.time.Instant;

/**
 * Per-bundle status, shaped like OPA's status plugin: the revision last activated, when it was last
 * downloaded and activated successfully (null if never), and the last error (null when the last
 * attempt succeeded).
 */
public record BundleStatus(
    String name,
    String revision,
    Instant lastSuccessfulDownload,
    Instant lastSuccessfulActivation,
    String lastError) {}
