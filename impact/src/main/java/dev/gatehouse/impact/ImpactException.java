package dev.gatehouse.impact;

/** A problem the user must fix before anything can be compared: a bad ref, an unreadable corpus, no repository. */
public class ImpactException extends RuntimeException {
  public ImpactException(String message) {
    super(message, null, false, false);
  }

  public ImpactException(String message, Throwable cause) {
    super(message, cause, false, false);
  }
}
