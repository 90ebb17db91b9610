package dev.gatehouse.engine.builtins.http;

import static dev.gatehouse.engine.types.Types.ANY;
import static dev.gatehouse.engine.types.Types.STRING;
import static dev.gatehouse.engine.types.Types.objectOf;

import dev.gatehouse.engine.builtins.Builtin;
import dev.gatehouse.engine.builtins.BuiltinProvider;
import dev.gatehouse.engine.builtins.core.Def;
import dev.gatehouse.engine.types.Types;
import java.util.List;

/**
 * http.send. Off unless the embedder allows it: every call checks the query's
 * {@link dev.gatehouse.engine.builtins.NetworkPolicy} (deny-all by default) before any connection.
 */
public final class HttpBuiltins implements BuiltinProvider {
  @Override
  public List<Builtin> builtins() {
    return List.of(Def.def("http.send", "Returns a HTTP response to the given HTTP request.")
            .arg("request", "the HTTP request object", Types.objectOf(Types.STRING, Types.ANY))
            .returns("response", "the HTTP response object", Types.objectOf(Types.ANY, Types.ANY))
            .nondeterministic()
            .impl(HttpSend::call).nondet());
  }
}
