package dev.gatehouse.controlplane.store;

/** A storage failure (I/O, corruption, constraint); never caused by a caller's input alone. */
public class StoreException extends RuntimeException {
  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
