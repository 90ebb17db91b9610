package dev.gatehouse.engine.builtins;

import java.util.ArrayList;
import java.util.List;

/**
 * The categories that touch the outside world or heavy formats: time, net, crypto, tokens (JWT),
 * http.send, AWS signing, GraphQL, UUID, randomness, rego.*, opa.runtime, tracing.
 */
public final class ExtBuiltins implements BuiltinProvider {
  @Override
  public List<Builtin> builtins() {
    List<Builtin> all = new ArrayList<>();
    return all;
  }
}
