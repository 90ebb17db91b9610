package dev.gatehouse.engine.builtins;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;

/** An immutable name → builtin table. */
public final class BuiltinRegistry {
  private static volatile BuiltinRegistry defaults;

  private final Map<String, Builtin> byName;

  private BuiltinRegistry(Map<String, Builtin> byName) {
    this.byName = Collections.unmodifiableMap(byName);
  }

  /** Every builtin found through {@link ServiceLoader} (the engine's own categories included). */
  public static BuiltinRegistry defaults() {
    BuiltinRegistry r = defaults;
    if (r == null) {
      Map<String, Builtin> m = new LinkedHashMap<>();
      for (BuiltinProvider p : ServiceLoader.load(BuiltinProvider.class, BuiltinRegistry.class.getClassLoader())) {
        for (Builtin b : p.builtins()) {
          m.put(b.name(), b);
        }
      }
      r = new BuiltinRegistry(m);
      defaults = r;
    }
    return r;
  }

  public static BuiltinRegistry of(Collection<Builtin> builtins) {
    Map<String, Builtin> m = new LinkedHashMap<>();
    for (Builtin b : builtins) {
      m.put(b.name(), b);
    }
    return new BuiltinRegistry(m);
  }

  /** A registry with these builtins added (replacing same-named ones). */
  public BuiltinRegistry with(Collection<Builtin> extra) {
    Map<String, Builtin> m = new LinkedHashMap<>(byName);
    for (Builtin b : extra) {
      m.put(b.name(), b);
    }
    return new BuiltinRegistry(m);
  }

  /** The builtin with this dotted name, or null. */
  public Builtin get(String name) {
    return byName.get(name);
  }

  public Collection<Builtin> all() {
    return byName.values();
  }
}
