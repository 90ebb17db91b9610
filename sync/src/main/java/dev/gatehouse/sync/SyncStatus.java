package dev.gatehouse.sync;

public interface SyncStatus { java.util.List<BundleStatus> status(); }
