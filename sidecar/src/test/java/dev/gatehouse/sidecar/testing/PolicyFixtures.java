package dev.gatehouse.sidecar.testing;

import dev.gatehouse.engine.Policy;
import dev.gatehouse.engine.Rego;
import dev.gatehouse.engine.bundle.Bundle;
import dev.gatehouse.sync.ActivePolicy;
import dev.gatehouse.sync.PolicyHolder;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The repository's policy library as a bundle named {@code policies} with root {@code gatehouse}
 * and revision {@code fixture-1}: what the recorded OPA fixtures were made with.
 */
public final class PolicyFixtures {
  private PolicyFixtures() {}

  public static Path policiesDir() {
    String configured = System.getProperty("gatehouse.policies");
    return configured != null ? Path.of(configured) : Path.of("..", "policies");
  }

  public static Policy libraryPolicy() {
    Bundle b = Bundle.read(policiesDir(), Bundle.ReadOptions.SKIP_VERIFICATION);
    b = b.withName("policies").withManifest(b.manifest().withRevision("fixture-1").withRoots(List.of("gatehouse")));
    return Rego.builder().bundle(b).compile();
  }

  /** A holder whose policy tests can swap, like the sync component's. */
  public static final class MutableHolder implements PolicyHolder {
    private final AtomicReference<ActivePolicy> current = new AtomicReference<>();

    public MutableHolder set(Policy p, Map<String, String> revisions) {
      current.set(p == null ? null : new ActivePolicy(p, revisions, Instant.now()));
      return this;
    }

    @Override
    public Optional<ActivePolicy> current() {
      return Optional.ofNullable(current.get());
    }
  }
}
