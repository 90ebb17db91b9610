package dev.gatehouse.engine.bundle;

/**
 * A bundle could not be read, verified or written. Messages follow OPA's bundle errors
 * ({@code manifest roots [a] do not permit 'package b' in module 'x.rego'}, {@code scope mismatch},
 * {@code data.json: digest mismatch (want: …, got: …)}), so logs and scripts read the same.
 */
public class BundleException extends RuntimeException {
  public BundleException(String message) {
    super(message, null, false, false);
  }

  public BundleException(String message, Throwable cause) {
    super(message, cause, false, false);
  }
}
