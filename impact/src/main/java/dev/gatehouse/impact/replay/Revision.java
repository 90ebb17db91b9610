package dev.gatehouse.impact.replay;

import dev.gatehouse.engine.Policy;
import dev.gatehouse.engine.Rego;
import dev.gatehouse.engine.RegoError;
import dev.gatehouse.engine.RegoException;
import dev.gatehouse.engine.ast.RegoVersion;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import dev.gatehouse.impact.git.PolicyFiles;
import dev.gatehouse.impact.git.PolicySnapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One side of the comparison: the policies of a snapshot compiled with their data (plus runtime
 * data given with {@code --data}). Entries that carry their own runtime data (golden decisions)
 * get a policy compiled with that data merged in, cached per distinct document.
 */
public final class Revision {
  private static final int MAX_OVERLAYS = 8;

  private final PolicySnapshot snapshot;
  private final PolicyFiles files;
  private final ObjectValue runtimeData;
  private final Compiled main;
  private final Map<Value, Compiled> overlays = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Value, Compiled> eldest) {
      return size() > MAX_OVERLAYS;
    }
  };

  /** A compiled policy (or why it did not compile) and its prepared queries by path. */
  static final class Compiled {
    final Policy policy;
    final List<RegoError> errors;
    final Map<String, Object> queries = new ConcurrentHashMap<>();

    Compiled(Policy policy, List<RegoError> errors) {
      this.policy = policy;
      this.errors = errors;
    }

    /** A prepared query, or the RegoException preparing it raised (an unusable path). */
    Object query(String path) {
      return queries.computeIfAbsent(path, p -> {
        try {
          return policy.prepare(p);
        } catch (RegoException e) {
          return e;
        }
      });
    }
  }

  public Revision(PolicySnapshot snapshot, ObjectValue runtimeData) {
    this.snapshot = snapshot;
    this.files = PolicyFiles.of(snapshot);
    this.runtimeData = runtimeData == null ? ObjectValue.EMPTY : runtimeData;
    this.main = compile(ObjectValue.EMPTY);
  }

  public PolicySnapshot snapshot() {
    return snapshot;
  }

  public PolicyFiles files() {
    return files;
  }

  /** Null when the revision does not load or compile. */
  public Policy policy() {
    return main.policy;
  }

  /** Load and compile errors; empty when the revision compiled. */
  public List<RegoError> errors() {
    return main.errors;
  }

  public boolean compiled() {
    return main.policy != null;
  }

  Compiled compiled(Value overlay) {
    if (overlay == null || overlay instanceof ObjectValue o && o.isEmpty()) {
      return main;
    }
    synchronized (overlays) {
      return overlays.computeIfAbsent(overlay, this::compile);
    }
  }

  /** The prepared query for a path, or the RegoException preparing it raised. */
  Object query(Value overlay, String path) {
    Compiled c = compiled(overlay);
    return c.policy == null ? new RegoException(c.errors) : c.query(path);
  }

  private Compiled compile(Value overlay) {
    if (!files.errors().isEmpty()) {
      return new Compiled(null, files.errors());
    }
    List<RegoError> errors = new ArrayList<>();
    Value data = merge(files.data(), runtimeData, "data", errors);
    data = merge(data, overlay, "data", errors);
    if (!errors.isEmpty()) {
      return new Compiled(null, errors);
    }
    Rego.Builder b = Rego.builder().regoVersion(RegoVersion.V1).data(data);
    files.modules().forEach(b::module);
    try {
      return new Compiled(b.compile(), List.of());
    } catch (RegoException e) {
      return new Compiled(null, e.errors());
    }
  }

  /**
   * Runtime data merges into the policies' own data as {@code eval -d} merges several files:
   * objects key by key, any other overlap is an error (a golden file cannot replace a setting).
   */
  static Value merge(Value base, Value extra, String where, List<RegoError> errors) {
    if (extra == null) {
      return base;
    }
    if (!(base instanceof ObjectValue b) || !(extra instanceof ObjectValue e)) {
      errors.add(new RegoError("load_error", "runtime data: merge error: conflicting value at " + where, null));
      return base;
    }
    ObjectValue out = b;
    for (Value k : e.keys()) {
      Value existing = out.get(k);
      String at = where + "." + (k instanceof StringValue s ? s.value() : k.toString());
      out = out.with(k, existing == null ? e.get(k) : merge(existing, e.get(k), at, errors));
    }
    return out;
  }
}
