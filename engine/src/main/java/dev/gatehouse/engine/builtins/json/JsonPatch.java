package dev.gatehouse.engine.builtins.json;

import dev.gatehouse.engine.builtins.BuiltinException;
import dev.gatehouse.engine.value.ArrayValue;
import dev.gatehouse.engine.value.NumberValue;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.SetValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * RFC 6902 patches applied to Rego values, with OPA's extensions: sets are patched too (a member
 * is its own path segment) and array-form paths may hold segments of any type. Values are
 * immutable, so each operation rebuilds the spine from the root down to the change.
 */
final class JsonPatch {
  private JsonPatch() {}

  private static final StringValue OP = StringValue.of("op");
  private static final StringValue PATH = StringValue.of("path");
  private static final StringValue FROM = StringValue.of("from");
  private static final StringValue VALUE = StringValue.of("value");

  /** Applies every operation in order; any failure fails the whole patch. */
  static Value apply(Value doc, ArrayValue ops) {
    Value cur = doc;
    for (Value opv : ops.elements()) {
      if (!(opv instanceof ObjectValue op)) {
        throw fail("must be an array of JSON-Patch objects, but at least one element is not an object");
      }
      if (op.get(PATH) == null) {
        throw fail("missing required attribute 'path'");
      }
      Value name = op.get(OP);
      if (name == null) {
        throw fail("missing required attribute 'op'");
      }
      if (!(name instanceof StringValue opName)) {
        throw fail("attribute 'op' must be a string but found: " + name.typeName());
      }
      List<Value> path = JsonPaths.parse(op.get(PATH), 2);
      switch (opName.value()) {
        case "add" -> cur = add(cur, path, required(op, VALUE));
        case "remove" -> cur = remove(cur, path);
        case "replace" -> {
          cur = remove(cur, path);
          cur = add(cur, path, required(op, VALUE));
        }
        case "move" -> {
          List<Value> from = JsonPaths.parse(required(op, FROM), 2);
          Value chunk = get(cur, from);
          cur = remove(cur, from);
          cur = add(cur, path, chunk);
        }
        case "copy" -> {
          List<Value> from = JsonPaths.parse(required(op, FROM), 2);
          cur = add(cur, path, get(cur, from));
        }
        case "test" -> {
          Value found = get(cur, path);
          Value want = required(op, VALUE);
          if (!found.equals(want)) {
            throw fail("value from EditTree != patch value.\n\nExpected: " + want + "\n\nFound: " + found);
          }
        }
        default -> throw fail("unrecognized op: '" + opName.value() + "'");
      }
    }
    if (cur == null) {
      throw fail("the whole document was removed");
    }
    return cur;
  }

  private static Value required(ObjectValue op, StringValue key) {
    Value v = op.get(key);
    if (v == null) {
      throw fail("missing required attribute '" + key.value() + "'");
    }
    return v;
  }

  /** The value at path; every segment must exist. */
  static Value get(Value doc, List<Value> path) {
    Value cur = doc;
    for (Value seg : path) {
      cur = child(cur, seg);
    }
    return cur;
  }

  static Value add(Value doc, List<Value> path, Value value) {
    if (path.isEmpty()) {
      return value;
    }
    return update(doc, path.subList(0, path.size() - 1), parent -> insert(parent, path.get(path.size() - 1), value));
  }

  static Value remove(Value doc, List<Value> path) {
    if (doc == null) {
      throw fail("deleted node encountered during delete operation");
    }
    if (path.isEmpty()) {
      return null;
    }
    return update(doc, path.subList(0, path.size() - 1), parent -> delete(parent, path.get(path.size() - 1)));
  }

  /** Rebuilds doc with the value at prefix replaced by fn(value at prefix). */
  private static Value update(Value doc, List<Value> prefix, UnaryOperator<Value> fn) {
    if (doc == null) {
      throw fail("nil value encountered where composite value was expected");
    }
    if (prefix.isEmpty()) {
      return fn.apply(doc);
    }
    Value seg = prefix.get(0);
    Value old = child(doc, seg);
    Value updated = update(old, prefix.subList(1, prefix.size()), fn);
    if (doc instanceof ObjectValue o) {
      return o.with(seg, updated);
    }
    if (doc instanceof SetValue s) {
      // a member is its own key: the changed member replaces the old one
      SetValue.Builder b = SetValue.builder();
      for (Value m : s) {
        if (!m.equals(old)) {
          b.add(m);
        }
      }
      return b.add(updated).build();
    }
    ArrayValue a = (ArrayValue) doc;
    int idx = index(a.size(), seg);
    List<Value> elems = new ArrayList<>(a.elements());
    elems.set(idx, updated);
    return ArrayValue.of(elems);
  }

  private static Value child(Value v, Value seg) {
    if (v == null) {
      throw fail("nil value encountered where composite value was expected");
    }
    if (v instanceof ObjectValue o) {
      Value c = o.get(seg);
      if (c == null) {
        throw fail("path " + seg + " does not exist in object term " + o);
      }
      return c;
    }
    if (v instanceof SetValue s) {
      if (!s.contains(seg)) {
        throw fail("path [" + seg + "] does not exist in set term " + s);
      }
      return seg;
    }
    if (v instanceof ArrayValue a) {
      int idx = index(a.size(), seg);
      if (idx < 0 || idx >= a.size()) {
        throw fail("path " + idx + " does not exist in array term " + a);
      }
      return a.get(idx);
    }
    throw fail("expected composite type for path " + seg + ", found value: " + v + " (type: " + v.typeName() + ")");
  }

  private static Value insert(Value parent, Value key, Value value) {
    if (parent instanceof ObjectValue o) {
      return o.with(key, value);
    }
    if (parent instanceof SetValue s) {
      if (!key.equals(value)) {
        throw fail("set key " + key + " does not equal value to be inserted " + value);
      }
      return s.union(SetValue.of(value));
    }
    if (parent instanceof ArrayValue a) {
      int idx = index(a.size(), key);
      if (idx < 0 || idx > a.size()) {
        throw fail("index for array insertion out of bounds");
      }
      List<Value> elems = new ArrayList<>(a.elements());
      elems.add(idx, value);
      return ArrayValue.of(elems);
    }
    throw fail("expected composite type, found value: " + parent + " (type: " + parent.typeName() + ")");
  }

  private static Value delete(Value parent, Value key) {
    if (parent instanceof ObjectValue o) {
      if (!o.containsKey(key)) {
        throw fail("cannot delete child key " + key + " that does not exist");
      }
      return o.without(key);
    }
    if (parent instanceof SetValue s) {
      if (!s.contains(key)) {
        throw fail("cannot delete child key " + key + " that does not exist");
      }
      return s.minus(SetValue.of(key));
    }
    if (parent instanceof ArrayValue a) {
      int idx = index(a.size(), key);
      if (idx < 0 || idx >= a.size()) {
        throw fail("index for array delete out of bounds");
      }
      List<Value> elems = new ArrayList<>(a.elements());
      elems.remove(idx);
      return ArrayValue.of(elems);
    }
    throw fail("expected composite type, found value: " + parent + " (type: " + parent.typeName() + ")");
  }

  /**
   * An array index from a path segment: an integral number, a decimal string without leading
   * zeros, or {@code -} for one past the end (only meaningful when inserting).
   */
  static int index(int length, Value seg) {
    if (seg instanceof NumberValue n) {
      if (!n.isInteger() || n.intValue().isEmpty()) {
        throw fail("invalid number type for indexing");
      }
      return n.intValue().getAsInt();
    }
    if (seg instanceof StringValue s) {
      String t = s.value();
      if (t.equals("-")) {
        return length;
      }
      int i;
      try {
        i = Integer.parseInt(t);
      } catch (NumberFormatException e) {
        throw fail("invalid string for indexing");
      }
      if (!t.equals("0") && t.startsWith("0")) {
        throw fail("leading zeros are not allowed in JSON paths");
      }
      return i;
    }
    throw fail("invalid type for indexing");
  }

  private static BuiltinException fail(String message) {
    return BuiltinException.error(message);
  }
}
