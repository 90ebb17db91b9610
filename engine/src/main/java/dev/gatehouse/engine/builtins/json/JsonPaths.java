package dev.gatehouse.engine.builtins.json;

import dev.gatehouse.engine.builtins.BuiltinException;
import dev.gatehouse.engine.value.ArrayValue;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.SetValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Paths as json.filter, json.remove and json.patch take them: a JSON-pointer-like string
 * ({@code "a/b/0"}, leading slashes optional, {@code ~1} and {@code ~0} unescaped) or an array of
 * segments of any type. Several paths merge into a {@link Trie}.
 */
final class JsonPaths {
  private JsonPaths() {}

  /** One path's segments; string paths give string segments, array paths keep their elements. */
  static List<Value> parse(Value path, int operand) {
    if (path instanceof StringValue s) {
      List<Value> out = new ArrayList<>();
      if (s.value().isEmpty()) {
        return out;
      }
      int i = 0;
      String p = s.value();
      while (i < p.length() && p.charAt(i) == '/') {
        i++;
      }
      for (String part : p.substring(i).split("/", -1)) {
        out.add(StringValue.of(part.replace("~1", "/").replace("~0", "~")));
      }
      return out;
    }
    if (path instanceof ArrayValue a) {
      return new ArrayList<>(a.elements());
    }
    throw BuiltinException.typeError("operand " + operand
        + " must be one of {set, array} containing string paths or array of path segments but got " + path.typeName());
  }

  /** The paths operand of json.filter/json.remove: an array or set of paths. */
  static List<List<Value>> parseAll(Value operand) {
    Iterable<Value> items;
    if (operand instanceof ArrayValue a) {
      items = a.elements();
    } else if (operand instanceof SetValue s) {
      items = s.sorted();
    } else {
      throw BuiltinException.operandType(2, operand, "set", "array");
    }
    List<List<Value>> out = new ArrayList<>();
    for (Value p : items) {
      out.add(parse(p, 2));
    }
    return out;
  }

  /**
   * Paths merged into a tree. A node is either a leaf (the whole value at that path is selected)
   * or a map of children; a shorter path swallows longer ones through it, whichever comes first.
   */
  static final class Trie {
    private Map<Value, Trie> children; // null: leaf

    private Trie(Map<Value, Trie> children) {
      this.children = children;
    }

    static Trie of(List<List<Value>> paths) {
      Trie root = new Trie(new LinkedHashMap<>());
      for (List<Value> path : paths) {
        if (path.isEmpty()) {
          continue; // the empty path selects nothing here, as in OPA
        }
        Trie node = root;
        boolean covered = false;
        for (int i = 0; i < path.size() - 1 && !covered; i++) {
          Trie child = node.children.get(path.get(i));
          if (child == null) {
            child = new Trie(new LinkedHashMap<>());
            node.children.put(path.get(i), child);
          } else if (child.isLeaf()) {
            covered = true;
          }
          node = child;
        }
        if (!covered) {
          node.children.put(path.get(path.size() - 1), new Trie(null));
        }
      }
      return root;
    }

    boolean isLeaf() {
      return children == null;
    }

    /** The child for this key, or null when no path goes through it. */
    Trie child(Value key) {
      return children == null ? null : children.get(key);
    }
  }

  /** Keeps only what the trie selects; array elements are addressed by their index as a string. */
  static Value filter(Value v, Trie t) {
    if (t.isLeaf()) {
      return v;
    }
    if (v instanceof ArrayValue a) {
      List<Value> out = new ArrayList<>();
      for (int i = 0; i < a.size(); i++) {
        Trie sub = t.child(StringValue.of(Integer.toString(i)));
        if (sub != null) {
          out.add(filter(a.get(i), sub));
        }
      }
      return ArrayValue.of(out);
    }
    if (v instanceof SetValue s) {
      SetValue.Builder b = SetValue.builder();
      for (Value m : s.sorted()) {
        Trie sub = t.child(m);
        if (sub != null) {
          b.add(filter(m, sub));
        }
      }
      return b.build();
    }
    if (v instanceof ObjectValue o) {
      ObjectValue.Builder b = ObjectValue.builder();
      for (Value k : o.keys()) {
        Trie sub = t.child(k);
        if (sub != null) {
          b.put(k, filter(o.get(k), sub));
        }
      }
      return b.build();
    }
    return v;
  }

  /** Drops what the trie selects; null when v itself is removed. Arrays close up the gaps. */
  static Value remove(Value v, Trie t) {
    if (t == null) {
      return v;
    }
    if (t.isLeaf()) {
      return null;
    }
    if (v instanceof ObjectValue o) {
      ObjectValue.Builder b = ObjectValue.builder();
      for (Value k : o.keys()) {
        Value kept = remove(o.get(k), t.child(k));
        if (kept != null) {
          b.put(k, kept);
        }
      }
      return b.build();
    }
    if (v instanceof SetValue s) {
      SetValue.Builder b = SetValue.builder();
      for (Value m : s.sorted()) {
        Value kept = remove(m, t.child(m));
        if (kept != null) {
          b.add(kept);
        }
      }
      return b.build();
    }
    if (v instanceof ArrayValue a) {
      List<Value> out = new ArrayList<>();
      for (int i = 0; i < a.size(); i++) {
        Value kept = remove(a.get(i), t.child(StringValue.of(Integer.toString(i))));
        if (kept != null) {
          out.add(kept);
        }
      }
      return ArrayValue.of(out);
    }
    return v;
  }
}
