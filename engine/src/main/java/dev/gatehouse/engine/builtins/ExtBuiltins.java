package dev.gatehouse.engine.builtins;

import static dev.gatehouse.engine.types.Types.ANY;
import static dev.gatehouse.engine.types.Types.arrayOf;
import static dev.gatehouse.engine.types.Types.func;
import static dev.gatehouse.engine.types.Types.named;

import dev.gatehouse.engine.builtins.core.Fn;
import java.util.List;

/**
 * Builtins the compiler answers itself: {@code rego.metadata.chain()} and {@code rego.metadata.rule()}
 * are replaced by constants computed from the calling rule's annotations, so their implementations
 * here are only reached through a dynamic call, which OPA does not allow either.
 */
public final class ExtBuiltins implements BuiltinProvider {
  @Override
  public List<Builtin> builtins() {
    return List.of(
        Fn.of("rego", "rego.metadata.chain", func(named("chain",
            "each array entry represents a node in the path ancestry (chain) of the active rule that also has declared annotations",
            arrayOf(ANY))), (c, a) -> c.metadataChain()),
        Fn.of("rego", "rego.metadata.rule", func(named("output",
            "\"rule\" scope annotations for this rule; empty object if no annotations exist", ANY)),
            (c, a) -> c.metadataRule()));
  }
}
