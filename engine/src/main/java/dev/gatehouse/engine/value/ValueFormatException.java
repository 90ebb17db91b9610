package dev.gatehouse.engine.value;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;

/** Malformed JSON or YAML; carries the 1-based line and column where reading stopped. */
public final class ValueFormatException extends RuntimeException {
  private final int line;
  private final int column;

  public ValueFormatException(String message, int line, int column) {
    super(message);
    this.line = line;
    this.column = column;
  }

  static ValueFormatException of(IOException e) {
    if (e instanceof JsonProcessingException jp && jp.getLocation() != null) {
      return new ValueFormatException(jp.getOriginalMessage(), jp.getLocation().getLineNr(),
          jp.getLocation().getColumnNr());
    }
    return new ValueFormatException(String.valueOf(e.getMessage()), 0, 0);
  }

  public int line() { return line; }

  public int column() { return column; }
}
