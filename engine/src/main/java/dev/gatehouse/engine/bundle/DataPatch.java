package dev.gatehouse.engine.bundle;

import dev.gatehouse.engine.value.ArrayValue;
import dev.gatehouse.engine.value.Json;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import dev.gatehouse.engine.value.ValueFormatException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code patch.json} of an OPA <em>delta</em> bundle: {@code {"data": [{"op", "path", "value"}…]}}
 * with the operations {@code upsert} (set, creating missing objects on the way; an array index
 * inserts), {@code replace} (the target must exist) and {@code remove}, applied in order to the
 * data of the bundle that is active. Paths are JSON pointers ({@code ~1} is {@code /}, {@code ~0}
 * is {@code ~}). As in OPA, an empty list of operations empties the data.
 */
public final class DataPatch {
  private DataPatch() {}

  /** One operation; {@code value} is null for {@code remove}. */
  public record Op(String op, String path, Value value) {
    public Op {
      if (!op.equals("upsert") && !op.equals("replace") && !op.equals("remove")) {
        throw new BundleException("delta bundle: unsupported patch operation \"" + op + "\" (upsert, replace, remove)");
      }
      if (!op.equals("remove") && value == null) {
        throw new BundleException("delta bundle: patch operation " + op + " " + path + " has no value");
      }
      DataPatch.segments(path); // validates
    }

    public static Op upsert(String path, Value v) {
      return new Op("upsert", path, v);
    }

    public static Op replace(String path, Value v) {
      return new Op("replace", path, v);
    }

    public static Op remove(String path) {
      return new Op("remove", path, null);
    }

    /** The path's unescaped segments (empty for the root). */
    public List<String> segments() {
      return DataPatch.segments(path);
    }

    public Op withValue(Value v) {
      return new Op(op, path, v);
    }
  }

  /** Parses {@code patch.json}. */
  public static List<Op> parse(byte[] json) {
    Value v;
    try {
      v = Json.parse(new String(json, StandardCharsets.UTF_8));
    } catch (ValueFormatException e) {
      throw new BundleException("bundle load failed on patch.json: " + e.getMessage());
    }
    if (!(v instanceof ObjectValue o)) {
      throw new BundleException("bundle load failed on patch.json: not a JSON object");
    }
    Value data = o.get("data");
    if (data == null) {
      return List.of();
    }
    if (!(data instanceof ArrayValue arr)) {
      throw new BundleException("bundle load failed on patch.json: \"data\" is not an array");
    }
    List<Op> ops = new ArrayList<>(arr.size());
    for (Value e : arr.elements()) {
      if (!(e instanceof ObjectValue eo) || !(eo.get("op") instanceof StringValue op)
          || !(eo.get("path") instanceof StringValue path)) {
        throw new BundleException("bundle load failed on patch.json: each operation needs string op and path");
      }
      ops.add(new Op(op.value(), path.value(), op.value().equals("remove") ? null : eo.get("value")));
    }
    return List.copyOf(ops);
  }

  /** {@code patch.json} as written into a delta bundle. */
  public static byte[] toJson(List<Op> ops) {
    List<Value> out = new ArrayList<>(ops.size());
    for (Op op : ops) {
      ObjectValue o = ObjectValue.of("op", StringValue.of(op.op()), "path", StringValue.of(op.path()));
      out.add(op.value() == null ? o : o.with(StringValue.of("value"), op.value()));
    }
    return (Json.write(ObjectValue.of("data", ArrayValue.of(out))) + "\n").getBytes(StandardCharsets.UTF_8);
  }

  /** JSON pointer segments; {@code ""} and {@code "/"} are the root. */
  static List<String> segments(String path) {
    if (path == null) {
      throw new BundleException("delta bundle: patch operation without a path");
    }
    if (path.isEmpty() || path.equals("/")) {
      return List.of();
    }
    if (!path.startsWith("/")) {
      throw new BundleException("delta bundle: patch path " + path + " is not a JSON pointer (must start with /)");
    }
    List<String> out = new ArrayList<>();
    for (String s : path.substring(1).split("/", -1)) {
      out.add(s.replace("~1", "/").replace("~0", "~"));
    }
    return out;
  }

  /**
   * Applies the operations in order to {@code data} and returns the new document; {@code data}
   * is not modified (values are immutable; only the spine of each changed path is copied).
   *
   * @throws BundleException when an operation cannot apply (a missing target for replace or
   *     remove, an index out of range, a path through a scalar): the caller keeps its data
   */
  public static ObjectValue apply(ObjectValue data, List<Op> ops) {
    if (ops.isEmpty()) {
      return ObjectValue.EMPTY;
    }
    Value doc = data;
    for (Op op : ops) {
      doc = apply(doc, op.segments(), 0, op);
    }
    if (!(doc instanceof ObjectValue o)) {
      throw new BundleException("delta bundle: the data document must stay an object");
    }
    return o;
  }

  private static Value apply(Value node, List<String> path, int i, Op op) {
    if (i == path.size()) {
      // The root of the data document.
      return switch (op.op()) {
        case "remove" -> ObjectValue.EMPTY;
        default -> op.value();
      };
    }
    String seg = path.get(i);
    boolean last = i == path.size() - 1;
    if (node instanceof ObjectValue o) {
      StringValue key = StringValue.of(seg);
      Value child = o.get(key);
      if (last) {
        switch (op.op()) {
          case "remove" -> {
            if (child == null) {
              throw notFound(op);
            }
            return o.without(key);
          }
          case "replace" -> {
            if (child == null) {
              throw notFound(op);
            }
            return o.with(key, op.value());
          }
          default -> {
            return o.with(key, op.value());
          }
        }
      }
      if (child == null) {
        if (!op.op().equals("upsert")) {
          throw notFound(op);
        }
        child = ObjectValue.EMPTY;
      }
      return o.with(key, apply(child, path, i + 1, op));
    }
    if (node instanceof ArrayValue a) {
      int size = a.size();
      int idx;
      if (seg.equals("-") && last && op.op().equals("upsert")) {
        idx = size;
      } else {
        idx = index(seg, op);
      }
      boolean insert = last && op.op().equals("upsert");
      if (idx < 0 || idx > size || (!insert && idx == size)) {
        throw new BundleException("delta bundle: " + op.op() + " " + op.path() + ": index " + seg
            + " out of range (array of " + size + ")");
      }
      Value[] copy;
      if (!last) {
        copy = toArray(a);
        copy[idx] = apply(a.get(idx), path, i + 1, op);
        return ArrayValue.wrap(copy);
      }
      switch (op.op()) {
        case "remove" -> {
          copy = new Value[size - 1];
          Value[] src = toArray(a);
          System.arraycopy(src, 0, copy, 0, idx);
          System.arraycopy(src, idx + 1, copy, idx, size - idx - 1);
        }
        case "replace" -> {
          copy = toArray(a);
          copy[idx] = op.value();
        }
        default -> {
          copy = new Value[size + 1];
          Value[] src = toArray(a);
          System.arraycopy(src, 0, copy, 0, idx);
          copy[idx] = op.value();
          System.arraycopy(src, idx, copy, idx + 1, size - idx);
        }
      }
      return ArrayValue.wrap(copy);
    }
    throw new BundleException("delta bundle: " + op.op() + " " + op.path() + ": path runs through a "
        + (node == null ? "missing value" : node.typeName()));
  }

  private static Value[] toArray(ArrayValue a) {
    Value[] out = new Value[a.size()];
    for (int k = 0; k < out.length; k++) {
      out[k] = a.get(k);
    }
    return out;
  }

  private static int index(String seg, Op op) {
    if (seg.isEmpty() || seg.length() > 9 || !seg.chars().allMatch(Character::isDigit)
        || (seg.length() > 1 && seg.charAt(0) == '0')) {
      throw new BundleException("delta bundle: " + op.op() + " " + op.path() + ": " + Arrays.toString(new String[] {seg})
          + " is not an array index");
    }
    return Integer.parseInt(seg);
  }

  private static BundleException notFound(Op op) {
    return new BundleException("delta bundle: " + op.op() + " " + op.path() + ": storage_not_found_error: "
        + op.path() + ": document missing");
  }
}
