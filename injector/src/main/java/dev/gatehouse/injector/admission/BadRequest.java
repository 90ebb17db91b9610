package dev.gatehouse.injector.admission;

/**
 * A request the webhook cannot answer as an admission decision (malformed body, wrong envelope,
 * object of the wrong shape). Answered with HTTP 400 and {@code {"error": code, "message": …}}.
 */
public final class BadRequest extends RuntimeException {
  private final String code;

  public BadRequest(String code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public String code() {
    return code;
  }
}
