package dev.gatehouse.sidecar.opa;

import dev.gatehouse.engine.Policy;
import dev.gatehouse.engine.RegoError;
import dev.gatehouse.engine.RegoException;
import dev.gatehouse.engine.ast.Module;
import dev.gatehouse.engine.ast.RegoVersion;
import dev.gatehouse.engine.builtins.BuiltinRegistry;
import dev.gatehouse.engine.compile.ModuleChecks;
import dev.gatehouse.engine.eval.CompiledPolicy;
import dev.gatehouse.engine.parse.RegoParser;
import dev.gatehouse.engine.value.ArrayValue;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What clients added through the API on top of the bundles: policies ({@code PUT /v1/policies})
 * and documents ({@code PUT/PATCH /v1/data} outside bundle roots). The effective policy is the
 * active bundle policy's modules and data plus these, compiled together as OPA's store would;
 * it is cached per (bundle policy, change) so queries pay nothing when nothing changed.
 *
 * <p>Compilation reuses the bundle policy's parsed modules, so custom builtins registered on the
 * bundle's builder are not available to the composed policy (the defaults are).
 */
final class RuntimeState {
  record RuntimeModule(String id, String raw, Module module) {}

  private final Map<String, RuntimeModule> modules = new LinkedHashMap<>();
  private ObjectValue data = ObjectValue.EMPTY;
  private long version;

  private Policy cachedBase;
  private long cachedVersion = -1;
  private Policy cachedEffective;
  /** Lock-free fast path for the common case: nothing was ever added. */
  private volatile boolean empty = true;

  synchronized boolean isEmpty() {
    return modules.isEmpty() && data.isEmpty();
  }

  synchronized List<RuntimeModule> modules() {
    return List.copyOf(modules.values());
  }

  synchronized RuntimeModule module(String id) {
    return modules.get(id);
  }

  synchronized ObjectValue data() {
    return data;
  }

  /** The policy queries run against: the base itself when nothing was added. */
  Policy effective(Policy base) {
    if (empty) {
      return base;
    }
    return composed(base);
  }

  private synchronized Policy composed(Policy base) {
    if (modules.isEmpty() && data.isEmpty()) {
      return base;
    }
    if (base == cachedBase && version == cachedVersion) {
      return cachedEffective;
    }
    Policy p;
    try {
      p = compose(base, modules, data);
    } catch (RegoException e) {
      // A new bundle no longer compiles with the runtime modules: serve the bundle alone
      // rather than nothing (the next PUT/DELETE reports the errors).
      p = base;
    }
    cachedBase = base;
    cachedVersion = version;
    cachedEffective = p;
    return p;
  }

  /** Parses a module as OPA's PUT does (v1 syntax; errors name the policy id as file). */
  static Module parse(String id, String raw) {
    Module m = RegoParser.parseModule(id, raw, RegoVersion.V1);
    List<RegoError> errs = ModuleChecks.check(m, false);
    if (!errs.isEmpty()) {
      throw new RegoException(errs);
    }
    return m;
  }

  /** Compiles base + candidate modules; throws with the compile errors or commits them. */
  synchronized void putModule(Policy base, RuntimeModule m) {
    Map<String, RuntimeModule> next = new LinkedHashMap<>(modules);
    next.put(m.id(), m);
    Policy p = compose(base, next, data);
    modules.clear();
    modules.putAll(next);
    commit(base, p);
  }

  synchronized boolean deleteModule(Policy base, String id) {
    if (!modules.containsKey(id)) {
      return false;
    }
    Map<String, RuntimeModule> next = new LinkedHashMap<>(modules);
    next.remove(id);
    Policy p = compose(base, next, data);
    modules.clear();
    modules.putAll(next);
    commit(base, p);
    return true;
  }

  synchronized void setData(Policy base, ObjectValue newData) {
    Policy p = compose(base, modules, newData);
    data = newData;
    commit(base, p);
  }

  private void commit(Policy base, Policy p) {
    empty = modules.isEmpty() && data.isEmpty();
    version++;
    cachedBase = base;
    cachedVersion = version;
    cachedEffective = p;
  }

  private static Policy compose(Policy base, Map<String, RuntimeModule> mods, ObjectValue extra) {
    if (mods.isEmpty() && extra.isEmpty()) {
      return base;
    }
    List<Module> all = new ArrayList<>(base.modules());
    for (RuntimeModule m : mods.values()) {
      all.add(m.module());
    }
    Value baseData = base.data();
    Value merged = baseData instanceof ObjectValue o ? merge(o, extra) : extra;
    return CompiledPolicy.compile(all, merged, BuiltinRegistry.defaults(), RegoVersion.V1);
  }

  /** Deep merge: objects merge key by key, anything else in {@code b} replaces {@code a}'s. */
  static ObjectValue merge(ObjectValue a, ObjectValue b) {
    if (b.isEmpty()) {
      return a;
    }
    ObjectValue out = a;
    for (Value k : b.keys()) {
      Value av = a.get(k);
      Value bv = b.get(k);
      out = out.with(k, av instanceof ObjectValue ao && bv instanceof ObjectValue bo ? merge(ao, bo) : bv);
    }
    return out;
  }

  // ---- document edits on the overlay (immutable values, rebuilt along the path) ----

  /** The value at path, or null. */
  static Value get(Value doc, List<String> path) {
    Value cur = doc;
    for (String seg : path) {
      if (cur instanceof ObjectValue o) {
        cur = o.get(StringValue.of(seg));
      } else if (cur instanceof ArrayValue a) {
        int i = index(seg, a.size());
        cur = i < 0 ? null : a.get(i);
      } else {
        return null;
      }
      if (cur == null) {
        return null;
      }
    }
    return cur;
  }

  static int index(String seg, int size) {
    try {
      int i = Integer.parseInt(seg);
      return i >= 0 && i < size ? i : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Thrown when a path's parent (or, for remove/replace, the target) does not exist. */
  static final class NotFound extends RuntimeException {
    NotFound() {
      super("storage_not_found_error: document does not exist", null, false, false);
    }
  }

  enum Op { ADD, REMOVE, REPLACE }

  /**
   * Applies an add/remove/replace at path (non-empty) of doc; {@code mkdirs} creates missing
   * parent objects as OPA's PUT does.
   */
  static Value edit(Value doc, List<String> path, Op op, Value value, boolean mkdirs) {
    String seg = path.get(0);
    if (path.size() == 1) {
      if (doc instanceof ObjectValue o) {
        StringValue k = StringValue.of(seg);
        boolean exists = o.containsKey(k);
        return switch (op) {
          case ADD -> o.with(k, value);
          case REPLACE -> {
            if (!exists) {
              throw new NotFound();
            }
            yield o.with(k, value);
          }
          case REMOVE -> {
            if (!exists) {
              throw new NotFound();
            }
            yield o.without(k);
          }
        };
      }
      if (doc instanceof ArrayValue a) {
        List<Value> els = new ArrayList<>(a.elements());
        if (op == Op.ADD && seg.equals("-")) {
          els.add(value);
          return ArrayValue.of(els);
        }
        int i;
        try {
          i = Integer.parseInt(seg);
        } catch (NumberFormatException e) {
          throw new NotFound();
        }
        if (i < 0 || i > els.size() || (op != Op.ADD && i == els.size())) {
          throw new NotFound();
        }
        switch (op) {
          case ADD -> els.add(i, value);
          case REPLACE -> els.set(i, value);
          case REMOVE -> els.remove(i);
        }
        return ArrayValue.of(els);
      }
      throw new NotFound();
    }
    List<String> rest = path.subList(1, path.size());
    if (doc instanceof ObjectValue o) {
      StringValue k = StringValue.of(seg);
      Value child = o.get(k);
      if (child == null) {
        if (!mkdirs) {
          throw new NotFound();
        }
        child = ObjectValue.EMPTY;
      }
      return o.with(k, edit(child, rest, op, value, mkdirs));
    }
    if (doc instanceof ArrayValue a) {
      int i = index(seg, a.size());
      if (i < 0) {
        throw new NotFound();
      }
      List<Value> els = new ArrayList<>(a.elements());
      els.set(i, edit(els.get(i), rest, op, value, mkdirs));
      return ArrayValue.of(els);
    }
    throw new NotFound();
  }
}
