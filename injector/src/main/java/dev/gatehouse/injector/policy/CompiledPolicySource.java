package dev.gatehouse.injector.policy;

import dev.gatehouse.engine.Policy;
import java.io.IOException;
import java.util.Optional;

/**
 * A source that hands over policies already compiled, with their data — the bundle sync
 * ({@code gatehouse webhook --opa-config}), which downloads, verifies (bundle signature, each
 * grant's JWS) and compiles policy and grants bundles itself. The store only prepares the decision
 * query of each new generation. The injector stays free of the sync: the CLI adapts one to this.
 */
public interface CompiledPolicySource extends PolicySource {
  /** One compiled generation; {@code revision} names it (e.g. {@code policies=abc,grants=grants-7}). */
  record Compiled(Policy policy, String revision) {}

  /** The generation in force, or empty before every bundle has activated once. */
  Optional<Compiled> compiled();

  /** Why nothing is in force yet (for /health and logs); null when unknown. */
  String lastError();

  /** The revision in force; throws (so the store reports itself unready) before the first activation. */
  @Override
  default String fingerprint() throws IOException {
    return compiled().map(Compiled::revision).orElseThrow(() -> new IOException(
        "no bundle activated yet" + (lastError() == null ? "" : ": " + lastError())));
  }

  @Override
  default PolicySet load() {
    throw new UnsupportedOperationException("compiled sources are read with compiled()");
  }
}
