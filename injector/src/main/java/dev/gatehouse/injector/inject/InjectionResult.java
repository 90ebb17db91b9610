package dev.gatehouse.injector.inject;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** What injection did to one pod. */
public sealed interface InjectionResult {
  /** The sidecar is in: {@code pod} is the mutated copy (the input is never modified). */
  record Injected(ObjectNode pod, InjectionStatus status) implements InjectionResult {}

  /** Left alone, and why (opted out, system namespace, hostNetwork…). */
  record Skipped(String reason) implements InjectionResult {}
}
