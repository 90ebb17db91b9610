package dev.gatehouse.sync;

import java.util.Optional;

/**
 * The policy currently serving decisions. Readers call {@link #current()} once per decision and
 * use the returned snapshot for the whole evaluation: activations swap it atomically, so one
 * decision never mixes two bundle generations. Empty until the first set of bundles activates.
 */
public interface PolicyHolder {
  Optional<ActivePolicy> current();
}
