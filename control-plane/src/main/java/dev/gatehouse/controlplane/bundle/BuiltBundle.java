package dev.gatehouse.controlplane.bundle;

import io.vertx.core.buffer.Buffer;

/**
 * A signed bundle as served: its revision (also the ETag), the tar.gz bytes, and one Vert.x buffer
 * over them shared by every response (a revocation answers every parked client with the same bytes,
 * so they are wrapped once rather than copied per client).
 */
public record BuiltBundle(String revision, byte[] bytes, Buffer buffer) {
  public BuiltBundle(String revision, byte[] bytes) {
    this(revision, bytes, Buffer.buffer(bytes));
  }
}
