package dev.gatehouse.engine.builtins;

import java.util.List;

/**
 * The engine's own builtins: operators, numbers, aggregates, arrays, sets, objects, strings,
 * regex, glob, types, encoding, JSON/YAML, time, bits, units, semver, crypto hashes, graph.
 */
public final class CoreBuiltins implements BuiltinProvider {
  @Override
  public List<Builtin> builtins() {
    return dev.gatehouse.engine.builtins.core.Categories.all();
  }
}
