package dev.gatehouse.engine.builtins.graphql.validate;

import dev.gatehouse.engine.builtins.graphql.GraphQLError;
import dev.gatehouse.engine.builtins.graphql.ast.ArgumentDefinition;
import dev.gatehouse.engine.builtins.graphql.ast.Definition;
import dev.gatehouse.engine.builtins.graphql.ast.DefinitionKind;
import dev.gatehouse.engine.builtins.graphql.ast.Directive;
import dev.gatehouse.engine.builtins.graphql.ast.DirectiveDefinition;
import dev.gatehouse.engine.builtins.graphql.ast.EnumValueDefinition;
import dev.gatehouse.engine.builtins.graphql.ast.FieldDefinition;
import dev.gatehouse.engine.builtins.graphql.ast.GoQuote;
import dev.gatehouse.engine.builtins.graphql.ast.OperationTypeDefinition;
import dev.gatehouse.engine.builtins.graphql.ast.Position;
import dev.gatehouse.engine.builtins.graphql.ast.SchemaDefinition;
import dev.gatehouse.engine.builtins.graphql.ast.SchemaDocument;
import dev.gatehouse.engine.builtins.graphql.ast.TypeRef;
import dev.gatehouse.engine.builtins.graphql.ast.ValueKind;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns a schema document (built-ins first, then the caller's) into a {@link Schema}, with
 * gqlparser's checks in gqlparser's order: the first problem found is the error reported.
 */
public final class SchemaBuilder {
  private static final Set<String> BUILTIN_DIRECTIVES = Set.of("include", "skip", "deprecated", "specifiedBy", "defer", "oneOf");

  private final Map<String, Definition> types = new HashMap<>();
  private final Map<String, DirectiveDefinition> directives = new HashMap<>();
  private final Map<String, List<Definition>> possibleTypes = new HashMap<>();
  private Definition query;
  private Definition mutation;
  private Definition subscription;

  private SchemaBuilder() {}

  public static Schema build(SchemaDocument sd) throws InvalidSchemaException {
    return new SchemaBuilder().run(sd);
  }

  private static InvalidSchemaException error(Position pos, String message) {
    return new InvalidSchemaException(GraphQLError.at(pos, message));
  }

  /** A type definition while extensions are merged into it. */
  private static final class Merging {
    final Definition base;
    final List<Directive> directives;
    final List<String> interfaces;
    final List<FieldDefinition> fields;
    final List<String> types;
    final List<Position> typePositions;
    final List<EnumValueDefinition> enumValues;

    Merging(Definition base) {
      this.base = base;
      directives = new ArrayList<>(base.directives());
      interfaces = new ArrayList<>(base.interfaces());
      fields = new ArrayList<>(base.fields());
      types = new ArrayList<>(base.types());
      typePositions = new ArrayList<>(base.typePositions());
      enumValues = new ArrayList<>(base.enumValues());
    }

    Definition result() {
      Definition b = base;
      return new Definition(b.kind(), b.description(), b.name(), directives, interfaces, fields, types, enumValues,
          b.position(), typePositions, b.builtIn(), b.beforeDescriptionComment(), b.afterDescriptionComment(),
          b.endOfDefinitionComment());
    }
  }

  private Schema run(SchemaDocument sd) throws InvalidSchemaException {
    Map<String, Merging> merging = new LinkedHashMap<>();
    List<Merging> order = new ArrayList<>();
    for (Definition def : sd.definitions()) {
      if (merging.containsKey(def.name())) {
        throw error(def.position(), "Cannot redeclare type " + def.name() + ".");
      }
      Merging m = new Merging(def);
      merging.put(def.name(), m);
      order.add(m);
    }
    for (Definition ext : sd.extensions()) {
      Merging m = merging.get(ext.name());
      if (m == null) {
        m = new Merging(new Definition(ext.kind(), "", ext.name(), List.of(), List.of(), List.of(), List.of(), List.of(),
            ext.position(), List.of(), false, null, null, null));
        merging.put(ext.name(), m);
        order.add(m);
      }
      if (!m.base.kind().equals(ext.kind())) {
        throw error(ext.position(), "Cannot extend type " + ext.name() + " because the base type is a "
            + m.base.kind() + ", not " + ext.kind() + ".");
      }
      m.directives.addAll(ext.directives());
      m.interfaces.addAll(ext.interfaces());
      m.fields.addAll(ext.fields());
      m.types.addAll(ext.types());
      m.typePositions.addAll(ext.typePositions());
      m.enumValues.addAll(ext.enumValues());
    }
    List<Definition> defs = new ArrayList<>();
    for (Merging m : order) {
      Definition d = m.result();
      defs.add(d);
      types.put(d.name(), d);
    }

    for (Definition def : defs) {
      switch (def.kind()) {
        case DefinitionKind.UNION -> {
          for (String t : def.types()) {
            addPossibleType(def.name(), types.get(t));
          }
        }
        case DefinitionKind.INPUT_OBJECT, DefinitionKind.OBJECT -> {
          for (String intf : def.interfaces()) {
            addPossibleType(intf, def);
          }
          addPossibleType(def.name(), def);
        }
        case DefinitionKind.INTERFACE -> {
          for (String intf : def.interfaces()) {
            addPossibleType(intf, def);
          }
        }
        default -> { }
      }
    }

    for (DirectiveDefinition dir : sd.directives()) {
      if (directives.containsKey(dir.name()) && !BUILTIN_DIRECTIVES.contains(dir.name())) {
        throw error(dir.position(), "Cannot redeclare directive " + dir.name() + ".");
      }
      // a later definition of a built-in directive replaces the earlier one
      directives.put(dir.name(), dir);
    }

    if (sd.schema().size() > 1) {
      throw error(sd.schema().get(1).position(),
          "Cannot have multiple schema entry points, consider schema extensions instead.");
    }
    if (sd.schema().size() == 1) {
      SchemaDefinition s = sd.schema().get(0);
      setRoots(s);
      validateDirectives(s.directives(), "SCHEMA", null, true);
    }
    for (SchemaDefinition ext : sd.schemaExtension()) {
      setRoots(ext);
      validateDirectives(ext.directives(), "SCHEMA", null, true);
    }

    for (Definition def : new TreeMap<>(types).values()) {
      validateDefinition(def);
    }
    validateInputObjectCycles();
    for (DirectiveDefinition dir : new TreeMap<>(directives).values()) {
      validateName(dir.position(), dir.name());
      validateArgs(dir.arguments(), dir);
    }

    if (sd.schema().isEmpty()) {
      if (query == null) {
        query = types.get("Query");
      }
      if (mutation == null) {
        mutation = types.get("Mutation");
      }
      if (subscription == null) {
        subscription = types.get("Subscription");
      }
    }
    if (query != null) {
      addIntrospectionFields(query);
    }
    return new Schema(query, mutation, subscription, types, directives, possibleTypes);
  }

  private void addPossibleType(String name, Definition def) {
    possibleTypes.computeIfAbsent(name, k -> new ArrayList<>()).add(def);
  }

  private void setRoots(SchemaDefinition s) throws InvalidSchemaException {
    for (OperationTypeDefinition entry : s.operationTypes()) {
      Definition def = types.get(entry.type());
      if (def == null) {
        throw error(entry.position(), "Schema root " + entry.operation() + " refers to a type " + entry.type()
            + " that does not exist.");
      }
      switch (entry.operation()) {
        case "query" -> query = def;
        case "mutation" -> mutation = def;
        case "subscription" -> subscription = def;
        default -> { }
      }
    }
  }

  /**
   * The query root gains {@code __schema} and {@code __type} after validation; every reference to
   * that type (it may also be another root or a possible type) sees the extended definition.
   */
  private void addIntrospectionFields(Definition root) {
    List<FieldDefinition> fields = new ArrayList<>(root.fields());
    fields.add(new FieldDefinition("", "__schema", List.of(), null, TypeRef.named("__Schema", true), List.of(), null, null, null));
    fields.add(new FieldDefinition("", "__type",
        List.of(new ArgumentDefinition("", "name", null, TypeRef.named("String", true), List.of(), null, null, null)),
        null, TypeRef.named("__Type", false), List.of(), null, null, null));
    Definition extended = new Definition(root.kind(), root.description(), root.name(), root.directives(),
        root.interfaces(), fields, root.types(), root.enumValues(), root.position(), root.typePositions(),
        root.builtIn(), root.beforeDescriptionComment(), root.afterDescriptionComment(), root.endOfDefinitionComment());
    Map<Definition, Definition> swap = new IdentityHashMap<>();
    swap.put(root, extended);
    types.replaceAll((k, v) -> swap.getOrDefault(v, v));
    for (List<Definition> list : possibleTypes.values()) {
      list.replaceAll(v -> v == null ? null : swap.getOrDefault(v, v));
    }
    query = swap.getOrDefault(query, query);
    mutation = mutation == null ? null : swap.getOrDefault(mutation, mutation);
    subscription = subscription == null ? null : swap.getOrDefault(subscription, subscription);
  }

  private void validateDefinition(Definition def) throws InvalidSchemaException {
    String fieldLocation = def.kind().equals(DefinitionKind.INPUT_OBJECT) ? "INPUT_FIELD_DEFINITION" : "FIELD_DEFINITION";
    for (FieldDefinition field : def.fields()) {
      validateName(field.position(), field.name());
      validateTypeRef(field.type());
      validateArgs(field.arguments(), null);
      validateDirectives(field.directives(), fieldLocation, null, true);
    }
    for (String t : def.types()) {
      Definition member = types.get(t);
      if (member == null) {
        throw error(def.position(), "Undefined type " + GoQuote.quote(t) + ".");
      }
      if (!member.kind().equals(DefinitionKind.OBJECT)) {
        throw error(def.position(), def.kind() + " type " + GoQuote.quote(t) + " must be OBJECT.");
      }
    }
    for (String intf : def.interfaces()) {
      validateImplements(def, intf);
    }
    switch (def.kind()) {
      case DefinitionKind.OBJECT, DefinitionKind.INTERFACE -> {
        if (def.fields().isEmpty()) {
          throw error(def.position(), def.kind() + " " + def.name() + ": must define one or more fields.");
        }
        for (FieldDefinition field : def.fields()) {
          Definition t = types.get(field.type().name());
          if (t != null && !isKind(t, DefinitionKind.SCALAR, DefinitionKind.OBJECT,
              DefinitionKind.INTERFACE, DefinitionKind.UNION, DefinitionKind.ENUM)) {
            throw error(field.position(), def.kind() + " " + def.name()
                + ": field must be one of SCALAR, OBJECT, INTERFACE, UNION, ENUM.");
          }
        }
      }
      case DefinitionKind.ENUM -> {
        if (def.enumValues().isEmpty()) {
          throw error(def.position(), def.kind() + " " + def.name() + ": must define one or more unique enum values.");
        }
        for (EnumValueDefinition value : def.enumValues()) {
          if (value.name().equals("true") || value.name().equals("false") || value.name().equals("null")) {
            throw error(def.position(), def.kind() + " " + def.name() + ": non-enum value " + value.name() + ".");
          }
          validateDirectives(value.directives(), "ENUM_VALUE", null, true);
        }
      }
      case DefinitionKind.INPUT_OBJECT -> {
        if (def.fields().isEmpty()) {
          throw error(def.position(), def.kind() + " " + def.name() + ": must define one or more input fields.");
        }
        for (FieldDefinition field : def.fields()) {
          Definition t = types.get(field.type().name());
          if (t != null && !isKind(t, DefinitionKind.SCALAR, DefinitionKind.ENUM, DefinitionKind.INPUT_OBJECT)) {
            throw error(field.position(), t.kind() + " " + field.name() + ": field must be one of SCALAR, ENUM, INPUT_OBJECT.");
          }
        }
      }
      default -> { }
    }

    int dupField = firstLaterDuplicate(def.fields().stream().map(FieldDefinition::name).toList());
    if (dupField >= 0) {
      FieldDefinition f = def.fields().get(dupField);
      throw error(f.position(), "Field " + def.name() + "." + f.name() + " can only be defined once.");
    }
    int dupValue = firstLaterDuplicate(def.enumValues().stream().map(EnumValueDefinition::name).toList());
    if (dupValue >= 0) {
      EnumValueDefinition v = def.enumValues().get(dupValue);
      throw error(v.position(), "Enum value " + def.name() + "." + v.name() + " can only be defined once.");
    }
    int dupMember = firstLaterDuplicate(def.types());
    if (dupMember >= 0) {
      Position pos = def.position();
      if (def.typePositions().size() == def.types().size() && def.typePositions().get(dupMember) != null) {
        pos = def.typePositions().get(dupMember);
      }
      throw error(pos, "Union type " + def.name() + " can only include type " + def.types().get(dupMember) + " once.");
    }
    if (!def.builtIn()) {
      validateName(def.position(), def.name());
    }
    // a type's directives are merged from its definition and extensions: distinct locations
    validateDirectives(def.directives(), def.kind(), null, false);
  }

  private static boolean isKind(Definition d, String... kinds) {
    for (String k : kinds) {
      if (d.kind().equals(k)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The index reported by a "for each i, for each later j with the same name" scan: the j of the
   * first i that has a later duplicate, i.e. the next occurrence of that name. Linear time.
   */
  static int firstLaterDuplicate(List<String> names) {
    int bestI = Integer.MAX_VALUE;
    int bestJ = -1;
    Map<String, Integer> lastSeen = new HashMap<>();
    for (int j = 0; j < names.size(); j++) {
      String n = names.get(j);
      Integer prev = lastSeen.put(n, j);
      if (prev != null && prev < bestI) {
        // prev is the occurrence right before j; the earliest i with a later duplicate
        // is found at the smallest such prev, and its partner is the occurrence after it
        bestI = prev;
        bestJ = j;
      }
    }
    return bestJ;
  }

  private void validateTypeRef(TypeRef t) throws InvalidSchemaException {
    if (types.get(t.name()) == null) {
      throw error(t.position(), "Undefined type " + t.name() + ".");
    }
  }

  private void validateArgs(List<ArgumentDefinition> args, DirectiveDefinition current) throws InvalidSchemaException {
    for (ArgumentDefinition arg : args) {
      validateName(arg.position(), arg.name());
      validateTypeRef(arg.type());
      Definition def = types.get(arg.type().name());
      if (!def.isInputType()) {
        throw error(arg.position(), "cannot use " + arg.type() + " as argument " + arg.name() + " because "
            + def.kind() + " is not a valid input type");
      }
      validateDirectives(arg.directives(), "ARGUMENT_DEFINITION", current, true);
    }
  }

  private void validateDirectives(List<Directive> dirs, String location, DirectiveDefinition current, boolean singleLocation)
      throws InvalidSchemaException {
    Set<String> seen = new HashSet<>();
    for (Directive dir : dirs) {
      validateName(dir.position(), dir.name());
      if (current != null && dir.name().equals(current.name())) {
        throw error(dir.position(), "Directive " + current.name() + " cannot refer to itself.");
      }
      DirectiveDefinition def = directives.get(dir.name());
      if (def == null) {
        throw error(dir.position(), "Undefined directive " + dir.name() + ".");
      }
      if (singleLocation) {
        if (seen.contains(dir.name()) && !def.isRepeatable()) {
          throw error(dir.position(), "The directive " + dir.name() + " can only be used once at this location.");
        }
        seen.add(dir.name());
      }
      if (!def.locations().contains(location)) {
        throw error(dir.position(), "Directive " + dir.name() + " is not applicable on " + location + ".");
      }
      for (var arg : dir.arguments()) {
        if (ArgumentDefinition.find(def.arguments(), arg.name()) == null) {
          throw error(arg.position(), "Undefined argument " + arg.name() + " for directive " + dir.name() + ".");
        }
      }
      for (ArgumentDefinition schemaArg : def.arguments()) {
        if (schemaArg.type().nonNull() && schemaArg.defaultValue() == null) {
          var arg = findArgument(dir, schemaArg.name());
          if (arg == null || arg.value().kindNumber() == ValueKind.NULL.ordinal()) {
            throw error(dir.position(), "Argument " + schemaArg.name() + " for directive " + dir.name() + " cannot be null.");
          }
        }
      }
    }
  }

  private static dev.gatehouse.engine.builtins.graphql.ast.Argument findArgument(Directive dir, String name) {
    for (var a : dir.arguments()) {
      if (a.name().equals(name)) {
        return a;
      }
    }
    return null;
  }

  private void validateImplements(Definition def, String intfName) throws InvalidSchemaException {
    Definition intf = types.get(intfName);
    if (intf == null) {
      throw error(def.position(), "Undefined type " + GoQuote.quote(intfName) + ".");
    }
    if (!intf.kind().equals(DefinitionKind.INTERFACE)) {
      throw error(def.position(), GoQuote.quote(intfName) + " is a non interface type " + intf.kind() + ".");
    }
    String prefix = "For " + def.name() + " to implement " + intf.name();
    for (FieldDefinition required : intf.fields()) {
      FieldDefinition found = def.field(required.name());
      if (found == null) {
        throw error(def.position(), prefix + " it must have a field called " + required.name() + ".");
      }
      if (!isCovariant(required.type(), found.type())) {
        throw error(found.position(), prefix + " the field " + required.name() + " must have type " + required.type() + ".");
      }
      for (ArgumentDefinition requiredArg : required.arguments()) {
        ArgumentDefinition foundArg = found.argument(requiredArg.name());
        if (foundArg == null) {
          throw error(found.position(), prefix + " the field " + required.name()
              + " must have the same arguments but it is missing " + requiredArg.name() + ".");
        }
        if (!requiredArg.type().isCompatible(foundArg.type())) {
          throw error(foundArg.position(), prefix + " the field " + required.name()
              + " must have the same arguments but " + requiredArg.name() + " has the wrong type.");
        }
      }
      for (ArgumentDefinition foundArg : found.arguments()) {
        if (required.argument(foundArg.name()) == null && foundArg.type().nonNull() && foundArg.defaultValue() == null) {
          throw error(foundArg.position(), prefix + " any additional arguments on " + found.name()
              + " must be optional or have a default value but " + foundArg.name() + " is required.");
        }
      }
    }
    for (String transitive : intf.interfaces()) {
      if (!def.interfaces().contains(transitive)) {
        if (transitive.equals(def.name())) {
          throw error(def.position(), "Type " + def.name() + " cannot implement " + intfName
              + " because it would create a circular reference.");
        }
        throw error(def.position(), "Type " + def.name() + " must implement " + transitive
            + " because it is implemented by " + intfName + ".");
      }
    }
  }

  private boolean isCovariant(TypeRef required, TypeRef actual) {
    while (true) {
      if (required.nonNull() && !actual.nonNull()) {
        return false;
      }
      if (!required.namedType().isEmpty()) {
        if (required.namedType().equals(actual.namedType())) {
          return true;
        }
        for (Definition pt : possibleTypes.getOrDefault(required.namedType(), List.of())) {
          if (pt != null && pt.name().equals(actual.namedType())) {
            return true;
          }
        }
        return false;
      }
      if (actual.elem() == null) {
        return false;
      }
      required = required.elem();
      actual = actual.elem();
    }
  }

  private static void validateName(Position pos, String name) throws InvalidSchemaException {
    if (name.startsWith("__")) {
      throw error(pos, "Name \"" + name + "\" must not begin with \"__\", which is reserved by GraphQL introspection.");
    }
  }

  /**
   * Rejects input objects that reach themselves through non-null, non-list fields. Depth-first
   * like gqlparser, but with an explicit stack so long chains cannot overflow ours.
   */
  private void validateInputObjectCycles() throws InvalidSchemaException {
    Set<String> visited = new HashSet<>();
    List<FieldDefinition> fieldPath = new ArrayList<>();
    Map<String, Integer> pathIndex = new HashMap<>();
    record Frame(Definition def, int[] next) {}
    for (Definition start : new TreeMap<>(types).values()) {
      if (!start.kind().equals(DefinitionKind.INPUT_OBJECT) || visited.contains(start.name())) {
        continue;
      }
      Deque<Frame> stack = new ArrayDeque<>();
      visited.add(start.name());
      pathIndex.put(start.name(), fieldPath.size());
      stack.push(new Frame(start, new int[] {0}));
      while (!stack.isEmpty()) {
        Frame top = stack.peek();
        List<FieldDefinition> fields = top.def().fields();
        if (top.next()[0] >= fields.size()) {
          pathIndex.remove(top.def().name());
          stack.pop();
          if (!stack.isEmpty()) {
            fieldPath.remove(fieldPath.size() - 1);
          }
          continue;
        }
        FieldDefinition field = fields.get(top.next()[0]++);
        if (!field.type().nonNull() || field.type().namedType().isEmpty()) {
          continue;
        }
        Definition fieldType = types.get(field.type().namedType());
        if (fieldType == null || !fieldType.kind().equals(DefinitionKind.INPUT_OBJECT)) {
          continue;
        }
        fieldPath.add(field);
        Integer cycleAt = pathIndex.get(fieldType.name());
        if (cycleAt != null) {
          List<String> names = new ArrayList<>();
          for (FieldDefinition f : fieldPath.subList(cycleAt, fieldPath.size())) {
            names.add(f.name());
          }
          throw error(fieldPath.get(cycleAt).position(), "Cannot reference Input Object " + GoQuote.quote(fieldType.name())
              + " within itself through a series of non-null fields: " + GoQuote.quote(String.join(".", names)) + ".");
        }
        if (visited.contains(fieldType.name())) {
          fieldPath.remove(fieldPath.size() - 1);
          continue;
        }
        visited.add(fieldType.name());
        pathIndex.put(fieldType.name(), fieldPath.size());
        stack.push(new Frame(fieldType, new int[] {0}));
      }
    }
  }
}
