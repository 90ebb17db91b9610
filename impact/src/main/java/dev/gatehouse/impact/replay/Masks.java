package dev.gatehouse.impact.replay;

import dev.gatehouse.engine.value.ArrayValue;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.util.ArrayList;
import java.util.List;

/**
 * Mask rules in the decision log's form: JSON pointers into the event ({@code /input/...} or
 * {@code /result/...}) whose values are removed before an example is shown, and listed as
 * {@code erased} as OPA's decision log lists them. Two deliberate extensions for examples that end
 * up in pull-request comments: {@code *} matches any key or index, and object keys match without
 * regard to case (HTTP header names come in any case).
 */
public final class Masks {
  /**
   * What is hidden unless {@code --no-default-masks}: credentials in HTTP headers (the sidecar's
   * and Envoy's input shapes) and the payload of Secrets (and, as the pointer cannot tell, of other
   * objects with {@code data}/{@code stringData}, such as ConfigMaps).
   */
  public static final List<String> DEFAULTS = List.of(
      "/input/request/headers/authorization",
      "/input/request/headers/proxy-authorization",
      "/input/request/headers/cookie",
      "/input/request/headers/set-cookie",
      "/input/request/headers/x-api-key",
      "/input/attributes/request/http/headers/authorization",
      "/input/attributes/request/http/headers/cookie",
      "/input/request/object/data",
      "/input/request/object/stringData",
      "/input/request/oldObject/data",
      "/input/request/oldObject/stringData");

  private final List<List<String>> pointers;
  private final List<String> texts;

  private Masks(List<String> texts) {
    this.texts = List.copyOf(texts);
    this.pointers = texts.stream().map(Masks::parse).toList();
  }

  public static Masks of(List<String> pointers) {
    return new Masks(pointers);
  }

  public List<String> rules() {
    return texts;
  }

  /** The masked value of the event's {@code root} ({@code input} or {@code result}) and the pointers erased. */
  public record Masked(Value value, List<String> erased) {}

  public Masked apply(String root, Value v) {
    if (v == null) {
      return new Masked(null, List.of());
    }
    List<String> erased = new ArrayList<>();
    Value out = v;
    for (List<String> p : pointers) {
      if (p.isEmpty() || !p.get(0).equals(root)) {
        continue;
      }
      if (p.size() == 1) {
        erased.add("/" + root);
        return new Masked(null, erased);
      }
      out = remove(out, p, 1, "/" + root, erased);
    }
    return new Masked(out, erased);
  }

  private static Value remove(Value v, List<String> p, int i, String at, List<String> erased) {
    String seg = p.get(i);
    boolean last = i == p.size() - 1;
    if (v instanceof ObjectValue o) {
      ObjectValue out = o;
      for (Value k : o.keys()) {
        if (!(k instanceof StringValue ks) || !(seg.equals("*") || ks.value().equalsIgnoreCase(seg))) {
          continue;
        }
        String here = at + "/" + escape(ks.value());
        if (last) {
          out = out.without(k);
          erased.add(here);
        } else {
          out = out.with(k, remove(o.get(k), p, i + 1, here, erased));
        }
      }
      return out;
    }
    if (v instanceof ArrayValue a && !last) {
      List<Value> elems = new ArrayList<>(a.elements());
      boolean changed = false;
      for (int j = 0; j < elems.size(); j++) {
        if (seg.equals("*") || seg.equals(Integer.toString(j))) {
          elems.set(j, remove(elems.get(j), p, i + 1, at + "/" + j, erased));
          changed = true;
        }
      }
      return changed ? ArrayValue.of(elems) : a;
    }
    return v;
  }

  /** {@code /input/a~1b} → [input, a/b]; an invalid pointer is an IllegalArgumentException. */
  static List<String> parse(String pointer) {
    if (!pointer.startsWith("/")) {
      throw new IllegalArgumentException("mask rule \"" + pointer + "\" must be a JSON pointer such as /input/password");
    }
    List<String> out = new ArrayList<>();
    for (String s : pointer.substring(1).split("/", -1)) {
      out.add(s.replace("~1", "/").replace("~0", "~"));
    }
    if (!out.get(0).equals("input") && !out.get(0).equals("result")) {
      throw new IllegalArgumentException("mask rule \"" + pointer + "\" must start with /input or /result");
    }
    return out;
  }

  private static String escape(String s) {
    return s.replace("~", "~0").replace("/", "~1");
  }
}
