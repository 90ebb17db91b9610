package dev.gatehouse.engine.builtins;

import dev.gatehouse.engine.ast.Location;
import dev.gatehouse.engine.value.Value;
import java.util.Map;

/** What a builtin may see of the query evaluating it. Implemented by the evaluator. */
public interface BuiltinContext {
  /** The query's fixed clock: time.now_ns returns this for the whole query. */
  long nowNanos();

  /** Per-query cache: builtins memoise here (rand.intn, http.send responses within one query). */
  Map<Object, Object> queryCache();

  /** Cache shared across queries of one policy (compiled regexes, parsed certificates), bounded. */
  Map<Object, Object> sharedCache();

  /** The location of the call being evaluated, for error messages. */
  Location location();

  /** Sends a line to the print hook (no-op when the embedder set none). */
  void print(String line);

  /** Throws when the query's deadline has passed or it was cancelled; long builtins call it. */
  void checkCancelled();

  /** True when the embedder enabled strict builtin errors. */
  boolean strictBuiltinErrors();

  /** Runtime information for {@code opa.runtime()} (env, config, version). */
  Value runtime();

  /** Host policy for {@code http.send} and {@code net.lookup_ip_addr}; denies everything by default. */
  NetworkPolicy network();

  /** Metadata for rego.metadata.chain() / rego.metadata.rule(): the evaluator's view of the current rule. */
  default Value metadataChain() { return dev.gatehouse.engine.value.ArrayValue.EMPTY; }

  default Value metadataRule() { return dev.gatehouse.engine.value.ObjectValue.EMPTY; }
}
