package dev.gatehouse.injector.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * RFC 6902 JSON Patch between two documents. The patch is computed on the raw JSON trees, never on
 * re-serialized model objects, so it names only what really changed: other webhooks' containers,
 * fields this code does not know and number spellings stay untouched.
 *
 * <p>Arrays are compared with a longest-common-subsequence alignment, so inserting a container at
 * the front is one {@code add} rather than a rewrite of every element after it; an element changed
 * in place is diffed recursively.
 */
public final class JsonPatch {
  /** LCS tables above this many cells fall back to replacing the array (keeps time and memory bounded). */
  private static final long MAX_LCS_CELLS = 1_000_000;

  private JsonPatch() {}

  /** One operation; {@code value} is null for {@code remove}. */
  public record Op(String op, String path, JsonNode value) {
    public ObjectNode toJson() {
      ObjectNode o = JsonNodeFactory.instance.objectNode();
      o.put("op", op);
      o.put("path", path);
      if (value != null) {
        o.set("value", value);
      }
      return o;
    }
  }

  /** The operations that turn {@code source} into {@code target}; empty when they are equal. */
  public static List<Op> diff(JsonNode source, JsonNode target) {
    List<Op> ops = new ArrayList<>();
    diff(source, target, "", ops);
    return ops;
  }

  /** The patch as the JSON array the API server expects. */
  public static ArrayNode toJson(List<Op> ops) {
    ArrayNode a = JsonNodeFactory.instance.arrayNode();
    for (Op op : ops) {
      a.add(op.toJson());
    }
    return a;
  }

  /** Escapes one reference token (RFC 6901: {@code ~} → {@code ~0}, {@code /} → {@code ~1}). */
  public static String escape(String token) {
    if (token.indexOf('~') < 0 && token.indexOf('/') < 0) {
      return token;
    }
    return token.replace("~", "~0").replace("/", "~1");
  }

  private static void diff(JsonNode a, JsonNode b, String path, List<Op> ops) {
    if (a.equals(b)) {
      return;
    }
    if (a.isObject() && b.isObject()) {
      diffObjects((ObjectNode) a, (ObjectNode) b, path, ops);
    } else if (a.isArray() && b.isArray()) {
      diffArrays((ArrayNode) a, (ArrayNode) b, path, ops);
    } else {
      ops.add(new Op("replace", path, b.deepCopy()));
    }
  }

  private static void diffObjects(ObjectNode a, ObjectNode b, String path, List<Op> ops) {
    Iterator<String> names = a.fieldNames();
    while (names.hasNext()) {
      String k = names.next();
      if (!b.has(k)) {
        ops.add(new Op("remove", path + "/" + escape(k), null));
      }
    }
    for (Map.Entry<String, JsonNode> e : b.properties()) {
      JsonNode old = a.get(e.getKey());
      String p = path + "/" + escape(e.getKey());
      if (old == null) {
        ops.add(new Op("add", p, e.getValue().deepCopy()));
      } else {
        diff(old, e.getValue(), p, ops);
      }
    }
  }

  private static void diffArrays(ArrayNode a, ArrayNode b, String path, List<Op> ops) {
    int n = a.size();
    int m = b.size();
    int prefix = 0;
    while (prefix < n && prefix < m && a.get(prefix).equals(b.get(prefix))) {
      prefix++;
    }
    int suffix = 0;
    while (suffix < n - prefix && suffix < m - prefix && a.get(n - 1 - suffix).equals(b.get(m - 1 - suffix))) {
      suffix++;
    }
    int an = n - prefix - suffix;
    int bn = m - prefix - suffix;
    if ((long) an * bn > MAX_LCS_CELLS) {
      ops.add(new Op("replace", path, b.deepCopy()));
      return;
    }
    // lcs[i][j] = length of the LCS of a[prefix+i..] and b[prefix+j..] (middle part only)
    int[][] lcs = new int[an + 1][bn + 1];
    for (int i = an - 1; i >= 0; i--) {
      for (int j = bn - 1; j >= 0; j--) {
        lcs[i][j] = a.get(prefix + i).equals(b.get(prefix + j))
            ? lcs[i + 1][j + 1] + 1
            : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
      }
    }
    // Walk the alignment; 'pos' is the index in the array as already patched.
    int pos = prefix;
    int i = 0;
    int j = 0;
    List<JsonNode> removed = new ArrayList<>();
    List<JsonNode> added = new ArrayList<>();
    while (i < an || j < bn) {
      if (i < an && j < bn && a.get(prefix + i).equals(b.get(prefix + j))) {
        pos = flush(removed, added, path, pos, ops);
        pos++;
        i++;
        j++;
      } else if (j < bn && (i == an || lcs[i][j + 1] >= lcs[i + 1][j])) {
        added.add(b.get(prefix + j));
        j++;
      } else {
        removed.add(a.get(prefix + i));
        i++;
      }
    }
    flush(removed, added, path, pos, ops);
  }

  /**
   * Emits a run of removed and added elements at {@code pos}: pairs become in-place diffs (an
   * element edited rather than swapped), the rest removes or adds. Returns the new position.
   */
  private static int flush(List<JsonNode> removed, List<JsonNode> added, String path, int pos, List<Op> ops) {
    int paired = Math.min(removed.size(), added.size());
    for (int k = 0; k < paired; k++) {
      diff(removed.get(k), added.get(k), path + "/" + pos, ops);
      pos++;
    }
    for (int k = paired; k < removed.size(); k++) {
      ops.add(new Op("remove", path + "/" + pos, null));
    }
    for (int k = paired; k < added.size(); k++) {
      ops.add(new Op("add", path + "/" + pos, added.get(k).deepCopy()));
      pos++;
    }
    removed.clear();
    added.clear();
    return pos;
  }
}
