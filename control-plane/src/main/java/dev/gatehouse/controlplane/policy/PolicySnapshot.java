package dev.gatehouse.controlplane.policy;

import dev.gatehouse.engine.Policy;
import dev.gatehouse.engine.PreparedQuery;
import dev.gatehouse.engine.bundle.Bundle;
import dev.gatehouse.engine.value.ObjectValue;
import java.time.Instant;
import java.util.List;

/**
 * One generation of policies: compiled, with the two JIT decisions prepared, plus what the policies
 * bundle publishes. Immutable; a reload swaps in a new snapshot, so one API call never mixes two.
 */
public record PolicySnapshot(String revision, Policy policy, PreparedQuery requestDecision, PreparedQuery reviewDecision,
    List<Bundle.ModuleFile> modules, ObjectValue data, List<String> roots, Instant loadedAt) {}
