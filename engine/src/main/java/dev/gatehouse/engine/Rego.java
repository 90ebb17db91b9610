package dev.gatehouse.engine;

import dev.gatehouse.engine.ast.RegoVersion;
import dev.gatehouse.engine.builtins.Builtin;
import dev.gatehouse.engine.value.Json;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The entry point: collect modules and data, compile once into a {@link Policy}.
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
    boolean v0v1;
    final List<Builtin> builtins = new ArrayList<>();
    final List<dev.gatehouse.engine.bundle.Bundle> bundles = new ArrayList<>();
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
    public Builder bundle(dev.gatehouse.engine.bundle.Bundle b) {
      List<dev.gatehouse.engine.bundle.Bundle> all = new ArrayList<>(bundles);
      all.add(b);
      dev.gatehouse.engine.bundle.Bundles.checkRoots(all);
      dev.gatehouse.engine.bundle.Bundles.activate(this, List.of(b));
      bundles.add(b);
      return this;
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
      return dev.gatehouse.engine.compile.PolicyCompiler.compile(this);
    }
  }
}
