package dev.gatehouse.engine.builtins.graphql.json;

import dev.gatehouse.engine.builtins.graphql.Limits;
import dev.gatehouse.engine.builtins.graphql.json.GoType.CustomKind;
import dev.gatehouse.engine.value.ArrayValue;
import dev.gatehouse.engine.value.BooleanValue;
import dev.gatehouse.engine.value.Json;
import dev.gatehouse.engine.value.NullValue;
import dev.gatehouse.engine.value.NumberValue;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.SetValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Decodes a Rego value into gqlparser's Go types the way OPA does it (value → JSON →
 * {@code json.Unmarshal}), reproducing encoding/json's rules: keys matched to fields exactly or
 * ignoring case, unknown keys ignored, {@code null} leaving values alone, type mismatches
 * recorded (the first one wins) while decoding goes on, and errors from the types with their own
 * UnmarshalJSON ending the decode. gqlparser's UnmarshalJSON methods read keys in map order,
 * which Go randomises; we read them sorted.
 *
 * <p>Structs decode to {@code Map<String, Object>} (Go field name → value), slices to lists
 * (null elements kept), strings, booleans and longs as themselves; selections become {@link Sel}.
 */
final class GoJson {
  /** A selection decoded as one of the three struct types gqlparser tries in turn. */
  record Sel(CustomKind kindOrNull, boolean spread, Map<String, Object> fields) {}

  /** encoding/json's UnmarshalTypeError. */
  static final class TypeError extends Exception {
    final String value;
    final String type;
    String struct = "";
    String field = "";

    TypeError(String value, String type) {
      super(null, null, false, false);
      this.value = value;
      this.type = type;
    }

    @Override
    public String getMessage() {
      if (!struct.isEmpty() || !field.isEmpty()) {
        return "json: cannot unmarshal " + value + " into Go struct field " + struct + "." + field + " of type " + type;
      }
      return "json: cannot unmarshal " + value + " into Go value of type " + type;
    }
  }

  /** Decoding went deeper than any AST the parser can produce. */
  static final class TooDeep extends RuntimeException {
    TooDeep() {
      super(Limits.nestingMessage(), null, false, false);
    }
  }

  /**
   * JSON levels per nesting level of a document are at most three (a list value's Children, the
   * ChildValue, its Value), so every AST the parser can produce decodes within this bound.
   */
  private static final int MAX_DEPTH = 3 * Limits.MAX_NESTING + 32;

  /** The state of one json.Unmarshal call. */
  private final class Decode {
    TypeError saved;
    boolean hasContext;
    String contextStruct = "";
    final List<String> stack = new ArrayList<>();

    void save(TypeError e) {
      if (saved == null) {
        saved = withContext(e);
      }
    }

    TypeError withContext(TypeError e) {
      if (hasContext && (!contextStruct.isEmpty() || !stack.isEmpty())) {
        e.struct = contextStruct;
        List<String> path = new ArrayList<>(stack);
        if (!e.field.isEmpty()) {
          path.add(e.field);
        }
        e.field = String.join(".", path);
      }
      return e;
    }

    Object value(Value v, GoType type, Object current) throws TypeError {
      if (++depth > MAX_DEPTH) {
        throw new TooDeep();
      }
      try {
        return decode(v, type, current);
      } finally {
        depth--;
      }
    }

    private Object decode(Value v, GoType type, Object current) throws TypeError {
      if (type instanceof GoType.Custom c) {
        return v instanceof NullValue ? null : custom(v, c.kind());
      }
      if (v instanceof NullValue) {
        return type instanceof GoType.Ptr || type instanceof GoType.Slice ? null : current;
      }
      if (type instanceof GoType.Str) {
        if (v instanceof StringValue s) {
          return s.value();
        }
      } else if (type instanceof GoType.Bool) {
        if (v instanceof BooleanValue b) {
          return b.value();
        }
      } else if (type instanceof GoType.Int) {
        if (v instanceof NumberValue n) {
          Long l = parseInt64(n.text());
          if (l == null) {
            save(new TypeError("number " + n.text(), type.name()));
            return current;
          }
          return l;
        }
      } else if (type instanceof GoType.Slice s) {
        List<Value> elems = elements(v);
        if (elems != null) {
          List<Object> out = new ArrayList<>(elems.size());
          for (Value e : elems) {
            out.add(value(e, s.elem(), null));
          }
          return out;
        }
      } else if (type instanceof GoType.Ptr p) {
        if (v instanceof ObjectValue o) {
          return struct(o, p.target());
        }
        save(new TypeError(kind(v), type.name()));
        return new HashMap<String, Object>(); // Go allocates the pointer before failing
      } else if (type instanceof GoType.Struct st) {
        if (v instanceof ObjectValue o) {
          return struct(o, st);
        }
      }
      save(new TypeError(kind(v), type.name()));
      return current;
    }

    private Map<String, Object> struct(ObjectValue o, GoType.Struct st) throws TypeError {
      Map<String, Object> out = new HashMap<>();
      String origStruct = contextStruct;
      int origDepth = stack.size();
      for (Map.Entry<String, Value> e : entries(o).entrySet()) {
        String field = st.fieldFor(e.getKey());
        if (field == null) {
          continue;
        }
        hasContext = true;
        contextStruct = st.shortName();
        stack.add(field);
        out.put(field, value(e.getValue(), st.typeOf(field), out.get(field)));
        stack.subList(origDepth, stack.size()).clear();
        contextStruct = origStruct;
      }
      return out;
    }
  }

  private int depth;

  /** One json.Unmarshal call: returns the value, or throws its error. */
  Object unmarshal(Value v, GoType type) throws TypeError {
    Decode d = new Decode();
    Object out;
    try {
      out = d.value(v, type, null);
    } catch (TypeError fatal) {
      throw d.withContext(fatal);
    }
    if (d.saved != null) {
      throw d.saved;
    }
    return out;
  }

  /** JSON text of the value's kind, as encoding/json names it in errors. */
  private static String kind(Value v) {
    if (v instanceof StringValue) {
      return "string";
    }
    if (v instanceof NumberValue) {
      return "number";
    }
    if (v instanceof BooleanValue) {
      return "bool";
    }
    if (v instanceof ArrayValue || v instanceof SetValue) {
      return "array";
    }
    return "object";
  }

  private static List<Value> elements(Value v) {
    if (v instanceof ArrayValue a) {
      return a.elements();
    }
    if (v instanceof SetValue s) {
      return s.sorted();
    }
    return null;
  }

  /** An object's members under their JSON keys (non-string keys as their JSON text), in key order. */
  private static Map<String, Value> entries(ObjectValue o) {
    Map<String, Value> out = new TreeMap<>(StringValue::compareCodePoints);
    List<Value> keys = new ArrayList<>(o.keys());
    keys.sort(null);
    for (Value k : keys) {
      String key = k instanceof StringValue s ? s.value() : Json.write(k);
      out.put(key, o.get(k));
    }
    return out;
  }

  private static final java.util.regex.Pattern INTEGER = java.util.regex.Pattern.compile("[+-]?[0-9]+");

  private static Long parseInt64(String text) {
    if (!INTEGER.matcher(text).matches()) {
      return null;
    }
    try {
      return new BigInteger(text.startsWith("+") ? text.substring(1) : text).longValueExact();
    } catch (ArithmeticException e) {
      return null;
    }
  }

  // ---- the types with their own UnmarshalJSON

  private Object custom(Value v, CustomKind kind) throws TypeError {
    if (++depth > MAX_DEPTH) {
      throw new TooDeep();
    }
    try {
      return customFields(v, kind);
    } finally {
      depth--;
    }
  }

  private Object customFields(Value v, CustomKind kind) throws TypeError {
    Map<String, Value> raw = rawObject(v);
    Map<String, Object> out = new HashMap<>();
    for (Map.Entry<String, Value> e : raw.entrySet()) {
      GoType t = customField(kind, e.getKey());
      if (t == null) {
        continue;
      }
      Object decoded = t == SELECTION_SET ? selectionSet(e.getValue()) : unmarshalInto(e.getValue(), t, out.get(e.getKey()));
      out.put(e.getKey(), decoded);
    }
    return out;
  }

  /** json.Unmarshal into an existing field: null and failures leave it as it was. */
  private Object unmarshalInto(Value v, GoType t, Object current) throws TypeError {
    Object decoded = unmarshal(v, t);
    return decoded == null && !(t instanceof GoType.Ptr || t instanceof GoType.Slice || t instanceof GoType.Custom)
        ? current : decoded;
  }

  private static final GoType SELECTION_SET = new GoType.Str("ast.SelectionSet");

  /** The keys gqlparser's UnmarshalJSON methods read (exact names only), with their types. */
  private static GoType customField(CustomKind kind, String key) {
    switch (key) {
      case "Directives":
        return GoTypes.DIRECTIVE_LIST;
      case "SelectionSet":
        return SELECTION_SET;
      case "Position":
        return GoTypes.POSITION_PTR;
      default:
        break;
    }
    return switch (kind) {
      case OPERATION -> switch (key) {
        case "Operation" -> GoTypes.OPERATION;
        case "Name" -> GoTypes.STRING;
        case "VariableDefinitions" -> GoTypes.VARIABLE_DEFINITION_LIST;
        default -> null;
      };
      case FIELD -> switch (key) {
        case "Alias", "Name" -> GoTypes.STRING;
        case "Arguments" -> GoTypes.ARGUMENT_LIST;
        case "Definition" -> GoTypes.FIELD_DEFINITION_PTR;
        case "ObjectDefinition" -> GoTypes.DEFINITION_PTR;
        default -> null;
      };
      case INLINE_FRAGMENT -> switch (key) {
        case "TypeCondition" -> GoTypes.STRING;
        case "ObjectDefinition" -> GoTypes.DEFINITION_PTR;
        default -> null;
      };
      case FRAGMENT_DEFINITION -> switch (key) {
        case "Name", "TypeCondition" -> GoTypes.STRING;
        case "VariableDefinition" -> GoTypes.VARIABLE_DEFINITION_LIST;
        case "Definition" -> GoTypes.DEFINITION_PTR;
        default -> null;
      };
    };
  }

  /** json.Unmarshal into map[string]json.RawMessage. */
  private Map<String, Value> rawObject(Value v) throws TypeError {
    if (v instanceof NullValue) {
      return Map.of();
    }
    if (v instanceof ObjectValue o) {
      return entries(o);
    }
    throw new TypeError(kind(v), "map[string]json.RawMessage");
  }

  /**
   * gqlparser's selection decoding: each element is tried as a Field, then a FragmentSpread, then
   * an InlineFragment; the first that decodes without error is taken, elements none accept are
   * dropped. Since Field ignores keys it does not know, nearly everything becomes a Field.
   */
  private List<Sel> selectionSet(Value v) throws TypeError {
    List<Value> items;
    if (v instanceof NullValue) {
      items = List.of();
    } else {
      items = elements(v);
      if (items == null) {
        throw new TypeError(kind(v), "[]json.RawMessage");
      }
    }
    List<Sel> out = new ArrayList<>();
    for (Value item : items) {
      if (++depth > MAX_DEPTH) {
        throw new TooDeep();
      }
      try {
        out.add(selection(item));
      } catch (TypeError dropped) {
        // no type accepted it
      } finally {
        depth--;
      }
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private Sel selection(Value item) throws TypeError {
    try {
      return new Sel(CustomKind.FIELD, false, (Map<String, Object>) custom(item, CustomKind.FIELD));
    } catch (TypeError notField) {
      // next candidate
    }
    try {
      Object spread = unmarshal(item, GoTypes.FRAGMENT_SPREAD);
      return new Sel(null, true, spread == null ? new HashMap<>() : (Map<String, Object>) spread);
    } catch (TypeError notSpread) {
      // next candidate
    }
    return new Sel(CustomKind.INLINE_FRAGMENT, false, (Map<String, Object>) custom(item, CustomKind.INLINE_FRAGMENT));
  }
}
