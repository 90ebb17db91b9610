package dev.gatehouse.controlplane.bundle;

/** A signed bundle as served: its revision (also the ETag) and the tar.gz bytes. */
public record BuiltBundle(String revision, byte[] bytes) {}
