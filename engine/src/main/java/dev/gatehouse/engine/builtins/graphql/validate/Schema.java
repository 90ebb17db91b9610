package dev.gatehouse.engine.builtins.graphql.validate;

import dev.gatehouse.engine.builtins.graphql.ast.Definition;
import dev.gatehouse.engine.builtins.graphql.ast.DirectiveDefinition;
import dev.gatehouse.engine.builtins.graphql.ast.FieldDefinition;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A validated schema: the built-in and declared types with extensions merged in, the root
 * operation types, directives, and which object types can stand in for each abstract type.
 * Immutable once built, so one instance can serve many queries at once.
 */
public final class Schema {
  private final Definition query;
  private final Definition mutation;
  private final Definition subscription;
  private final Map<String, Definition> types;
  private final Map<String, DirectiveDefinition> directives;
  private final Map<String, List<Definition>> possibleTypes;
  /** Per type, its fields by name (first declaration wins, as gqlparser's lookups do). */
  private final Map<Definition, Map<String, FieldDefinition>> fieldIndex = new IdentityHashMap<>();

  Schema(Definition query, Definition mutation, Definition subscription, Map<String, Definition> types,
      Map<String, DirectiveDefinition> directives, Map<String, List<Definition>> possibleTypes) {
    this.query = query;
    this.mutation = mutation;
    this.subscription = subscription;
    this.types = Collections.unmodifiableMap(new TreeMap<>(types));
    this.directives = Collections.unmodifiableMap(new HashMap<>(directives));
    Map<String, List<Definition>> possible = new HashMap<>();
    possibleTypes.forEach((k, v) -> possible.put(k, Collections.unmodifiableList(new java.util.ArrayList<>(v))));
    this.possibleTypes = Collections.unmodifiableMap(possible);
    for (Definition d : this.types.values()) {
      Map<String, FieldDefinition> byName = new HashMap<>();
      for (FieldDefinition f : d.fields()) {
        byName.putIfAbsent(f.name(), f);
      }
      fieldIndex.put(d, byName);
    }
  }

  public Definition query() { return query; }

  public Definition mutation() { return mutation; }

  public Definition subscription() { return subscription; }

  /** The type with this name, or null. */
  public Definition type(String name) {
    return types.get(name);
  }

  /** Every type, in name order. */
  public Iterable<Definition> types() {
    return types.values();
  }

  public DirectiveDefinition directive(String name) {
    return directives.get(name);
  }

  /** The object types (and, for interfaces, sub-interfaces) a value of this abstract type may have. */
  public List<Definition> possibleTypes(Definition def) {
    return possibleTypes.getOrDefault(def.name(), List.of());
  }

  /** {@code def.field(name)}, indexed for the schema's own types. */
  public FieldDefinition field(Definition def, String name) {
    Map<String, FieldDefinition> byName = fieldIndex.get(def);
    return byName != null ? byName.get(name) : def.field(name);
  }
}
