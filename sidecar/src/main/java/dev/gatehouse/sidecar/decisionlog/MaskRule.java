package dev.gatehouse.sidecar.decisionlog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * One mask operation as OPA's {@code system.log.mask} rule expresses it: a JSON pointer to
 * {@code remove} (a plain string in the mask set) or to {@code upsert} with a value.
 *
 * <p>As in OPA, pointers must start with {@code /input} or {@code /result}, refer to object keys
 * only (an array index makes the pointer undefined), and undefined pointers are ignored — except
 * that an upsert creates missing intermediate objects.
 */
public record MaskRule(Op op, String path, JsonNode value) {
  public enum Op { REMOVE, UPSERT }

  public MaskRule {
    if (path == null || !(path.equals("/input") || path.startsWith("/input/") || path.equals("/result")
        || path.startsWith("/result/"))) {
      throw new IllegalArgumentException("mask path must start with /input or /result: " + path);
    }
  }

  public static MaskRule remove(String path) {
    return new MaskRule(Op.REMOVE, path, null);
  }

  public static MaskRule upsert(String path, JsonNode value) {
    return new MaskRule(Op.UPSERT, path, value);
  }

  /** The pointer's segments with RFC 6901 escapes ({@code ~1}, {@code ~0}) decoded. */
  List<String> segments() {
    List<String> out = new ArrayList<>();
    for (String s : path.substring(1).split("/", -1)) {
      out.add(s.replace("~1", "/").replace("~0", "~"));
    }
    return out;
  }

  /**
   * Applies the rule to the event; returns true when it changed something (which OPA then lists in
   * {@code erased} or {@code masked}).
   */
  boolean apply(ObjectNode event) {
    List<String> segs = segments();
    ObjectNode parent = event;
    for (int i = 0; i < segs.size() - 1; i++) {
      JsonNode next = parent.get(segs.get(i));
      if (next == null) {
        if (op == Op.REMOVE) {
          return false;
        }
        parent = parent.putObject(segs.get(i));
        continue;
      }
      if (!next.isObject()) {
        return false; // arrays and scalars: the pointer is undefined, as in OPA
      }
      parent = (ObjectNode) next;
    }
    String last = segs.get(segs.size() - 1);
    if (op == Op.REMOVE) {
      return parent.remove(last) != null;
    }
    parent.set(last, value == null ? parent.nullNode() : value.deepCopy());
    return true;
  }
}
