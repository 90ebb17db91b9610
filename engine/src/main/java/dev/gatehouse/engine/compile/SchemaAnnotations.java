package dev.gatehouse.engine.compile;

import dev.gatehouse.engine.RegoError;
import dev.gatehouse.engine.ast.Module;
import dev.gatehouse.engine.ast.Rule;
import dev.gatehouse.engine.types.SchemaTypes;
import dev.gatehouse.engine.types.Type;
import dev.gatehouse.engine.value.ArrayValue;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code opa check -s DIR}: a rule whose METADATA chain (its own annotations, its document's, its
 * package's, enclosing subpackages') names a schema for input, nearest first
 * ({@code schemas: [{input: schema.k8s.pod}]}, or an inline definition), is type-checked with
 * input of that schema's type. Schemas come from the directory by path ({@code k8s/pod.json} is
 * {@code schema.k8s.pod}); an annotation naming one that is not there is
 * {@code undefined schema: schema.x} at the rule. Rules without such an annotation keep input
 * untyped, as opa does. Runs after the rules compiled without errors.
 */
final class SchemaAnnotations {
  private SchemaAnnotations() {}

  static List<RegoError> check(List<Module> modules, RuleTree tree, Map<String, Value> schemas) {
    MetadataIndex metadata = new MetadataIndex(modules);
    Map<String, Rule> byPlace = new HashMap<>();
    Map<String, List<String>> packages = new HashMap<>();
    for (Module m : modules) {
      List<String> pkg = Compiler.stringPath(m.pkg().path(), 1);
      for (Rule r : m.rules()) {
        byPlace.put(m.file() + ":" + r.location().offset(), r);
        packages.put(m.file() + ":" + r.location().offset(), pkg);
      }
    }
    Map<Value, Type> types = new HashMap<>();
    List<RegoError> errors = new ArrayList<>();
    walk(tree.root, r -> {
      String key = r.module() + ":" + r.location().offset();
      Rule ast = byPlace.get(key);
      if (ast == null) {
        return;
      }
      Value schema = inputSchema(metadata.chain(packages.get(key), ast));
      if (schema == null) {
        return;
      }
      if (schema instanceof ArrayValue ref) {
        String name = ref.elements().stream().map(v -> v instanceof StringValue s ? s.value() : v.toString())
            .collect(Collectors.joining("."));
        Value found = schemas.get(name);
        if (found == null) {
          errors.add(new RegoError("rego_type_error", "undefined schema: " + name, r.location()));
          return;
        }
        schema = found;
      }
      Type t = types.computeIfAbsent(schema, SchemaTypes::of);
      errors.addAll(TypeCheck.checkRule(tree, r, t));
    });
    return errors;
  }

  /** The nearest input schema of a chain: a schema reference (its path) or an inline definition. */
  private static Value inputSchema(Value chain) {
    for (Value link : ((ArrayValue) chain).elements()) {
      if (link instanceof ObjectValue l && l.get(StringValue.of("annotations")) instanceof ObjectValue doc
          && doc.get(StringValue.of("schemas")) instanceof ArrayValue entries) {
        for (Value e : entries.elements()) {
          if (e instanceof ObjectValue o && ArrayValue.of(List.of(StringValue.of("input"))).equals(o.get(StringValue.of("path")))) {
            Value ref = o.get(StringValue.of("schema"));
            return ref != null ? ref : o.get(StringValue.of("definition"));
          }
        }
      }
    }
    return null;
  }

  private static void walk(RuleTree.Node n, java.util.function.Consumer<Ir.Rule> each) {
    for (Ir.Rule r : n.rules) {
      each.accept(r);
    }
    if (n.defaultRule != null) {
      each.accept(n.defaultRule);
    }
    for (RuleTree.Node c : n.children.values()) {
      walk(c, each);
    }
  }
}
