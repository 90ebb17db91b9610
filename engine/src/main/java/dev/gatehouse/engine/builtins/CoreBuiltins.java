package dev.gatehouse.engine.builtins;

import java.util.ArrayList;
import java.util.List;

/**
 * The language-level categories: operators, numbers, aggregates, arrays, sets, objects, strings,
 * regex, glob, types, encoding, JSON/YAML, bits, units, semver, graph.
 */
public final class CoreBuiltins implements BuiltinProvider {
  @Override
  public List<Builtin> builtins() {
    List<Builtin> all = new ArrayList<>();
    return all;
  }
}
