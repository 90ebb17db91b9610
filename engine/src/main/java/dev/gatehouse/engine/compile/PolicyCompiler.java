package dev.gatehouse.engine.compile;

import dev.gatehouse.engine.Policy;
import dev.gatehouse.engine.Rego;

/** Turns a builder's modules and data into a compiled {@link Policy}. */
public final class PolicyCompiler {
  private PolicyCompiler() {}

  public static Policy compile(Rego.Builder request) {
    throw new UnsupportedOperationException("the compiler is not written yet");
  }
}
