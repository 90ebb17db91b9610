package dev.gatehouse.engine.types;

import dev.gatehouse.engine.value.ArrayValue;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.util.ArrayList;
import java.util.List;

/**
 * A JSON Schema as the type checker's type, as {@code opa check -s} reads one: an object with
 * {@code properties} is closed (its other keys are undefined refs; opa ignores
 * {@code additionalProperties} there); an object without properties, and anything the
 * schema leaves open, is of any type; {@code items} gives an array's elements (a list of schemas:
 * its fixed positions); {@code anyOf}/{@code oneOf} and lists of types are unions; local
 * {@code $ref}s ({@code #/definitions/x}, {@code #/$defs/x}) are followed once per path.
 */
public final class SchemaTypes {
  private SchemaTypes() {}

  public static Type of(Value schema) {
    return of(schema, schema, 0);
  }

  private static Type of(Value s, Value root, int depth) {
    if (!(s instanceof ObjectValue o) || depth > 64) {
      return Types.ANY;
    }
    Value ref = o.get(StringValue.of("$ref"));
    if (ref instanceof StringValue r && r.value().startsWith("#/")) {
      Value target = root;
      for (String part : r.value().substring(2).split("/")) {
        target = target instanceof ObjectValue t ? t.get(StringValue.of(part.replace("~1", "/").replace("~0", "~")))
            : null;
      }
      return target == null ? Types.ANY : of(target, root, depth + 1);
    }
    for (String union : List.of("anyOf", "oneOf")) {
      if (o.get(StringValue.of(union)) instanceof ArrayValue alts && alts.size() > 0) {
        List<Type> ts = new ArrayList<>();
        for (int i = 0; i < alts.size(); i++) {
          ts.add(of(alts.get(i), root, depth + 1));
        }
        return orAny(ts);
      }
    }
    Value type = o.get(StringValue.of("type"));
    if (type instanceof ArrayValue list) {
      List<Type> ts = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        ts.add(named(o, list.get(i), root, depth));
      }
      return orAny(ts);
    }
    if (type == null && o.get(StringValue.of("properties")) != null) {
      type = StringValue.of("object");
    }
    return named(o, type, root, depth);
  }

  private static Type named(ObjectValue o, Value type, Value root, int depth) {
    if (!(type instanceof StringValue t)) {
      return Types.ANY;
    }
    switch (t.value()) {
      case "string":
        return Types.STRING;
      case "number":
      case "integer":
        return Types.NUMBER;
      case "boolean":
        return Types.BOOLEAN;
      case "null":
        return Types.NULL;
      case "array": {
        Value items = o.get(StringValue.of("items"));
        if (items instanceof ArrayValue tuple) {
          List<Type> statics = new ArrayList<>();
          for (int i = 0; i < tuple.size(); i++) {
            statics.add(of(tuple.get(i), root, depth + 1));
          }
          return Types.array(statics, null);
        }
        return Types.arrayOf(items == null ? Types.ANY : of(items, root, depth + 1));
      }
      case "object": {
        if (!(o.get(StringValue.of("properties")) instanceof ObjectValue props) || props.size() == 0) {
          return Types.ANY_OBJECT;
        }
        List<Type.Property> ps = new ArrayList<>();
        for (Value k : props.keys()) {
          if (k instanceof StringValue ks) {
            ps.add(Types.prop(ks.value(), of(props.get(k), root, depth + 1)));
          }
        }
        // opa 1.22 keeps such an object closed whatever additionalProperties says (true or a
        // schema): keys outside properties are undefined refs
        return Types.object(ps, null, null);
      }
      default:
        return Types.ANY;
    }
  }

  private static Type orAny(List<Type> ts) {
    Type t = TypeOps.or(ts);
    return t == null ? Types.ANY : t;
  }
}
