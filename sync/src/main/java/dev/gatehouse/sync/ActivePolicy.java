package dev.gatehouse.sync;

import dev.gatehouse.engine.Policy;
import java.time.Instant;
import java.util.Map;

/**
 * One activated generation: the compiled policy, the revision of every bundle it was built from
 * (bundle name to revision) and when it was activated.
 */
public record ActivePolicy(Policy policy, Map<String, String> revisions, Instant activatedAt) {
  public ActivePolicy {
    revisions = Map.copyOf(revisions);
  }
}
