package dev.gatehouse.injector.server;

/** The two admission endpoints. */
public enum Endpoint {
  VALIDATE("/validate"), MUTATE("/mutate");

  private final String path;

  Endpoint(String path) {
    this.path = path;
  }

  public String path() {
    return path;
  }
}
