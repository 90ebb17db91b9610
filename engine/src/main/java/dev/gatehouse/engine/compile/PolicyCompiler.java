package dev.gatehouse.engine.compile;

import dev.gatehouse.engine.Policy;
import dev.gatehouse.engine.Rego;
import dev.gatehouse.engine.RegoError;
import dev.gatehouse.engine.RegoException;
import dev.gatehouse.engine.ast.Module;
import dev.gatehouse.engine.ast.RegoVersion;
import dev.gatehouse.engine.builtins.BuiltinRegistry;
import dev.gatehouse.engine.eval.CompiledPolicy;
import dev.gatehouse.engine.parse.RegoParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Turns a builder's modules and data into a compiled {@link Policy}. */
public final class PolicyCompiler {
  private PolicyCompiler() {}

  public static Policy compile(Rego.Builder request) {
    List<Module> modules = new ArrayList<>();
    List<RegoError> errors = new ArrayList<>();
    for (Map.Entry<String, String> m : request.modules().entrySet()) {
      RegoVersion v = request.moduleVersions().getOrDefault(m.getKey(), request.regoVersion());
      try {
        modules.add(request.v0v1() ? RegoParser.parseModuleV0V1(m.getKey(), m.getValue())
            : RegoParser.parseModule(m.getKey(), m.getValue(), v));
      } catch (RegoException e) {
        errors.addAll(e.errors());
      }
    }
    if (!errors.isEmpty()) {
      throw new RegoException(errors);
    }
    // opa's module checks (unused imports and variables, shadowed names) are recoverable: it
    // goes on compiling and reports what compiling finds after them
    for (Module m : modules) {
      if (m.regoVersion() == RegoVersion.V1 || request.strict()) {
        errors.addAll(ModuleChecks.check(m, request.strict()));
      }
    }
    for (var stage : request.stages()) {
      modules = new ArrayList<>(stage.apply(List.copyOf(modules)));
    }
    BuiltinRegistry builtins = BuiltinRegistry.defaults().with(request.builtins());
    Policy compiled;
    try {
      compiled = CompiledPolicy.compile(modules, request.data(), builtins, request.regoVersion(),
          request.inputSchema() == null ? null : dev.gatehouse.engine.types.SchemaTypes.of(request.inputSchema()),
          request.indexing());
    } catch (RegoException e) {
      if (errors.isEmpty()) {
        throw e;
      }
      errors.addAll(e.errors());
      // both kinds: in source order, as opa lists them (stable for errors at one place)
      errors.sort(java.util.Comparator.comparing((RegoError r) -> r.location() == null ? "" : r.location().file())
          .thenComparingInt(r -> r.location() == null ? 0 : r.location().row()));
      throw new RegoException(errors);
    }
    if (!errors.isEmpty()) {
      throw new RegoException(errors);
    }
    return compiled;
  }
}
