package dev.gatehouse.sync.http;

/** The outcome of one bundle request. */
public sealed interface Download {
  /** 304: the bundle with this ETag is still current. */
  record NotModified() implements Download {}

  /** 200 with a body; {@code etag} may be null when the server sends none. */
  record Fetched(byte[] body, String etag) implements Download {}

  /** Network error, timeout or an unexpected status; {@code message} says which. */
  record Failed(String message) implements Download {}
}
