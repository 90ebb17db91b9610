package dev.gatehouse.engine;

import dev.gatehouse.engine.ast.RegoVersion;
import dev.gatehouse.engine.builtins.Builtin;
import dev.gatehouse.engine.bundle.Bundle;
import dev.gatehouse.engine.bundle.Bundles;
import dev.gatehouse.engine.compile.PolicyCompiler;
import dev.gatehouse.engine.eval.CompiledPolicy;
import dev.gatehouse.engine.load.Loaded;
import dev.gatehouse.engine.types.SchemaTypes;
import dev.gatehouse.engine.value.Json;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The entry point: collect modules and data, compile once into a {@link Policy}. This is where
 * the stages meet: sources are parsed and compiled by {@code compile.PolicyCompiler}, and the
 * compiled rules become an {@code eval.CompiledPolicy} over the base data; none of the stages
 * imports this class.
 *
 * <pre>{@code
 * Policy policy = Rego.builder()
 *     .module("authz.rego", source)
 *     .data(Json.parse(dataJson))
 *     .compile();
 * PreparedQuery q = policy.prepare("data.authz.allow");
 * boolean allowed = q.evalValue(Json.parse(inputJson)).map(BooleanValue.TRUE::equals).orElse(false);
 * }</pre>
 */
public final class Rego {
  private Rego() {}

  public static Builder builder() {
    return new Builder();
  }

  /** Mutable collector of compile inputs; {@link #compile()} may be called once per set of inputs. */
  public static final class Builder {
    final Map<String, String> modules = new LinkedHashMap<>();
    final Map<String, RegoVersion> moduleVersions = new LinkedHashMap<>();
    Value data = ObjectValue.EMPTY;
    RegoVersion regoVersion = RegoVersion.V1;
    boolean strict;
    boolean indexing = !"false".equals(System.getProperty("gatehouse.engine.indexing"));
    Value inputSchema;
    Map<String, Value> schemas = Map.of();
    boolean v0v1;
    final List<Builtin> builtins = new ArrayList<>();
    final List<Bundle> bundles = new ArrayList<>();
    final List<java.util.function.UnaryOperator<List<dev.gatehouse.engine.ast.Module>>> stages = new ArrayList<>();

    /** Adds a module; file is its name in error messages. */
    public Builder module(String file, String source) {
      modules.put(file, source);
      return this;
    }

    /** Adds a module written in a specific Rego version (e.g. v0 files of a bundle). */
    public Builder module(String file, String source, RegoVersion version) {
      modules.put(file, source);
      moduleVersions.put(file, version);
      return this;
    }

    /**
     * Adds a bundle's modules (each with the Rego version its manifest gives) and merges its data
     * into the base document. Bundles added to one builder must not claim overlapping roots.
     *
     * @throws dev.gatehouse.engine.bundle.BundleException on overlapping roots or clashing data
     */
    public Builder bundle(Bundle b) {
      return bundles(List.of(b));
    }

    /**
     * Activates several bundles together, as OPA does when given more than one: their roots must
     * not overlap (each other's or those of bundles added before), their data documents are merged
     * onto the builder's data, and every module is added with the Rego version its manifest gives.
     * On an error nothing is added.
     *
     * @throws dev.gatehouse.engine.bundle.BundleException on overlapping roots or clashing data
     */
    public Builder bundles(List<Bundle> more) {
      List<Bundle> all = new ArrayList<>(bundles);
      all.addAll(more);
      Bundles.checkRoots(all);
      data = Bundles.mergeData(data instanceof ObjectValue o ? o : ObjectValue.EMPTY, more);
      for (Bundle b : more) {
        for (Bundle.ModuleFile m : b.modules()) {
          module(m.name(), m.source(), m.regoVersion());
        }
      }
      bundles.addAll(more);
      return this;
    }

    /** Adds loaded files ({@code -d} paths): their modules, and their data as the base document. */
    public Builder loaded(Loaded loaded) {
      loaded.modules().forEach(this::module);
      return data(loaded.data());
    }

    /** The base data document (an object). */
    public Builder data(Value data) {
      this.data = data;
      return this;
    }

    public Builder dataJson(String json) {
      return data(Json.parse(json));
    }

    /** The default language version for modules (v1 unless set). */
    public Builder regoVersion(RegoVersion v) {
      regoVersion = v;
      return this;
    }

    /**
     * A JSON Schema for the input document ({@code opa check -s FILE}): the type checker then
     * knows input's type and reports references it cannot have and comparisons that cannot hold.
     */
    public Builder inputSchema(Value schema) {
      inputSchema = schema;
      return this;
    }

    public Value inputSchema() { return inputSchema; }

    /**
     * JSON Schemas by reference ({@code schema.input}, {@code schema.k8s.pod}: {@code opa check -s DIR}
     * names them by their path in the directory) for METADATA {@code schemas} annotations: a rule
     * whose annotations name one for input is type-checked with input of that type.
     */
    public Builder schemas(Map<String, Value> byReference) {
      schemas = new LinkedHashMap<>(byReference);
      return this;
    }

    /**
     * opa's {@code --v0-v1}: every module must be valid Rego v0 and v1 alike (parsed as v0, with
     * v1's {@code if} and {@code contains} required).
     */
    public Builder v0v1(boolean b) {
      v0v1 = b;
      return this;
    }

    public boolean v0v1() { return v0v1; }

    /** OPA's {@code --strict} compile checks beyond the v1 defaults. */
    public Builder strict(boolean s) {
      strict = s;
      return this;
    }

    /**
     * Whether iterations over base data filtered by equalities run as hash-index lookups (on by
     * default; the system property {@code gatehouse.engine.indexing=false} turns the default off).
     * Results, errors and the order of solutions are the same either way; off is for comparisons.
     */
    public Builder indexing(boolean on) {
      indexing = on;
      return this;
    }

    /** Adds (or overrides) a builtin for this policy only. */
    public Builder builtin(Builtin b) {
      builtins.add(b);
      return this;
    }

    /**
     * Adds a stage that rewrites the parsed modules before they are compiled, as OPA's
     * {@code Compiler.WithStageAfter} does (the test runner numbers duplicate tests with one).
     * Stages run in the order added, on the parsed modules.
     */
    public Builder stage(java.util.function.UnaryOperator<List<dev.gatehouse.engine.ast.Module>> stage) {
      stages.add(stage);
      return this;
    }

    public Map<String, String> modules() { return modules; }

    public List<java.util.function.UnaryOperator<List<dev.gatehouse.engine.ast.Module>>> stages() { return stages; }

    public Map<String, RegoVersion> moduleVersions() { return moduleVersions; }

    public Value data() { return data; }

    public RegoVersion regoVersion() { return regoVersion; }

    public boolean strict() { return strict; }

    public boolean indexing() { return indexing; }

    public List<Builtin> builtins() { return builtins; }

    /**
     * Parses and compiles everything.
     *
     * @throws RegoException with every parse/compile error found
     */
    public Policy compile() {
      PolicyCompiler.Compiled compiled = PolicyCompiler.compile(new PolicyCompiler.Sources(modules, moduleVersions,
          regoVersion, v0v1, strict, List.copyOf(stages), List.copyOf(builtins),
          inputSchema == null ? null : SchemaTypes.of(inputSchema), Map.copyOf(schemas)));
      return CompiledPolicy.of(compiled, data, regoVersion, indexing);
    }
  }
}
