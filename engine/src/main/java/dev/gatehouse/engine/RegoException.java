package dev.gatehouse.engine;

import java.util.List;

/** Parse, compile or evaluation errors; {@link #getMessage()} renders them as OPA does. */
public class RegoException extends RuntimeException {
  private final List<RegoError> errors;

  public RegoException(List<RegoError> errors) {
    super(render(errors), null, false, false);
    this.errors = List.copyOf(errors);
  }

  public RegoException(RegoError error) {
    this(List.of(error));
  }

  public List<RegoError> errors() { return errors; }

  /** The first error's code, e.g. {@code rego_parse_error}. */
  public String code() { return errors.isEmpty() ? "" : errors.get(0).code(); }

  /** One error: {@code file:row: code: message}; several: {@code N errors occurred:} and one per line. */
  public static String render(List<RegoError> errors) {
    if (errors.size() == 1) {
      return errors.get(0).toString();
    }
    StringBuilder sb = new StringBuilder().append(errors.size()).append(" errors occurred:");
    for (RegoError e : errors) {
      sb.append('\n').append(e);
    }
    return sb.toString();
  }
}
