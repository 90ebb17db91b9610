package dev.gatehouse.engine;

import dev.gatehouse.engine.ast.Location;

/** Receives the output of Rego {@code print(...)} calls. */
@FunctionalInterface
public interface PrintHook {
  void print(Location location, String message);
}
