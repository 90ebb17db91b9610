package dev.gatehouse.engine.builtins.http;

import static dev.gatehouse.engine.types.Types.ANY;
import static dev.gatehouse.engine.types.Types.STRING;
import static dev.gatehouse.engine.types.Types.func;
import static dev.gatehouse.engine.types.Types.named;
import static dev.gatehouse.engine.types.Types.objectOf;

import dev.gatehouse.engine.builtins.Builtin;
import dev.gatehouse.engine.builtins.BuiltinProvider;
import dev.gatehouse.engine.builtins.core.Fn;
import java.util.List;

/**
 * http.send. Off unless the embedder allows it: every call checks the query's
 * {@link dev.gatehouse.engine.builtins.NetworkPolicy} (deny-all by default) before any connection.
 */
public final class HttpBuiltins implements BuiltinProvider {
  @Override
  public List<Builtin> builtins() {
    return List.of(Fn.of("http", "http.send", func(named("response", objectOf(ANY, ANY)),
        named("request", objectOf(STRING, ANY))), HttpSend::call).nondet());
  }
}
