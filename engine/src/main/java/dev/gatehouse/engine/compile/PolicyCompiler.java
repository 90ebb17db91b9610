package dev.gatehouse.engine.compile;

import dev.gatehouse.engine.RegoError;
import dev.gatehouse.engine.RegoException;
import dev.gatehouse.engine.ast.Module;
import dev.gatehouse.engine.ast.RegoVersion;
import dev.gatehouse.engine.builtins.Builtin;
import dev.gatehouse.engine.builtins.BuiltinRegistry;
import dev.gatehouse.engine.parse.RegoParser;
import dev.gatehouse.engine.types.Type;
import dev.gatehouse.engine.value.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The whole compile pipeline over source texts: parse every module, run opa's module checks,
 * the caller's stages, then the {@link Compiler} and the data-index planner. Its output is the
 * rule tree the evaluator runs; turning that into a queryable policy (with base data) is the
 * embedding API's job ({@code Rego.Builder.compile()}), so this package never sees the
 * evaluator.
 */
public final class PolicyCompiler {
  private PolicyCompiler() {}

  /**
   * What to compile. {@code versions}: modules whose Rego version differs from
   * {@code defaultVersion}; {@code v0v1}: opa's {@code --v0-v1}; {@code inputType}: the input
   * document's type for the type checker (from a JSON Schema), null when unknown; {@code schemas}:
   * JSON Schemas by reference ({@code schema.k8s.pod}) for METADATA {@code schemas} annotations
   * ({@code opa check -s DIR}), empty for none.
   */
  public record Sources(Map<String, String> modules, Map<String, RegoVersion> versions, RegoVersion defaultVersion,
      boolean v0v1, boolean strict, List<UnaryOperator<List<Module>>> stages, List<Builtin> builtins, Type inputType,
      Map<String, Value> schemas) {
    /** Plain modules of one version, default checks, the default builtins. */
    public static Sources of(Map<String, String> modules, Map<String, RegoVersion> versions, RegoVersion defaultVersion) {
      return new Sources(modules, versions, defaultVersion, false, false, List.of(), List.of(), null, Map.of());
    }
  }

  /**
   * The compiled modules: {@code modules} as parsed (after the stages, before the compiler's
   * rewriting), {@code tree} the rules, {@code builtins} the registry calls were resolved against.
   */
  public record Compiled(List<Module> modules, RuleTree tree, BuiltinRegistry builtins) {}

  /**
   * Parses and compiles everything.
   *
   * @throws RegoException with every parse/compile error found, in source order
   */
  public static Compiled compile(Sources request) {
    List<Module> modules = new ArrayList<>();
    List<RegoError> errors = new ArrayList<>();
    for (Map.Entry<String, String> m : request.modules().entrySet()) {
      RegoVersion v = request.versions().getOrDefault(m.getKey(), request.defaultVersion());
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
    Compiled compiled;
    try {
      compiled = compileModules(modules, builtins, request.inputType());
      if (!request.schemas().isEmpty()) {
        List<RegoError> typed = SchemaAnnotations.check(compiled.modules(), compiled.tree(), request.schemas());
        if (!typed.isEmpty()) {
          throw new RegoException(typed);
        }
      }
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

  /**
   * Compiles parsed modules (no module checks, no stages): the rule tree with data-index plans.
   *
   * @throws RegoException with every compile error found
   */
  public static Compiled compileModules(List<Module> modules, BuiltinRegistry builtins, Type inputType) {
    Compiler compiler = new Compiler(builtins);
    compiler.inputType(inputType);
    compiler.compileModules(modules);
    DataIndexPlanner.plan(compiler.tree());
    return new Compiled(List.copyOf(modules), compiler.tree(), builtins);
  }
}
