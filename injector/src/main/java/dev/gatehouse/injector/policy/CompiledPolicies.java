package dev.gatehouse.injector.policy;

import dev.gatehouse.engine.Policy;
import dev.gatehouse.engine.PreparedQuery;
import java.time.Instant;

/**
 * One immutable generation of policies: compiled, with the decision query prepared. Requests read
 * the current generation once, so a reload never mixes two generations within a request.
 */
public record CompiledPolicies(Policy policy, PreparedQuery decision, String revision, int modules,
    Instant loadedAt) {}
