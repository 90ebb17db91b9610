package dev.gatehouse.sync;

public record BundleStatus(String name, String revision, java.time.Instant lastSuccessfulDownload, java.time.Instant lastSuccessfulActivation, String lastError) {}
