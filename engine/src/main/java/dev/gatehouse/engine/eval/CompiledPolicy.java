package dev.gatehouse.engine.eval;

import dev.gatehouse.engine.Policy;
import dev.gatehouse.engine.PreparedQuery;
import dev.gatehouse.engine.RegoException;
import dev.gatehouse.engine.ast.Body;
import dev.gatehouse.engine.ast.Module;
import dev.gatehouse.engine.ast.RegoVersion;
import dev.gatehouse.engine.builtins.BuiltinRegistry;
import dev.gatehouse.engine.compile.Compiler;
import dev.gatehouse.engine.compile.DataIndex;
import dev.gatehouse.engine.compile.DataIndexPlanner;
import dev.gatehouse.engine.compile.PolicyCompiler;
import dev.gatehouse.engine.compile.RuleTree;
import dev.gatehouse.engine.parse.RegoParser;
import dev.gatehouse.engine.value.Value;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The immutable result of compilation: rule tree, base data and builtins. Thread-safe. */
public final class CompiledPolicy implements Policy {
  private static final int SHARED_CACHE_LIMIT = 1_000;

  private final List<Module> modules;
  private final RuleTree tree;
  private final Value data;
  private final BuiltinRegistry builtins;
  private final RegoVersion queryVersion;
  private final boolean indexing;
  /** Data indexes by collection and fields, built on first use (base data never changes here). */
  private final java.util.concurrent.ConcurrentHashMap<DataIndex.Shape, BuiltIndex> dataIndexes =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final Map<Object, Object> sharedCache = Collections.synchronizedMap(
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Object, Object> eldest) {
          return size() > SHARED_CACHE_LIMIT;
        }
      });

  CompiledPolicy(List<Module> modules, RuleTree tree, Value data, BuiltinRegistry builtins, RegoVersion queryVersion,
      boolean indexing) {
    this.indexing = indexing;
    this.modules = List.copyOf(modules);
    this.tree = tree;
    this.data = data;
    this.builtins = builtins;
    this.queryVersion = queryVersion;
  }

  RuleTree tree() {
    return tree;
  }

  Map<Object, Object> sharedCache() {
    return sharedCache;
  }

  /** False when the policy was built with indexing off: every scan runs as plain iteration. */
  boolean indexing() {
    return indexing;
  }

  /** How many data indexes have been built so far (tests, memory reports). */
  public int dataIndexCount() {
    return dataIndexes.size();
  }

  /** The index of one shape, built once even when many threads ask at the same time. */
  BuiltIndex dataIndex(DataIndex.Shape shape, java.util.function.Supplier<BuiltIndex> build) {
    BuiltIndex b = dataIndexes.get(shape);
    return b != null ? b : dataIndexes.computeIfAbsent(shape, s -> build.get());
  }

  @Override
  public PreparedQuery prepare(String query) {
    Body body = RegoParser.parseQuery(query, queryVersion);
    Compiler compiler = new Compiler(builtins);
    compiler.adopt(tree);
    Compiler.CompiledQuery q = compiler.compileQuery(body, List.of(), List.of());
    DataIndexPlanner.planQuery(tree, q.body());
    return new PreparedQueryImpl(this, query, body, q);
  }

  @Override
  public List<Module> modules() {
    return modules;
  }

  @Override
  public Value data() {
    return data;
  }

  /** Shares the rule tree and builtins; base data is only read at evaluation, and the cache is new. */
  @Override
  public Policy withData(Value newData) {
    return new CompiledPolicy(modules, tree, newData, builtins, queryVersion, indexing);
  }

  /** Compiles modules and data into a policy. */
  public static CompiledPolicy compile(List<Module> modules, Value data, BuiltinRegistry builtins, RegoVersion queryVersion) {
    return compile(modules, data, builtins, queryVersion, null, true);
  }

  /**
   * Compiles modules and data into a policy. {@code inputType}: the input document's type (from a
   * JSON Schema) known to the type checker, null when unknown. {@code indexing} false evaluates every
   * iteration over base data by plain iteration (for comparisons: results are the same either way).
   */
  public static CompiledPolicy compile(List<Module> modules, Value data, BuiltinRegistry builtins, RegoVersion queryVersion,
      dev.gatehouse.engine.types.Type inputType, boolean indexing) {
    return of(PolicyCompiler.compileModules(modules, builtins, inputType), data, queryVersion, indexing);
  }

  /** The policy of compiled modules over base data; queries are parsed as {@code queryVersion}. */
  public static CompiledPolicy of(PolicyCompiler.Compiled compiled, Value data, RegoVersion queryVersion, boolean indexing) {
    return new CompiledPolicy(compiled.modules(), compiled.tree(), data, compiled.builtins(), queryVersion, indexing);
  }

  static RegoException wrap(StackOverflowError e) {
    return new RegoException(new dev.gatehouse.engine.RegoError("eval_cancel_error",
        "evaluation nested too deeply (stack exhausted)", null));
  }
}
